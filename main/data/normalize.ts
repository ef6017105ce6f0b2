// Turns any grayscale picture of one digit into a 28×28 MNIST-style sample, following MNIST's own
// recipe: white ink on black, background and uneven lighting removed, cropped to the ink, scaled to
// fit 20×20 (aspect kept, area-averaged so thin strokes antialias instead of vanishing), then placed
// so the ink's centre of mass is the centre of the 28×28 frame. The SAME function serves training
// import, predicting a file and the drawing pad, so the model always sees inputs prepared alike.
import { IMAGE_PIXELS as PIXELS, IMAGE_SIDE as SIDE } from './dataset';

// Local copies: bundlers may turn imported constants into getters, which hot loops can't afford.
const IMAGE_PIXELS: number = PIXELS;
const IMAGE_SIDE: number = SIDE;

/** Pictures larger than this (on their long side) are area-averaged down first: plenty for a digit. */
const WORK_MAX_SIDE = 768;
/** MNIST fits the digit in a 20×20 box inside the 28×28 frame. */
const BOX = 20;
/** Target stroke width in the 28×28 output, in pixels (MNIST strokes are about 2–3 px wide). */
const MIN_STROKE_OUT = 2.2;

// Scratch buffers reused across calls: importing 21,000 photos would otherwise churn ~100 KB of
// garbage per photo, and the heap would balloon between collections. normalizeDigit is synchronous,
// so one set per thread (module instance) is safe. Slots are used one after another, never nested.
const f32Slots: Float32Array[] = [new Float32Array(0), new Float32Array(0)];
let i32Slot = new Int32Array(0);
let i32Stack = new Int32Array(0);
let f64Slot = new Float64Array(0);

function scratchF64(n: number): Float64Array {
  if (f64Slot.length < n) f64Slot = new Float64Array(Math.ceil(n * 1.25));
  return f64Slot.subarray(0, n);
}

function scratchF32(slot: 0 | 1, n: number): Float32Array {
  if (f32Slots[slot]!.length < n) f32Slots[slot] = new Float32Array(Math.ceil(n * 1.25));
  return f32Slots[slot]!.subarray(0, n);
}

function scratchI32(n: number): Int32Array {
  if (i32Slot.length < n) i32Slot = new Int32Array(Math.ceil(n * 1.25));
  return i32Slot.subarray(0, n);
}

/**
 * Normalises `gray` (width×height bytes, row-major, any polarity) to 784 bytes: 0 = background,
 * 255 = ink. A blank or featureless picture gives all zeros.
 */
