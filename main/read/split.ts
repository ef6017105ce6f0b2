// Where a unit may be cut: touching or overlapping digits make one piece of ink, and the cut
// between them is usually where the vertical ink profile is thinnest. This only proposes columns;
// which cuts are taken is decided by the model (line.ts).
import type { Labelled } from './components';
import { fitBox, memberTest } from './crop';
import type { Unit } from './layout';

/** The sheared column range of a unit's box: [lo, hi). */
export function shearedRange(u: Unit): [number, number] {
  const sh = u.shear ?? 0;
  const ym = u.ym ?? 0;
  const a = [u.x0 - sh * (u.y0 - ym), u.x0 - sh * (u.y1 - ym)];
  const b = [u.x1 - sh * (u.y0 - ym), u.x1 - sh * (u.y1 - ym)];
  return [Math.max(u.cx0, Math.floor(Math.min(...a))), Math.min(u.cx1, Math.ceil(Math.max(...b)))];
}

/** The unit's ink per (possibly slanted) column, smoothed over three columns; index 0 is shearedRange's lo. */
function columnProfile(lab: Labelled, mapWidth: number, u: Unit): Float64Array {
  const inUnit = memberTest(lab, u);
  const [lo, hi] = shearedRange(u);
  const w = Math.max(0, hi - lo);
  const sh = u.shear ?? 0;
  const ym = u.ym ?? 0;
  const raw = new Float64Array(w);
  for (let y = u.y0; y < u.y1; y++) {
    for (let x = u.x0; x < u.x1; x++) {
      if (!inUnit(y * mapWidth + x, x, y)) continue;
      const i = Math.floor(x - sh * (y - ym)) - lo;
      if (i >= 0 && i < w) raw[i]!++;
    }
  }
  const out = new Float64Array(w);
  for (let i = 0; i < w; i++) out[i] = (raw[i - 1] ?? raw[i]!) + raw[i]! + (raw[i + 1] ?? raw[i]!);
  return out;
}

/**
 * Candidate cut columns (absolute ink-map x, left to right): the thinnest columns of the profile,
 * at least a stroke apart, more of them for wider units (a blob of three digits needs two cuts).
 */
export function cutCandidates(lab: Labelled, mapWidth: number, u: Unit, H: number): number[] {
  const prof = columnProfile(lab, mapWidth, u);
  const w = prof.length;
  const origin = shearedRange(u)[0];
  // A part narrower than this is no digit (even a 1 is a stroke's width plus some slant).
  const minPart = Math.max(2, Math.round(0.15 * H));
  const lo = minPart;
  const hi = w - minPart;
  if (hi <= lo) return [];
  const wanted = Math.min(16, Math.max(3, Math.round((3 * w) / H)));
  const minima: number[] = [];
  for (let i = lo; i < hi; i++) {
    const l = prof[i - 1]!;
    const r = prof[i + 1] ?? Infinity;
    if (prof[i]! <= l && prof[i]! <= r) minima.push(i);
  }
  minima.sort((a, b) => prof[a]! - prof[b]!);
  const picked: number[] = [];
  const sep = Math.max(2, Math.round(0.12 * H));
  for (const i of minima) {
    if (picked.every((p) => Math.abs(p - i) >= sep)) picked.push(i);
    if (picked.length >= wanted) break;
  }
  // Where the profile has no dips (a long overlap), cuts spread evenly stand in.
  const step = Math.max(sep, Math.round(0.3 * H));
  for (let i = lo; i < hi && picked.length < wanted + 4; i += step) {
    if (picked.every((p) => Math.abs(p - i) >= sep)) picked.push(i);
  }
  return picked.map((i) => origin + i).sort((a, b) => a - b);
}

/** The unit cut into column slices at `cuts` (sorted), each fitted to the ink it keeps; empty slices are dropped. */
export function sliceAt(lab: Labelled, mapWidth: number, u: Unit, cuts: number[]): Unit[] {
  const [lo, hi] = shearedRange(u);
  const edges = [lo, ...cuts, hi];
  const out: Unit[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const a = edges[k]!;
    const b = edges[k + 1]!;
    const part = fitBox(lab, mapWidth, u.shear ? { ...u, cx0: Math.max(u.cx0, a), cx1: Math.min(u.cx1, b) } : { ...u, cx0: Math.max(u.cx0, a), cx1: Math.min(u.cx1, b), x0: a, x1: b });
    if (part.area > 0) out.push(part);
  }
  return out;
}
