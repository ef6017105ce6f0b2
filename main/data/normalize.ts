// Turns any grayscale picture of one digit into a 28×28 MNIST-style sample, following MNIST's own
// recipe: white ink on black, background and uneven lighting removed, cropped to the ink, scaled to
// fit 20×20 (aspect kept, area-averaged so thin strokes antialias instead of vanishing), then placed
// so the ink's centre of mass is the centre of the 28×28 frame. The SAME function serves training
// import, predicting a file and the drawing pad, so the model always sees inputs prepared alike.
import { IMAGE_PIXELS as PIXELS, IMAGE_SIDE as SIDE } from './dataset';
import { inkLevels } from './ink/background';
import { axisWeights } from './ink/resample';
import { scratchF32 } from './ink/scratch';
import { dilate, inkBox, removeSpeckles, strokeWidth } from './ink/strokes';

// Local copies: bundlers may turn imported constants into getters, which hot loops can't afford.
const IMAGE_PIXELS: number = PIXELS;
const IMAGE_SIDE: number = SIDE;

/** Pictures larger than this (on their long side) are area-averaged down first: plenty for a digit. */
const WORK_MAX_SIDE = 768;
/** MNIST fits the digit in a 20×20 box inside the 28×28 frame. */
const BOX = 20;
/** Target stroke width in the 28×28 output, in pixels (MNIST strokes are about 2–3 px wide). */
const MIN_STROKE_OUT = 2.2;


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
