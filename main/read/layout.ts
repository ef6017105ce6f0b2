// From pieces of ink to digit candidates ("units") in reading order. Everything is measured in
// units of the digit height H (the median height of the large pieces), so the same rules serve a
// pad drawing, a phone photo and a scanned sheet:
// - lines: large pieces whose vertical centres lie within H/2 of each other, top to bottom;
// - pieces of one digit are merged: pieces stacked above one another (a broken stroke, an i-like
//   1) and small pieces that overlap a digit's columns (a 5's detached bar, a 7's loose top);
// - specks (small and not overlapping any digit) are dropped;
// - units are ordered left to right within a line.
// Touching digits are split later (split.ts), because choosing the cut needs the model.
import type { Component } from './components';

export interface Unit {
  /** The pieces of ink that make up this digit. */
  comps: number[];
  /** Only the ink of columns [cx0, cx1) belongs to the unit (narrower than its pieces after a cut). */
  cx0: number;
  cx1: number;
  /**
   * After a cut along a path (cut-paths.ts): per row of the ink map, the unit's ink starts at
   * column left[y] and ends before right[y]; a path bends around strokes where a straight cut
   * would go through them.
   */
  left?: Int32Array;
  right?: Int32Array;
  /** Box in ink-map pixels (exclusive ends). */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  area: number;
  /** Column-by-column stroke height of its tallest piece (components.ts). */
  stroke: number;
}

export interface Layout {
  lines: Unit[][];
  /** The typical digit height in ink-map pixels (0 when there is no ink). */
  digitHeight: number;
  /** Pieces dropped as specks. */
  specks: number;
}

function unitOf(c: Component): Unit {
  return { comps: [c.id], cx0: c.x0, cx1: c.x1, x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1, area: c.area, stroke: c.stroke };
}

function mergeUnits(a: Unit, b: Unit): Unit {
  return {
    comps: [...a.comps, ...b.comps],
    cx0: Math.min(a.cx0, b.cx0),
    cx1: Math.max(a.cx1, b.cx1),
    x0: Math.min(a.x0, b.x0),
    y0: Math.min(a.y0, b.y0),
    x1: Math.max(a.x1, b.x1),
    y1: Math.max(a.y1, b.y1),
    area: a.area + b.area,
    stroke: Math.max(a.stroke, b.stroke, Math.max(a.y1, b.y1) - Math.min(a.y0, b.y0)),
  };
}

const width = (u: { x0: number; x1: number }) => u.x1 - u.x0;
const height = (u: { y0: number; y1: number }) => u.y1 - u.y0;
const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/**
 * The digit height: a high-ish quantile of the heights of the pieces that carry a fair share of
 * the ink (broken strokes make short pieces, so the median would be too low).
 */
export function estimateDigitHeight(comps: { x0: number; x1: number; y0: number; y1: number; area: number; stroke: number }[], q = 0.6): number {
  let maxArea = 0;
  for (const c of comps) if (c.area > maxArea) maxArea = c.area;
  // A piece wider than it is tall may be several touching digits at different heights: its
  // column-by-column stroke height is the better measure of one digit.
  return quantile(
    comps.filter((c) => c.area >= 0.15 * maxArea).map((c) => (c.x1 - c.x0 > height(c) ? Math.min(height(c), c.stroke * 1.05) : height(c))),
    q,
  );
}

/** Are these two units parts of one digit? */
function belongTogether(a: Unit, b: Unit, H: number): boolean {
  const unionH = Math.max(a.y1, b.y1) - Math.min(a.y0, b.y0);
  const unionW = Math.max(a.x1, b.x1) - Math.min(a.x0, b.x0);
  if (unionH > 1.35 * H || unionW > 1.1 * H) return false;
  const xo = overlap(a.x0, a.x1, b.x0, b.x1);
  if (stacked(a, b, H)) return true;
  // A small piece (short or thin) lying over a digit's columns: a 5's bar, a 7's or 4's loose stroke.
  const small = height(a) < 0.5 * H ? a : height(b) < 0.5 * H ? b : null;
  if (small) {
    const big = small === a ? b : a;
    if (height(big) >= 0.5 * H && xo >= 0.4 * width(small)) return true;
  }
  return false;
}