export function normalizeDigit(gray: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(IMAGE_PIXELS);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return out;
  if (gray.length < width * height) return out;

  const work = inkLevels(gray, width, height, WORK_MAX_SIDE);
  if (!work) return out;
  const w = work.width;
  const h = work.height;
  const img = work.data;

  removeSpeckles(img, w, h);
  const box = inkBox(img, w, h);
  if (!box) return out;

  const bw = box.x1 - box.x0;
  const bh = box.y1 - box.y0;
  const s = BOX / Math.max(bw, bh);

  // Thin pen lines would fade to grey when a big photo shrinks to 20 px: thicken them first.
  const strokeSrc = strokeWidth(img, w, h, box);
  const wanted = MIN_STROKE_OUT / s;
  if (strokeSrc > 0 && strokeSrc < wanted) {
    const r = Math.min(Math.round((wanted - strokeSrc) / 2), 64);
    if (r >= 1) dilate(img, w, h, r);
  }

  // Centre of mass of the ink, then the placement of the scaled box so that it lands at (14, 14).
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const v = img[y * w + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  if (mass <= 0) return out;
  // MNIST's centres of mass sit at pixel index 14.0 (measured over the 10,000 starter digits), i.e.
  // 14.5 in these pixel-centre coordinates.
  const half = IMAGE_SIDE / 2 + 0.5;
  // Output coordinate u maps to source x = box.x0 + (u - ox) / s. Choose ox so the mass centre maps to 14,
  // but keep the scaled box inside the frame (as MNIST did).
  // Whole-pixel shifts, as MNIST did: a fractional shift would blur every stroke by half a pixel.
  const clampOff = (o: number, len: number): number => Math.round(Math.min(Math.max(o, 0), IMAGE_SIDE - len * s));
  const ox = clampOff(half - (mx / mass - box.x0) * s, bw);
  const oy = clampOff(half - (my / mass - box.y0) * s, bh);

  const colW = axisWeights(box.x0, box.x1, ox, s, w);
  const rowW = axisWeights(box.y0, box.y1, oy, s, h);
  // Separable resample: rows of the crop → 28 columns, then 28 rows.
  const tmp = scratchF32(1, (box.y1 - box.y0) * IMAGE_SIDE);
  for (let y = box.y0; y < box.y1; y++) {
    const rowBase = y * w;
    const tBase = (y - box.y0) * IMAGE_SIDE;
    for (let u = 0; u < IMAGE_SIDE; u++) {
      const cw = colW[u]!;
      let acc = 0;
      for (let k = 0; k < cw.idx.length; k++) acc += img[rowBase + cw.idx[k]!]! * cw.wt[k]!;
      tmp[tBase + u] = acc;
    }
  }
  const res = new Float32Array(IMAGE_PIXELS);
  let max = 0;
  for (let v = 0; v < IMAGE_SIDE; v++) {
    const rw = rowW[v]!;
    for (let u = 0; u < IMAGE_SIDE; u++) {
      let acc = 0;
      for (let k = 0; k < rw.idx.length; k++) acc += tmp[(rw.idx[k]! - box.y0) * IMAGE_SIDE + u]! * rw.wt[k]!;
      res[v * IMAGE_SIDE + u] = acc;
      if (acc > max) max = acc;
    }
  }
  if (max <= 0) return out;
  const k = 255 / max;
  for (let i = 0; i < IMAGE_PIXELS; i++) out[i] = Math.min(255, Math.round(res[i]! * k));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Steps

/**
 * The background removal every reader of handwriting shares (one digit here, whole numbers and
 * sheets in main/read/): the picture shrunk so its long side is at most `maxSide`, polarity made
 * white-on-black, the lighting surface removed, then thresholded just above the noise and
 * stretched so stroke bodies saturate. Null when the picture is blank. The data is a scratch
 * buffer: valid only until the next call into this module (copy it to keep it).
 */
function inkLevels(gray: Uint8Array, width: number, height: number, maxSide: number): Work | null {
  const work = downscaleToFit(gray, width, height, maxSide);
  const w = work.width;
  const h = work.height;
  const img = work.data; // Float32, 0..255

  const darkInk = inkIsDark(img, w, h);
  if (darkInk) for (let i = 0; i < img.length; i++) img[i] = 255 - img[i]!;

  // Ink is now bright. Subtract a smooth background surface (uneven lighting, shadows, tinted paper).
  // Dark ink on paper is a reflectance: a dimly lit part of the page has proportionally fainter
  // ink, so there the residual is divided by the local paper brightness (multiplicative lighting).
  let sigma = noiseSigma(img, w, h);
  sigma *= subtractBackground(img, w, h, darkInk);

  const stats = { sigma, peak: inkPeak(img) };
  // Blank: nothing rises clearly above the noise.
  if (stats.peak < Math.max(12, 6 * stats.sigma)) return null;

  // Threshold just above the noise (and a fraction of the ink level, so faint smudges go), then
  // stretch so the body of the strokes saturates like MNIST's pen strokes while edges stay soft.
  const t = Math.max(3 * stats.sigma, 0.1 * stats.peak, 4);
  let hi = percentileAbove(img, t, 0.6);
  if (hi <= t + 1) hi = t + 1;
  const scale = 255 / (hi - t);
  for (let i = 0; i < img.length; i++) {
    const v = (img[i]! - t) * scale;
    img[i] = v <= 0 ? 0 : v >= 255 ? 255 : v;
  }
  return work;
}

/** The ink of a picture of any size and polarity, as `normalizeDigit` sees it (0 = paper, 255 = ink). */
export interface InkMap {
  ink: Float32Array;
  width: number;
  height: number;
  /** Picture pixels per ink-map pixel along each axis (≥ 1: large pictures are area-averaged down). */
  scale: number;
}

/**
 * `normalizeDigit`'s background removal on its own, for pictures holding many digits (main/read/).
 * The long side is shrunk to at most `maxSide` by an integer factor. Null when there is no ink.
 */
export function extractInk(gray: Uint8Array, width: number, height: number, maxSide = WORK_MAX_SIDE): InkMap | null {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) return null;
  if (gray.length < width * height) return null;
  const work = inkLevels(gray, width, height, maxSide);
  if (!work) return null;
  return { ink: Float32Array.from(work.data), width: work.width, height: work.height, scale: Math.max(1, Math.ceil(Math.max(width, height) / maxSide)) };
}

interface Work {
  data: Float32Array;
  width: number;
  height: number;
}

/** Area-averaging downscale by an integer factor so the long side is ≤ maxSide; copies to float. */
function downscaleToFit(gray: Uint8Array, width: number, height: number, maxSide: number): Work {
  const f = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  if (f === 1) {
    const data = scratchF32(0, width * height);
    for (let i = 0; i < data.length; i++) data[i] = gray[i]!;
    return { data, width, height };
  }
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const sum = scratchF32(0, w * h).fill(0);
  const cnt = scratchF32(1, w * h).fill(0);
  for (let y = 0; y < height; y++) {
    const oy = ((y / f) | 0) * w;
    const base = y * width;
    for (let x = 0; x < width; x++) {
      const o = oy + ((x / f) | 0);
      sum[o]! += gray[base + x]!;
      cnt[o]!++;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! / cnt[i]!;
  return { data: sum, width: w, height: h };
}

/** Histogram-based percentile of values clamped to 0..255 (q in 0..1). */
function percentile(hist: Uint32Array, total: number, q: number): number {
  const target = q * (total - 1);
  let acc = 0;
  for (let v = 0; v < hist.length; v++) {
    acc += hist[v]!;
    if (acc > target) return v;
  }
  return hist.length - 1;
}

/**
 * Is the ink darker than the paper? The paper is what the border shows (ink seldom fills the
 * border); the ink is the extreme that lies farther from it.
 */
function inkIsDark(img: Float32Array, w: number, h: number): boolean {
  const ring = Math.max(1, Math.round(Math.min(w, h) * 0.03));
  const border = new Uint32Array(256);
  const all = new Uint32Array(256);
  let nb = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = (img[y * w + x]! + 0.5) | 0;
      all[v]!++;
      if (x < ring || y < ring || x >= w - ring || y >= h - ring) {
        border[v]!++;
        nb++;
      }
    }
  }
  const n = w * h;
  const bg = percentile(border, nb, 0.5);
  const lo = percentile(all, n, 0.01);
  const hi = percentile(all, n, 0.99);
  if (bg - lo !== hi - bg) return bg - lo > hi - bg;
  return bg > 127;
}

/**
 * Fits a quadratic surface to the background (robustly: pixels well above the fit, i.e. ink, are
 * dropped and the fit repeated) and subtracts it, so gradients and vignetting vanish. Negative
 * results are clipped to 0. A low-order surface can't follow strokes, so it never hollows them.
 * Returns the mean gain applied (1 unless `relative`), by which the noise level scales too.
 */
function subtractBackground(img: Float32Array, w: number, h: number, relative: boolean): number {
  // Sample on a grid of at most ~20×20 points: plenty for six coefficients. Typed arrays, reused:
  // this runs once per picture, 21,000 times in a big import.
  const step = Math.max(1, Math.floor(Math.max(w, h) / 20));
  const cols = Math.ceil((w - Math.floor(step / 2)) / step);
  const rows = Math.ceil((h - Math.floor(step / 2)) / step);
  const n = cols * rows;
  const grid = scratchF64(6 * n);
  const xs = grid.subarray(0, n);
  const ys = grid.subarray(n, 2 * n);
  const vs = grid.subarray(2 * n, 3 * n);
  const res = grid.subarray(3 * n, 4 * n);
  const abs = grid.subarray(4 * n, 5 * n);
  const use = grid.subarray(5 * n, 6 * n);
  let k = 0;
  for (let y = Math.floor(step / 2); y < h; y += step) {
    for (let x = Math.floor(step / 2); x < w; x += step) {
      xs[k] = (2 * x) / w - 1;
      ys[k] = (2 * y) / h - 1;
      vs[k] = img[y * w + x]!;
      k++;
    }
  }
  // Start from a robust constant: the lower half of the samples is background in any digit picture.
  abs.set(vs);
  let coef = [select(abs, Math.floor(n * 0.4)), 0, 0, 0, 0, 0];
  for (let iter = 0; iter < 3; iter++) {
    // Keep samples not far above the current fit.
    for (let i = 0; i < n; i++) {
      res[i] = vs[i]! - evalQuad(coef, xs[i]!, ys[i]!);
      abs[i] = Math.abs(res[i]!);
    }
    const mad = select(abs, n >> 1) * 1.4826 + 1;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const keep = res[i]! < 2.5 * mad;
      use[i] = keep ? 1 : 0;
      if (keep) kept++;
    }
    if (kept < 12) break;
    const fit = fitQuad(xs, ys, vs, use);
    if (!fit) break;
    coef = fit;
  }
  const [c0, c1, c2, c3, c4, c5] = coef as [number, number, number, number, number, number];
  // This loop touches every pixel: the column coordinates are computed once, and the relative and
  // absolute cases are separate loops rather than a test per pixel.
  const nxs = scratchF64(w);
  for (let x = 0; x < w; x++) nxs[x] = (2 * x) / w - 1;
  let gainSum = 0;
  for (let y = 0; y < h; y++) {
    const ny = (2 * y) / h - 1;
    // Along a row the surface is a + b·x + c·x².
    const a = c0 + c2 * ny + c5 * ny * ny;
    const b = c1 + c4 * ny;
    const base = y * w;
    if (relative) {
      for (let x = 0; x < w; x++) {
        const nx = nxs[x]!;
        const bg = a + (b + c3 * nx) * nx;
        // Paper brightness here is 255 - bg (the image is inverted); never divide by near-black.
        const gain = 255 / Math.max(48, Math.min(255, 255 - bg));
        gainSum += gain;
        const v = (img[base + x]! - bg) * gain;
        img[base + x] = v > 0 ? (v < 255 ? v : 255) : 0;
      }
    } else {
      for (let x = 0; x < w; x++) {
        const nx = nxs[x]!;
        const v = img[base + x]! - (a + (b + c3 * nx) * nx);
        img[base + x] = v > 0 ? (v < 255 ? v : 255) : 0;
      }
      gainSum += w;
    }
  }
  return gainSum / (w * h);
}

