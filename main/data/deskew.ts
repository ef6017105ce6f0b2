// MNIST-style deskewing by second-order image moments: a 28×28 sample is sheared horizontally so
// the ink's principal axis stands upright (x' = x + α·(y − ȳ), α = μ11 / μ02), with the centre of
// mass kept where it was. It takes away the one thing that differs most between writers, the slant.
// Whether it pays is measured, not assumed: scripts/bench/recognition.ts (BENCH_RECOG=deskew) trains
// the default model with and without it and compares on held-out digits and proxy writers.
import { IMAGE_PIXELS, IMAGE_SIDE } from './dataset';

/** Shears larger than this are not slant but a flat shape (a lone bar): left alone. */
const MAX_SHEAR = 1;

/** The horizontal shear α that makes the sample upright (0 when there is no ink or no height). */
export function skewOf(px: ArrayLike<number>): number {
  const side = IMAGE_SIDE;
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = px[y * side + x]!;
      m += v;
      sx += x * v;
      sy += y * v;
    }
  }
  if (m === 0) return 0;
  const cx = sx / m;
  const cy = sy / m;
  let m11 = 0;
  let m02 = 0;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const v = px[y * side + x]!;
      m11 += (x - cx) * (y - cy) * v;
      m02 += (y - cy) * (y - cy) * v;
    }
  }
  if (m02 <= 0) return 0;
  const a = m11 / m02;
  return Math.abs(a) > MAX_SHEAR ? 0 : a;
}

/**
 * The sample deskewed into `out` (a new array when absent): each row is resampled, linearly, at
 * x + α·(y − ȳ). Ink sheared past the frame's edge is lost, as in MNIST's own deskewed variant.
 */
export function deskew(px: Uint8Array, out: Uint8Array = new Uint8Array(IMAGE_PIXELS)): Uint8Array {
  const side = IMAGE_SIDE;
  const a = skewOf(px);
  if (a === 0) {
    out.set(px.subarray(0, IMAGE_PIXELS));
    return out;
  }
  let m = 0;
  let sy = 0;
  for (let i = 0; i < IMAGE_PIXELS; i++) {
    m += px[i]!;
    sy += Math.floor(i / side) * px[i]!;
  }
  const cy = sy / m;
  for (let y = 0; y < side; y++) {
    const shift = a * (y - cy);
    const row = y * side;
    for (let x = 0; x < side; x++) {
      const s = x + shift;
      const x0 = Math.floor(s);
      const f = s - x0;
      const l = x0 >= 0 && x0 < side ? px[row + x0]! : 0;
      const r = x0 + 1 >= 0 && x0 + 1 < side ? px[row + x0 + 1]! : 0;
      out[row + x] = Math.round(l + (r - l) * f);
    }
  }
  return out;
}

/** Every sample of a dataset deskewed (a new dataset; labels and sources shared). */
export function deskewDataset<T extends { count: number; pixels: Uint8Array }>(ds: T): T {
  const pixels = new Uint8Array(ds.pixels.length);
  for (let i = 0; i < ds.count; i++) {
    deskew(ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS));
  }
  return { ...ds, pixels };
}
