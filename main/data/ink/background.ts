// Background removal, the first half of every reader of handwriting (normalizeDigit for one digit,
// main/read/ for numbers and sheets): shrink, make the ink bright, take away the lighting surface,
// threshold above the noise. Split from normalize.ts, which keeps the placement in the 28×28 frame.
// The lighting surface itself is fitted in lighting.ts.
import { scratchF32 } from './scratch';
import { subtractBackground } from './lighting';

/**
 * The background removal every reader of handwriting shares (one digit here, whole numbers and
 * sheets in main/read/): the picture shrunk so its long side is at most `maxSide`, polarity made
 * white-on-black, the lighting surface removed, then thresholded just above the noise and
 * stretched so stroke bodies saturate. Null when the picture is blank. The data is a scratch
 * buffer: valid only until the next call into this module (copy it to keep it).
 */
export function inkLevels(gray: Uint8Array, width: number, height: number, maxSide: number): Work | null {
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

export interface Work {
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