/** The k-th smallest value (quickselect; reorders `a`). Sorting here cost more than the rest of the step. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function evalQuad(c: number[], x: number, y: number): number {
  return c[0]! + c[1]! * x + c[2]! * y + c[3]! * x * x + c[4]! * x * y + c[5]! * y * y;
}

/** Least squares for a quadratic surface through the used samples (6×6 normal equations). */
function fitQuad(xs: Float64Array, ys: Float64Array, vs: Float64Array, use: Float64Array): number[] | null {
  const a = new Float64Array(42); // 6 rows × 7 columns (augmented)
  // The upper triangle, accumulated in locals (the same sums, in the same order, as a 6×7 loop).
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s04 = 0, s05 = 0, s06 = 0;
  let s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0, s16 = 0;
  let s22 = 0, s23 = 0, s24 = 0, s25 = 0, s26 = 0;
  let s33 = 0, s34 = 0, s35 = 0, s36 = 0;
  let s44 = 0, s45 = 0, s46 = 0;
  let s55 = 0, s56 = 0;
  for (let i = 0; i < vs.length; i++) {
    if (!use[i]) continue;
    const x = xs[i]!;
    const y = ys[i]!;
    const v = vs[i]!;
    const f3 = x * x;
    const f4 = x * y;
    const f5 = y * y;
    s00 += 1; s01 += x; s02 += y; s03 += f3; s04 += f4; s05 += f5; s06 += v;
    s11 += x * x; s12 += x * y; s13 += x * f3; s14 += x * f4; s15 += x * f5; s16 += x * v;
    s22 += y * y; s23 += y * f3; s24 += y * f4; s25 += y * f5; s26 += y * v;
    s33 += f3 * f3; s34 += f3 * f4; s35 += f3 * f5; s36 += f3 * v;
    s44 += f4 * f4; s45 += f4 * f5; s46 += f4 * v;
    s55 += f5 * f5; s56 += f5 * v;
  }
  a.set([s00, s01, s02, s03, s04, s05, s06], 0);
  a.set([0, s11, s12, s13, s14, s15, s16], 7);
  a.set([0, 0, s22, s23, s24, s25, s26], 14);
  a.set([0, 0, 0, s33, s34, s35, s36], 21);
  a.set([0, 0, 0, 0, s44, s45, s46], 28);
  a.set([0, 0, 0, 0, 0, s55, s56], 35);
  for (let r = 0; r < 6; r++) for (let c = 0; c < r; c++) a[r * 7 + c] = a[c * 7 + r]!;
  // Tiny ridge keeps it solvable when the samples are degenerate (a 1-pixel-high image).
  for (let r = 0; r < 6; r++) a[r * 7 + r]! += 1e-6 * (a[0]! + 1);
  for (let col = 0; col < 6; col++) {
    let piv = col;
    for (let r = col + 1; r < 6; r++) if (Math.abs(a[r * 7 + col]!) > Math.abs(a[piv * 7 + col]!)) piv = r;
    if (Math.abs(a[piv * 7 + col]!) < 1e-12) return null;
    if (piv !== col) {
      for (let c = 0; c < 7; c++) {
        const t = a[col * 7 + c]!;
        a[col * 7 + c] = a[piv * 7 + c]!;
        a[piv * 7 + c] = t;
      }
    }
    for (let r = 0; r < 6; r++) {
      if (r === col) continue;
      const k = a[r * 7 + col]! / a[col * 7 + col]!;
      if (k === 0) continue;
      for (let c = col; c < 7; c++) a[r * 7 + c]! -= k * a[col * 7 + c]!;
    }
  }
  const out: number[] = [];
  for (let r = 0; r < 6; r++) out.push(a[r * 7 + 6]! / a[r * 7 + r]!);
  return out.every(Number.isFinite) ? out : null;
}

