// Turns the contract's base64 784-byte images into something a canvas can show.
export const SIDE = 28;

export function decodePixels(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function encodePixels(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * Draws a 28×28 image (255 = ink) into `canvas` at its own resolution, ink dark on light paper by
 * default (how people picture handwriting) or light on dark like MNIST when `inverted`.
 */
export function drawDigit(canvas: HTMLCanvasElement, base64: string, inverted = false): void {
  const bytes = decodePixels(base64);
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const ink = bytes[i] ?? 0;
    const v = inverted ? ink : 255 - ink;
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
