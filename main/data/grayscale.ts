// The one grayscale conversion. Every decoder (our PNG fast path, the BMP decoder, the plain-JPEG
// shortcut and sharp's pipeline for everything else) turns colour into gray and flattens
// transparency on white paper with these functions, so the same picture gives the same pixels
// whichever path reads it (small or large, with or without EXIF). Rec. 601 weights on the
// gamma-encoded values, as PIL's "L" mode and most digit tools do; rounded once, at the end.

/** Gray of gamma-encoded R, G, B (0–255), unrounded. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/** Gray `v` (0–255, unrounded) seen through alpha `a` (0–255) on white paper, rounded to a byte. */
export function onWhite(v: number, a: number): number {
  return Math.round((v * a + 255 * (255 - a)) / 255);
}

/** Gray `v` (unrounded) as a byte. */
export function toByte(v: number): number {
  return Math.round(v);
}

/**
 * Interleaved 8-bit pixels with 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels → one
 * gray byte per pixel. Returns null for any other layout.
 */
export function pixelsToGray(data: Uint8Array, width: number, height: number, channels: number): Uint8Array | null {
  const n = width * height;
  if (data.length < n * channels) return null;
  const gray = new Uint8Array(n);
  switch (channels) {
    case 1:
      gray.set(data.subarray(0, n));
      return gray;
    case 2:
      for (let i = 0, p = 0; i < n; i++, p += 2) gray[i] = onWhite(data[p]!, data[p + 1]!);
      return gray;
    case 3:
      for (let i = 0, p = 0; i < n; i++, p += 3) gray[i] = toByte(luma(data[p]!, data[p + 1]!, data[p + 2]!));
      return gray;
    case 4:
      for (let i = 0, p = 0; i < n; i++, p += 4) gray[i] = onWhite(luma(data[p]!, data[p + 1]!, data[p + 2]!), data[p + 3]!);
      return gray;
    default:
      return null;
  }
}