/**
 * Noise σ from the median absolute difference of horizontal neighbours: smooth backgrounds and
 * stroke interiors differ only by noise, and stroke edges are a minority, so the median ignores them.
 */
function noiseSigma(img: Float32Array, w: number, h: number): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let x = 1; x < w; x++) {
      const d = (Math.abs(img[base + x]! - img[base + x - 1]!) + 0.5) | 0;
      hist[d > 255 ? 255 : d]!++;
      n++;
    }
  }
  if (!n) return 0;
  return (percentile(hist, n, 0.5) * 1.4826) / Math.SQRT2;
}

/** The ink level: a high percentile of the residual (small digits occupy few pixels). */
function inkPeak(img: Float32Array): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.length; i++) {
    const v = (img[i]! + 0.5) | 0; // values are 0..255 here
    hist[v > 255 ? 255 : v]!++;
  }
  const n = img.length;
  const top = percentile(hist, n, 1);
  // Not the single brightest pixel (a hot pixel), but not so low that a small digit is missed.
  return Math.max(percentile(hist, n, n > 4000 ? 0.998 : 0.99), top * 0.5);
}

/** The q-quantile of the values above t. */
function percentileAbove(img: Float32Array, t: number, q: number): number {
  const hist = new Uint32Array(256);
  let n = 0;
  for (let i = 0; i < img.length; i++) {
    const v = img[i]!;
    if (v > t) {
      hist[Math.min(255, Math.round(v))]!++;
      n++;
    }
  }
  return n ? percentile(hist, n, q) : t;
}

