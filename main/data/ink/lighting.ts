// The lighting surface of a picture of handwriting (background.ts removes it before thresholding):
// a quadratic surface fitted robustly to the paper, so gradients, shadows and vignetting vanish
// while strokes, which a low-order surface can't follow, stay whole. Apart from background.ts
// because it is a least-squares fit with its own numerics; background.ts keeps the levels.
import { scratchF64 } from './scratch';

/**
 * Fits a quadratic surface to the background (robustly: pixels well above the fit, i.e. ink, are
 * dropped and the fit repeated) and subtracts it, so gradients and vignetting vanish. Negative
 * results are clipped to 0. A low-order surface can't follow strokes, so it never hollows them.
 * Returns the mean gain applied (1 unless `relative`), by which the noise level scales too.
 */
export function subtractBackground(img: Float32Array, w: number, h: number, relative: boolean): number {
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
