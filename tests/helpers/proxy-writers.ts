// Proxies for "other writers" and "photos", made from MNIST TEST digits (writers the training set
// never saw) transformed strongly and consistently, the way one person's hand or one phone differs
// from MNIST: slant, pen thickness, loops left open, proportions, and photo-style rendering (dark
// ink on unevenly lit, noisy paper). Each result goes through the app's own normalisation
// (normalizeDigit), like a picture the user imports or draws. Deterministic for a seed.
// Used by scripts/bench/recognition.ts and the recognition tests.
import { IMAGE_PIXELS, type Dataset } from '../../main/data/dataset';
import { seededRandom } from '../../main/data/dataset-ops';
import { normalizeDigit } from '../../main/data/normalize';
import { digitPhoto, enlarge } from './digit-photos';

export interface WriterStyle {
  name: string;
  /** Horizontal shear (x += shear × (centre − y)): positive leans right. */
  shear: number;
  /** Width relative to height (1 = as MNIST). */
  aspect: number;
  /** Stroke change in pixels at 28×28 scale: > 0 thicker, < 0 thinner. */
  pen: number;
  /** Erase a gap of this radius (28×28 pixels) in the stroke at the top right of the digit: loops left open. */
  openLoops: number;
  /** Render as a phone-style photo (dark ink on uneven paper, noise) instead of a clean drawing. */
  photo: boolean;
  /** Per-digit random jitter of the rotation, in degrees (nobody writes twice alike). */
  jitterDeg: number;
}

/** The proxies the benchmark reports on. */
export const WRITERS: Record<'writer' | 'photo', WriterStyle> = {
  // A right-leaning, felt-tip writer with narrow digits who leaves loops open at the top.
  writer: { name: 'slanted felt-tip writer', shear: 0.5, aspect: 0.8, pen: 1.4, openLoops: 2, photo: false, jitterDeg: 6 },
  // A phone photo of thin ball-point digits leaning left, wide.
  photo: { name: 'ball-point photo', shear: -0.3, aspect: 1.15, pen: -0.6, openLoops: 0, photo: true, jitterDeg: 6 },
};

const S = 4; // work at 4× (112×112) so thickness and shear are smooth
const W = 28 * S;

/** One digit as the writer would write it: a width×height grayscale picture (not normalised yet). */
export function writeDigit(digit: Uint8Array, style: WriterStyle, rand: () => number): { gray: Uint8Array; width: number; height: number } {
  const big = enlarge(digit, W);
  // Inverse map: output (x, y) samples the source at the un-sheared, un-rotated, un-stretched point.
  const angle = (((rand() * 2 - 1) * style.jitterDeg) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const mid = W / 2;
  const warped = new Float32Array(W * W);
  for (let y = 0; y < W; y++) {
    for (let x = 0; x < W; x++) {
      let ox = x - mid;
      let oy = y - mid;
      const rx = cos * ox + sin * oy;
      const ry = -sin * ox + cos * oy;
      ox = rx / style.aspect;
      oy = ry;
      ox += style.shear * oy; // undo x' = x − shear·y (leans right for shear > 0: top moves right)
      const sx = ox + mid;
      const sy = oy + mid;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= W - 1 || y0 >= W - 1) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      warped[y * W + x] =
        (big[y0 * W + x0]! * (1 - fx) + big[y0 * W + x0 + 1]! * fx) * (1 - fy) + (big[(y0 + 1) * W + x0]! * (1 - fx) + big[(y0 + 1) * W + x0 + 1]! * fx) * fy;
    }
  }
  let img: Float32Array = warped;
  const r = Math.round(Math.abs(style.pen) * S * 0.5);
  if (r > 0) img = morph(img, r, style.pen > 0);
  if (style.openLoops > 0) openTopRight(img, style.openLoops * S);
  const gray = new Uint8Array(W * W);
  for (let i = 0; i < gray.length; i++) gray[i] = Math.max(0, Math.min(255, Math.round(img[i]!)));
  if (!style.photo) return { gray, width: W, height: W };
  // A photo: the drawn digit (shrunk back to 28×28 for the photo renderer, which enlarges it) on paper.
  const small = new Uint8Array(IMAGE_PIXELS);
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) {
      let s = 0;
      for (let dy = 0; dy < S; dy++) for (let dx = 0; dx < S; dx++) s += gray[(y * S + dy) * W + x * S + dx]!;
      small[y * 28 + x] = Math.round(s / (S * S));
    }
  const size = 120 + Math.floor(rand() * 60);
  const width = size + 80;
  const height = size + 60;
  const photo = digitPhoto(small, {
    width,
    height,
    digitSize: size,
    at: { x: Math.floor(rand() * 60), y: Math.floor(rand() * 40) },
    paper: [200 + Math.floor(rand() * 40), 140 + Math.floor(rand() * 50)],
    ink: 30 + Math.floor(rand() * 40),
    noise: 10,
    seed: Math.floor(rand() * 1e9),
  });
  return { gray: photo, width, height };
}