/** Drops small isolated blobs (sensor noise, dust) that would stretch the bounding box. */
function removeSpeckles(img: Float32Array, w: number, h: number): void {
  const label = scratchI32(w * h).fill(-1);
  const areas: number[] = [];
  // Each pixel is pushed at most once (it is labelled when pushed), so w×h entries always suffice.
  if (i32Stack.length < w * h) i32Stack = new Int32Array(Math.ceil(w * h * 1.25));
  const stack = i32Stack;
  for (let start = 0; start < img.length; start++) {
    if (img[start]! <= 0 || label[start]! >= 0) continue;
    const id = areas.length;
    let area = 0;
    label[start] = id;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const p = stack[--top]!;
      area++;
      const py = (p / w) | 0;
      const px = p - py * w;
      for (let dy = -1; dy <= 1; dy++) {
        const y = py + dy;
        if (y < 0 || y >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          if (x < 0 || x >= w) continue;
          const q = y * w + x;
          if (img[q]! > 0 && label[q]! < 0) {
            label[q] = id;
            stack[top++] = q;
          }
        }
      }
    }
    areas.push(area);
  }
  if (areas.length <= 1) return;
  const largest = Math.max(...areas);
  // Parts of a digit (the bar of a 5, the foot of a 1) are big; noise specks are a few pixels.
  const minArea = Math.max(3, largest * 0.08);
  for (let i = 0; i < img.length; i++) {
    const l = label[i]!;
    if (l >= 0 && areas[l]! < minArea) img[i] = 0;
  }
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function inkBox(img: Float32Array, w: number, h: number): Box | null {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (img[y * w + x]! > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1: x1 + 1, y1: y1 + 1 };
}

