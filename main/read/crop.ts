// One unit's ink cut out of the picture and handed to the one normalisation (normalizeDigit), so a
// digit found in a number is prepared exactly like a digit imported or drawn on its own. Only the
// unit's own ink is copied: a neighbour's stroke reaching into the box stays out.
import type { InkMap } from '../data/normalize';
import { normalizeDigit } from '../data/normalize';
import type { Labelled } from './components';
import type { Unit } from './layout';

export interface Crop {
  gray: Uint8Array;
  width: number;
  height: number;
}

/** Unit membership of the pixel p at (x, y). */
export function memberTest(lab: Labelled, unit: Unit): (p: number, x: number, y: number) => boolean {
  const set = new Set(unit.comps);
  const { cx0, cx1, left, right } = unit;
  const label = lab.label;
  if (!left && !right) return (p, x) => x >= cx0 && x < cx1 && set.has(label[p]!);
  return (p, x, y) => x >= cx0 && x < cx1 && (!left || x >= left[y]!) && (!right || x < right[y]!) && set.has(label[p]!);
}

/** Shrinks the unit's box to the ink it really owns (after a cut, the pieces' boxes are too wide). */
export function fitBox(lab: Labelled, mapWidth: number, unit: Unit): Unit {
  const inUnit = memberTest(lab, unit);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  let area = 0;
  const xa = Math.max(unit.x0, unit.cx0);
  const xb = Math.min(unit.x1, unit.cx1);
  for (let y = unit.y0; y < unit.y1; y++) {
    for (let x = xa; x < xb; x++) {
      if (!inUnit(y * mapWidth + x, x, y)) continue;
      area++;
      if (x < x0) x0 = x;
      if (x >= x1) x1 = x + 1;
      if (y < y0) y0 = y;
      if (y >= y1) y1 = y + 1;
    }
  }
  if (x1 < 0) return { ...unit, x0: xa, x1: xa, y0: unit.y0, y1: unit.y0, area: 0 };
  return { ...unit, x0, y0, x1, y1, area };
}

/**
 * The unit's ink on black with a margin of paper, white ink (as normalizeDigit accepts any
 * polarity, the margin tells it which is which). Faint edge pixels next to the unit's ink come
 * along, so strokes keep their soft edges.
 */
export function cropUnit(map: InkMap, lab: Labelled, unit: Unit): Crop {
  const inUnit = memberTest(lab, unit);
  const bw = unit.x1 - unit.x0;
  const bh = unit.y1 - unit.y0;
  const m = Math.max(3, Math.round(0.15 * Math.max(bw, bh)));
  const width = bw + 2 * m;
  const height = bh + 2 * m;
  const gray = new Uint8Array(width * height);
  const W = map.width;
  const Hm = map.height;
  for (let y = unit.y0 - 1; y <= unit.y1; y++) {
    if (y < 0 || y >= Hm) continue;
    for (let x = unit.x0 - 1; x <= unit.x1; x++) {
      if (x < 0 || x >= W) continue;
      const p = y * W + x;
      const v = map.ink[p]!;
      if (v <= 0) continue;
      let take = inUnit(p, x, y);
      if (!take && lab.label[p]! < 0) {
        // A faint pixel (below the piece threshold) beside this unit's ink.
        for (let dy = -1; dy <= 1 && !take; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= Hm) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx >= 0 && xx < W && inUnit(yy * W + xx, xx, yy)) {
              take = true;
              break;
            }
          }
        }
      }
      if (take) gray[(y - unit.y0 + m) * width + (x - unit.x0 + m)] = Math.round(v);
    }
  }
  return { gray, width, height };
}

/** The 28×28 sample the model sees for this unit. */
export function unitDigit(map: InkMap, lab: Labelled, unit: Unit): Uint8Array {
  const c = cropUnit(map, lab, unit);
  return normalizeDigit(c.gray, c.width, c.height);
}
