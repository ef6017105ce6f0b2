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

/** Paper and ink colours (RGB) for drawing a digit. */
export interface DigitColours {
  paper: [number, number, number];
  ink: [number, number, number];
}

export const LIGHT_PAPER: DigitColours = { paper: [255, 255, 255], ink: [17, 20, 24] };
export const DARK_PAPER: DigitColours = { paper: [24, 28, 34], ink: [236, 239, 243] };
/** Exactly what the model sees: white ink on black. */
export const MODEL_VIEW: DigitColours = { paper: [0, 0, 0], ink: [255, 255, 255] };

/** Draws a 28×28 image (255 = ink) into `canvas` at its own resolution, blending ink over paper. */
export function drawDigit(canvas: HTMLCanvasElement, base64: string, colours: DigitColours = LIGHT_PAPER): void {
  const bytes = decodePixels(base64);
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(SIDE, SIDE);
  const { paper, ink } = colours;
  for (let i = 0; i < SIDE * SIDE; i++) {
    const a = (bytes[i] ?? 0) / 255;
    img.data[i * 4] = paper[0] + (ink[0] - paper[0]) * a;
    img.data[i * 4 + 1] = paper[1] + (ink[1] - paper[1]) * a;
    img.data[i * 4 + 2] = paper[2] + (ink[2] - paper[2]) * a;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