/** Separable square max (thicker) or min (thinner) filter of radius r. */
function morph(img: Float32Array, r: number, grow: boolean): Float32Array {
  const pick = grow ? Math.max : Math.min;
  const tmp = new Float32Array(img.length);
  const out = new Float32Array(img.length);
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++) {
      let m = img[y * W + x]!;
      for (let k = Math.max(0, x - r); k <= Math.min(W - 1, x + r); k++) m = pick(m, img[y * W + k]!);
      tmp[y * W + x] = m;
    }
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++) {
      let m = tmp[y * W + x]!;
      for (let k = Math.max(0, y - r); k <= Math.min(W - 1, y + r); k++) m = pick(m, tmp[k * W + x]!);
      out[y * W + x] = m;
    }
  return out;
}

/** Erases a disk of ink where the stroke crosses the top-right part of the ink's box. */
function openTopRight(img: Float32Array, radius: number): void {
  let x0 = W, y0 = W, x1 = -1, y1 = -1;
  for (let y = 0; y < W; y++)
    for (let x = 0; x < W; x++)
      if (img[y * W + x]! > 64) {
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
  if (x1 < 0) return;
  // The ink pixel nearest to the point 70% across and 15% down the box.
  const tx = x0 + 0.7 * (x1 - x0);
  const ty = y0 + 0.15 * (y1 - y0);
  let best = -1, bd = Infinity;
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++)
      if (img[y * W + x]! > 128) {
        const d = (x - tx) ** 2 + (y - ty) ** 2;
        if (d < bd) { bd = d; best = y * W + x; }
      }
  if (best < 0) return;
  const cx = best % W, cy = Math.floor(best / W);
  const r2 = radius * radius;
  for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(W - 1, Math.ceil(cy + radius)); y++)
    for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(W - 1, Math.ceil(cx + radius)); x++)
      if ((x - cx) ** 2 + (y - cy) ** 2 <= r2) img[y * W + x] = 0;
}

/** The samples at `indices` of `mnist`, as written by `style` and normalised like the app's pictures. */
export function proxyDataset(mnist: Dataset, indices: number[], style: WriterStyle, seed: number): Dataset {
  const rand = seededRandom(seed);
  const n = indices.length;
  const pixels = new Uint8Array(n * IMAGE_PIXELS);
  const labels = new Int8Array(n);
  const sources: string[] = [];
  indices.forEach((i, k) => {
    const { gray, width, height } = writeDigit(mnist.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), style, rand);
    pixels.set(normalizeDigit(gray, width, height), k * IMAGE_PIXELS);
    labels[k] = mnist.labels[i]!;
    sources.push(`${style.name}:${mnist.sources[i]}`);
  });
  return { count: n, pixels, labels, sources };
}
