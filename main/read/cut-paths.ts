// Where touching digits may be cut apart. Digits written close together touch at a point or overlap
// by a stroke; the line between them is seldom a straight column (a 7's bar reaches over the next
// digit's top, a slanted 1 leans into its neighbour). So a cut is a path from the top of the piece
// to its bottom that crosses as little ink as it can ("minimum-ink path", in the spirit of the
// drop-fall algorithm): found by dynamic programming row by row, each step straight down or one
// column aside, within a band around a starting column. Starting columns are where the vertical
// ink profile is thinnest, plus a few spread evenly (a long overlap has no dip). This only proposes
// cuts; which are taken is decided by the model (line.ts).
import type { InkMap } from '../data/normalize';
import type { Labelled } from './components';
import { memberTest } from './crop';
import type { Unit } from './layout';

/** No limit on this row (outside the cut unit's rows). */
export const FREE_LEFT = -(1 << 30);
export const FREE_RIGHT = 1 << 30;

export interface CutPath {
  /**
   * For each row of the ink map, the first column on the right of the cut, as the left limit of
   * the part after it and the right limit of the part before it (free outside the cut unit's
   * rows, so pieces of other units in the same part are not clipped there).
   */
  left: Int32Array;
  right: Int32Array;
  /** The ink the cut goes through (about one per pixel of stroke crossed). */
  cost: number;
  /** Mean column of the cut over the unit's rows: its order left to right. */
  mean: number;
}

/** Stepping one column aside costs this much (in pixels of ink): cuts stay straight unless ink is in the way. */
const ASIDE = 0.15;
/** A cut may wander this × H either side of its starting column. */
const BAND = 0.2;
/**
 * ...and a second cut from the same column within this × H: the cheapest path in the wide band
 * often slips into the same valley from several columns (through a loop, along a thin stroke), and
 * the right cut is then missing. With both, numbers of MNIST training digits where every pair
 * touches could be read right from the candidates in 43 of 48 cases, against 25 with wide bands only.
 */
const NARROW = 0.03;
/** Two cuts with less ink than this × H² between them are the same cut. */
const SAME = 0.003;
/** Most cuts proposed for one unit, per digit height of its width (the caller caps them: line.ts). */
const CUTS_PER_H = 8;

/** The unit's ink as cut costs, row-major over its box: ~1 for a stroke's body, less for its faint edge. */
function inkCost(map: InkMap, lab: Labelled, u: Unit): Float32Array {
  const inUnit = memberTest(lab, u);
  const w = u.x1 - u.x0;
  const cost = new Float32Array(w * (u.y1 - u.y0));
  for (let y = u.y0; y < u.y1; y++) {
    for (let x = u.x0; x < u.x1; x++) {
      const p = y * map.width + x;
      if (inUnit(p, x, y)) cost[(y - u.y0) * w + (x - u.x0)] = 0.5 + map.ink[p]! / 510;
    }
  }
  return cost;
}

/**
 * The cheapest path from top to bottom within columns [lo, hi] (box coordinates) and within `band`
 * of the line through column c leaning by `slant` (columns per row, positive: the top to the right).
 */
function cheapestPath(cost: Float32Array, w: number, h: number, lo: number, hi: number, c: number, band: number, slant: number): { xs: Int32Array; cost: number } | null {
  let prev = new Float64Array(w).fill(Infinity);
  let cur = new Float64Array(w);
  const from = new Int8Array(w * h);
  const range = (y: number): [number, number] => {
    const m = c + slant * (h / 2 - y);
    return [Math.max(lo, Math.round(m - band)), Math.min(hi, Math.round(m + band))];
  };
  let [a, b] = range(0);
  for (let x = a; x <= b; x++) prev[x] = cost[x]!;
  for (let y = 1; y < h; y++) {
    const row = y * w;
    [a, b] = range(y);
    cur.fill(Infinity);
    for (let x = a; x <= b; x++) {
      let best = prev[x]!;
      let step = 0;
      if (x > 0 && prev[x - 1]! + ASIDE < best) {
        best = prev[x - 1]! + ASIDE;
        step = -1;
      }
      if (x + 1 < w && prev[x + 1]! + ASIDE < best) {
        best = prev[x + 1]! + ASIDE;
        step = 1;
      }
      cur[x] = best + cost[row + x]!;
      from[row + x] = step;
    }
    [prev, cur] = [cur, prev];
  }
  let end = -1;
  for (let x = a; x <= b; x++) if (end < 0 || prev[x]! < prev[end]!) end = x;
  if (end < 0 || prev[end] === Infinity) return null;
  const xs = new Int32Array(h);
  let x = end;
  for (let y = h - 1; y >= 0; y--) {
    xs[y] = x;
    x += from[y * w + x]!;
  }
  return { xs, cost: prev[end]! };
}

