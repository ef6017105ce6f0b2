// What the read verifier (main/ml-process/read-verifier.ts) sees of a candidate digit: not the
// normalised 28×28 sample the digit model reads, which scales every piece to the same size and so
// hides what tells a fragment or a merged pair from a digit, but the piece in its place on the line
// at the line's scale: a square window 1.4 digit heights wide around the piece's box centre, 28×28
// pixels (a digit is ~20 px tall, as in MNIST), with two channels: the piece's own ink, and the
// ink around it (its neighbours, and what a cut left behind). A sliver is then small, a merged
// pair wide, and a cut that takes a neighbour's stroke or leaves part of its own shows it.
import type { InkMap } from '../data/normalize';
import type { Labelled } from './components';
import { memberTest } from './crop';
import type { Unit } from './layout';

export const VIEW_SIDE = 28;
export const VIEW_CHANNELS = 2;
export const VIEW_VALUES = VIEW_SIDE * VIEW_SIDE * VIEW_CHANNELS;
/** Window side in digit heights. */
const WINDOW = 1.4;

/** The piece's view: 28×28×2 bytes, row-major, channels interleaved (0: the piece, 1: other ink). */
export function pieceView(map: InkMap, lab: Labelled, unit: Unit, H: number): Uint8Array {
  const inUnit = memberTest(lab, unit);
  const side = Math.max(2, WINDOW * H);
  const step = side / VIEW_SIDE;
  const cx = (unit.x0 + unit.x1) / 2;
  const cy = (unit.y0 + unit.y1) / 2;
  const out = new Uint8Array(VIEW_VALUES);
  const W = map.width;
  // Area average over each output pixel's footprint (the map is ~2–4× larger than the view).
  for (let oy = 0; oy < VIEW_SIDE; oy++) {
    const ya = Math.floor(cy + (oy - VIEW_SIDE / 2) * step);
    const yb = Math.max(ya + 1, Math.floor(cy + (oy + 1 - VIEW_SIDE / 2) * step));
    for (let ox = 0; ox < VIEW_SIDE; ox++) {
      const xa = Math.floor(cx + (ox - VIEW_SIDE / 2) * step);
      const xb = Math.max(xa + 1, Math.floor(cx + (ox + 1 - VIEW_SIDE / 2) * step));
      let own = 0;
      let other = 0;
      let n = 0;
      for (let y = ya; y < yb; y++) {
        for (let x = xa; x < xb; x++) {
          n++;
          if (y < 0 || y >= map.height || x < 0 || x >= W) continue;
          const p = y * W + x;
          const v = map.ink[p]!;
          if (v <= 0) continue;
          if (inUnit(p, x, y)) own += v;
          else other += v;
        }
      }
      const o = (oy * VIEW_SIDE + ox) * VIEW_CHANNELS;
      out[o] = Math.min(255, Math.round(own / n));
      out[o + 1] = Math.min(255, Math.round(other / n));
    }
  }
  return out;
}