/**
 * Merges units pairwise while `together` says so. Passes over the units sorted by left edge, each
 * unit compared only with those starting before its right edge (plus a little), so a page of
 * thousands of pieces stays near-linear; passes repeat until nothing merges (at most 8).
 */
function mergeWhile(list: Unit[], H: number, together: (a: Unit, b: Unit) => boolean): Unit[] {
  let units = [...list].sort((a, b) => a.x0 - b.x0);
  for (let pass = 0; pass < 8; pass++) {
    let changed = false;
    const alive = units.map(() => true);
    for (let i = 0; i < units.length; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < units.length; j++) {
        if (units[j]!.x0 > units[i]!.x1 + 0.2 * H) break;
        if (!alive[j] || !together(units[i]!, units[j]!)) continue;
        units[i] = mergeUnits(units[i]!, units[j]!);
        alive[j] = false;
        changed = true;
      }
    }
    units = units.filter((_, k) => alive[k]).sort((a, b) => a.x0 - b.x0);
    if (!changed) break;
  }
  return units;
}

/** One above the other, sharing most of the narrower one's columns, close: halves of a broken stroke. */
function stacked(a: Unit, b: Unit, H: number): boolean {
  const unionH = Math.max(a.y1, b.y1) - Math.min(a.y0, b.y0);
  const unionW = Math.max(a.x1, b.x1) - Math.min(a.x0, b.x0);
  if (unionH > 1.35 * H || unionW > 1.1 * H) return false;
  const xo = overlap(a.x0, a.x1, b.x0, b.x1);
  const yo = overlap(a.y0, a.y1, b.y0, b.y1);
  const gap = Math.max(a.y0, b.y0) - Math.min(a.y1, b.y1);
  return xo >= 0.5 * Math.min(width(a), width(b)) && yo <= 0.25 * Math.min(height(a), height(b)) && gap <= 0.35 * H;
}

export function layoutUnits(comps: Component[]): Layout {
  if (!comps.length) return { lines: [], digitHeight: 0, specks: 0 };
  // Pieces of one digit stacked above one another come together first, so a digit broken across
  // its middle is one tall unit when the lines are found; the height is measured again after.
  const H0 = Math.max(1, estimateDigitHeight(comps, 0.7));
  const whole = mergeWhile(comps.map(unitOf), H0, (a, b) => stacked(a, b, H0));
  const H = Math.max(1, estimateDigitHeight(whole));
  const majors = whole.filter((c) => height(c) >= 0.5 * H);
  const minors = whole.filter((c) => height(c) < 0.5 * H);

  // Lines from the large pieces, by vertical centre.
  const byCentre = [...majors].sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
  const lines: { cy: number; n: number; units: Unit[] }[] = [];
  for (const c of byCentre) {
    const cy = (c.y0 + c.y1) / 2;
    let best: (typeof lines)[number] | null = null;
    for (const line of lines) if (Math.abs(line.cy - cy) <= 0.5 * H && (!best || Math.abs(line.cy - cy) < Math.abs(best.cy - cy))) best = line;
    if (!best) {
      best = { cy, n: 0, units: [] };
      lines.push(best);
    }
    best.cy = (best.cy * best.n + cy) / (best.n + 1);
    best.n++;
    best.units.push(c);
  }

  // Small pieces join the line they sit in (or just above/below it, like a 5's bar); others are specks.
  let specks = 0;
  for (const c of minors) {
    const cy = (c.y0 + c.y1) / 2;
    let best: (typeof lines)[number] | null = null;
    for (const line of lines) if (Math.abs(line.cy - cy) <= 0.85 * H && (!best || Math.abs(line.cy - cy) < Math.abs(best.cy - cy))) best = line;
    if (best) best.units.push(c);
    else specks++;
  }

  const out: Unit[][] = [];
  for (const line of lines.sort((a, b) => a.cy - b.cy)) {
    const units = mergeWhile(line.units, H, (a, b) => belongTogether(a, b, H));
    // What is still small after merging is a speck (a dot, dust, a printed mark), not a digit.
    const kept = units.filter((u) => Math.max(width(u), height(u)) >= 0.4 * H && height(u) >= 0.3 * H);
    specks += units.length - kept.length;
    if (kept.length) out.push(kept.sort((a, b) => a.x0 + a.x1 - (b.x0 + b.x1)));
  }
  return { lines: out, digitHeight: H, specks };
}