/** Mean stroke width ≈ 2 × area / boundary length (a long band of width d has boundary ≈ 2 × length). */
function strokeWidth(img: Float32Array, w: number, h: number, b: Box): number {
  let area = 0;
  let edge = 0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let x = b.x0; x < b.x1; x++) {
      const i = y * w + x;
      if (img[i]! < 128) continue;
      area++;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) edge++;
      else if (img[i - 1]! < 128 || img[i + 1]! < 128 || img[i - w]! < 128 || img[i + w]! < 128) edge++;
    }
  }
  return edge ? (2 * area) / edge : 0;
}

/** Grayscale dilation with a (2r+1)² square, separable. */
function dilate(img: Float32Array, w: number, h: number, r: number): void {
  const tmp = scratchF32(1, img.length);
  for (let y = 0; y < h; y++) {
    const base = y * w;
    for (let x = 0; x < w; x++) {
      let m = 0;
      const a = Math.max(0, x - r);
      const z = Math.min(w - 1, x + r);
      for (let k = a; k <= z; k++) if (img[base + k]! > m) m = img[base + k]!;
      tmp[base + x] = m;
    }
  }
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      let m = 0;
      const a = Math.max(0, y - r);
      const z = Math.min(h - 1, y + r);
      for (let k = a; k <= z; k++) if (tmp[k * w + x]! > m) m = tmp[k * w + x]!;
      img[y * w + x] = m;
    }
  }
}

interface Taps {
  idx: number[];
  wt: number[];
}

/**
 * For each of the 28 output positions along one axis, the source pixels (within [lo, hi)) and
 * weights. Output u covers source [lo + (u - off) / s, lo + (u + 1 - off) / s). Shrinking: exact
 * area average (antialiased). Enlarging: bilinear at the pixel centre (smooth, not blocky).
 */
function axisWeights(lo: number, hi: number, off: number, s: number, size: number): Taps[] {
  const taps: Taps[] = [];
  for (let u = 0; u < IMAGE_SIDE; u++) {
    const idx: number[] = [];
    const wt: number[] = [];
    if (s <= 1) {
      const a = lo + (u - off) / s;
      const b = lo + (u + 1 - off) / s;
      const from = Math.max(lo, Math.floor(a));
      const to = Math.min(hi, Math.ceil(b));
      for (let p = from; p < to; p++) {
        const cover = Math.min(b, p + 1) - Math.max(a, p);
        if (cover > 0) {
          idx.push(p);
          wt.push(cover * s);
        }
      }
    } else {
      const c = lo + (u + 0.5 - off) / s - 0.5;
      const p0 = Math.floor(c);
      const f = c - p0;
      for (const [p, q] of [
        [p0, 1 - f],
        [p0 + 1, f],
      ] as const) {
        if (p >= lo && p < hi && p < size && q > 0) {
          idx.push(p);
          wt.push(q);
        }
      }
    }
    taps.push({ idx, wt });
  }
  return taps;
}
