// Resampling weights for placing the digit's box in the 28×28 frame: exact area averages when
// shrinking (thin strokes antialias instead of vanishing), bilinear when enlarging.
import { IMAGE_SIDE as SIDE } from '../dataset';

// A local copy: bundlers may turn imported constants into getters, which hot loops can't afford.
const IMAGE_SIDE: number = SIDE;

export interface Taps {
  idx: number[];
  wt: number[];
}

/**
 * For each of the 28 output positions along one axis, the source pixels (within [lo, hi)) and
 * weights. Output u covers source [lo + (u - off) / s, lo + (u + 1 - off) / s). Shrinking: exact
 * area average (antialiased). Enlarging: bilinear at the pixel centre (smooth, not blocky).
 */
export function axisWeights(lo: number, hi: number, off: number, s: number, size: number): Taps[] {
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
