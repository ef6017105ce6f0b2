// Pixels for the "under the hood" pictures: grey maps and filters from the contract's bytes, and
// the signed saliency as a two-colour image (green toward the reading, red toward the runner-up).
export type Rgb = readonly [number, number, number];

export const TOWARD: Rgb = [22, 163, 74];
export const AGAINST: Rgb = [220, 38, 38];

/**
 * RGBA for a signed map over a grey picture of the input: each pixel's colour strength is its
 * share of the largest |value|, so the strongest push is full colour whatever the scale.
 */
export function saliencyRgba(saliency: readonly number[], input: Uint8Array, toward: Rgb = TOWARD, against: Rgb = AGAINST): Uint8ClampedArray {
  let big = 0;
  for (const v of saliency) big = Math.max(big, Math.abs(v));
  const out = new Uint8ClampedArray(saliency.length * 4);
  for (let i = 0; i < saliency.length; i++) {
    const v = big > 0 ? saliency[i]! / big : 0;
    const a = Math.min(1, Math.abs(v) * 1.5);
    const colour = v >= 0 ? toward : against;
    // The input shows faintly underneath, so the colours sit on the strokes they belong to.
    const grey = 20 + (input[i] ?? 0) * 0.25;
    for (let c = 0; c < 3; c++) out[i * 4 + c] = grey + (colour[c]! - grey) * a;
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** RGBA for one grey map of `size` bytes starting at `offset`. */
export function greyRgba(bytes: Uint8Array, offset: number, size: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const v = bytes[offset + i] ?? 0;
    out[i * 4] = out[i * 4 + 1] = out[i * 4 + 2] = v;
    out[i * 4 + 3] = 255;
  }
  return out;
}