/** Starting columns (box coordinates): the thinnest columns of the profile, then evenly spread ones. */
function startColumns(cost: Float32Array, w: number, h: number, H: number, lo: number, hi: number, wanted: number): number[] {
  const raw = new Float64Array(w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw[x]! += cost[y * w + x]!;
  const prof = raw.map((v, i) => (raw[i - 1] ?? v) + v + (raw[i + 1] ?? v));
  const minima: number[] = [];
  for (let i = lo; i < hi; i++) if (prof[i]! <= prof[i - 1]! && prof[i]! <= (prof[i + 1] ?? Infinity)) minima.push(i);
  minima.sort((a, b) => prof[a]! - prof[b]!);
  const picked: number[] = [];
  const sep = Math.max(2, Math.round(0.12 * H));
  for (const i of minima) {
    if (picked.every((p) => Math.abs(p - i) >= sep)) picked.push(i);
    if (picked.length >= wanted) break;
  }
  const step = Math.max(sep, Math.round(0.3 * H));
  for (let i = lo; i < hi && picked.length < wanted + 4; i += step) if (picked.every((p) => Math.abs(p - i) >= sep)) picked.push(i);
  return picked;
}

/**
 * Candidate cuts through a unit, left to right by mean column; distinct cuts only (two paths that
 * separate the same ink are one cut). Empty when the unit is too narrow to hold two digits.
 */
export function cutPaths(map: InkMap, lab: Labelled, u: Unit, H: number, maxCuts = 40): CutPath[] {
  const w = u.x1 - u.x0;
  const h = u.y1 - u.y0;
  // A part narrower than this is no digit (even a 1 is a stroke's width plus some slant).
  const minPart = Math.max(2, Math.round(0.15 * H));
  const lo = minPart;
  const hi = w - minPart;
  if (hi <= lo || h < 2) return [];
  const cost = inkCost(map, lab, u);
  const wanted = Math.max(1, Math.min(maxCuts, Math.max(3, Math.round((CUTS_PER_H * w) / H))));
  const band = Math.max(2, Math.round(BAND * H));
  const found: { xs: Int32Array; cost: number }[] = [];
  const narrow = Math.max(1, Math.round(NARROW * H));
  for (const c of startColumns(cost, w, h, H, lo, hi, wanted)) {
    // (A third, narrow and leaning like handwriting, 0.3 column per row, did no better on training numbers.)
    for (const bw of [band, narrow]) {
      const p = cheapestPath(cost, w, h, lo, hi - 1, c, bw, 0);
      if (p) found.push(p);
    }
  }
  // Cheapest first; a path that leaves almost no ink between itself and a kept one is the same cut.
  found.sort((a, b) => a.cost - b.cost);
  const same = Math.max(2, SAME * H * H);
  const kept: { xs: Int32Array; cost: number }[] = [];
  for (const f of found) {
    if (kept.length >= wanted) break;
    if (kept.some((k) => inkBetween(cost, w, k.xs, f.xs) < same)) continue;
    kept.push(f);
  }
  return kept
    .map((k) => {
      const left = new Int32Array(map.height).fill(FREE_LEFT);
      const right = new Int32Array(map.height).fill(FREE_RIGHT);
      let sum = 0;
      for (let y = 0; y < h; y++) {
        left[u.y0 + y] = right[u.y0 + y] = u.x0 + k.xs[y]!;
        sum += k.xs[y]!;
      }
      return { left, right, cost: k.cost, mean: u.x0 + sum / h };
    })
    .sort((a, b) => a.mean - b.mean);
}

/** The ink lying between two paths. */
function inkBetween(cost: Float32Array, w: number, a: Int32Array, b: Int32Array): number {
  let s = 0;
  for (let y = 0; y < a.length; y++) {
    const x0 = Math.min(a[y]!, b[y]!);
    const x1 = Math.max(a[y]!, b[y]!);
    for (let x = x0; x < x1; x++) if (cost[y * w + x]! > 0) s++;
  }
  return s;
}
