// Segmentation by recognition for touching digits. Close units of a line (pieces of ink grouped by
// layout.ts) form a group; each unit of the group that is wider than a digit gets candidate cuts
// along paths between its strokes (cut-paths.ts). The group's "nodes" are the places a digit may
// begin or end: before each unit, at each cut, and after the last unit. Every pair of nodes no
// further apart than a digit can be wide is a candidate digit; all candidates are read by the
// model in one batch (read-ink.ts), and the division chosen is the one whose digits the model
// reads most surely as a whole (divide.ts).
import type { InkMap } from '../data/normalize';
import type { Labelled } from './components';
import { fitBox } from './crop';
import { cutPaths, type CutPath } from './cut-paths';
import type { Unit } from './layout';

/**
 * Wider than this × the digit height: the unit may be several digits touching. Lower than most
 * digits' own width (a 1 leaning on a 3 is no wider than a 0), so the model judges those too
 * (on numbers of MNIST training digits: 0.85 read 55% of touching 5-digit numbers right and 80%
 * of mixed ones, 1.05 read 53% and 77%, gaps unchanged).
 */
export const CUT_WIDTH = 0.85;
/**
 * A candidate digit wider than this × H is not considered. MNIST's widest digits (5s and 2s) reach
 * about 1.4 × their height (95th percentile of the training digits' ink boxes).
 */
const MAX_DIGIT_WIDTH = 1.45;
/**
 * At most this many cuts per group, shared by its wide units in proportion to their widths (a long
 * blob gets fewer cuts per digit), so a group has at most about MAX_CUTS × (cuts within one digit's
 * reach) candidates; MAX_CANDIDATES is the hard stop behind that. A pathological blob (a scribble
 * across the page) is read as well as it can be, never slowly.
 */
export const MAX_CUTS = 40;
export const MAX_CANDIDATES = 800;
/** Neighbours closer than this × H may be pieces of one digit (a 0 or 4 written in two strokes). */
const JOIN_GAP = 0.12;

/** Where a digit may begin or end: before unit `unit` (cut null) or at a cut through it. */
export interface Node {
  unit: number;
  cut: CutPath | null;
  /** Column, for the width limit. */
  x: number;
}

export interface Candidate {
  from: number;
  to: number;
  unit: Unit;
}

export interface GroupPlan {
  /** The units of the group, left to right. */
  units: Unit[];
  nodes: Node[];
  /** Candidate digits: the ink between node `from` and node `to`. */
  candidates: Candidate[];
}

/**
 * Groups a line's units into runs of neighbours that need the model's judgement: a wide unit (maybe
 * touching digits) with its close neighbours, or close neighbours narrow enough together to be one
 * digit broken apart. Units that are neither stand alone (and need no extra reading).
 */
export function groupUnits(units: Unit[], H: number): Unit[][] {
  const groups: Unit[][] = [];
  for (const u of units) {
    const last = groups.at(-1);
    const prev = last?.at(-1);
    if (last && prev) {
      const gap = u.x0 - prev.x1;
      const x0 = Math.min(...last.map((v) => v.x0));
      const unionW = Math.max(u.x1, ...last.map((v) => v.x1)) - x0;
      if (gap <= JOIN_GAP * H && (unionW <= 1.1 * H || u.x1 - u.x0 > CUT_WIDTH * H || prev.x1 - prev.x0 > CUT_WIDTH * H)) {
        last.push(u);
        continue;
      }
    }
    groups.push([u]);
  }
  return groups;
}

/** The ink of units first..last between two cuts (either may be null: the units' own edge). */
function between(units: Unit[], first: number, last: number, left: CutPath | null, right: CutPath | null, lab: Labelled, mapWidth: number): Unit {
  const parts = units.slice(first, last + 1);
  const joined: Unit = {
    comps: [...new Set(parts.flatMap((p) => p.comps))],
    cx0: Math.min(...parts.map((p) => p.cx0)),
    cx1: Math.max(...parts.map((p) => p.cx1)),
    x0: Math.min(...parts.map((p) => p.x0)),
    y0: Math.min(...parts.map((p) => p.y0)),
    x1: Math.max(...parts.map((p) => p.x1)),
    y1: Math.max(...parts.map((p) => p.y1)),
    area: parts.reduce((n, p) => n + p.area, 0),
    stroke: Math.max(...parts.map((p) => p.stroke)),
    left: left?.left,
    right: right?.right,
  };
  return left || right ? fitBox(lab, mapWidth, joined) : joined;
}

/**
 * The nodes of a group and its candidate digits; null when the group is one unit that is not wide
 * (nothing to decide).
 */
export function planGroup(units: Unit[], map: InkMap, lab: Labelled, H: number): GroupPlan | null {
  const wide = (u: Unit) => u.x1 - u.x0 > CUT_WIDTH * H;
  if (units.length === 1 && !wide(units[0]!)) return null;
  const nodes: Node[] = [];
  const wideWidth = units.reduce((n, u) => n + (wide(u) ? u.x1 - u.x0 : 0), 0);
  units.forEach((u, k) => {
    nodes.push({ unit: k, cut: null, x: u.x0 });
    if (!wide(u)) return;
    const share = Math.floor((MAX_CUTS * (u.x1 - u.x0)) / wideWidth);
    for (const cut of cutPaths(map, lab, u, H, share)) nodes.push({ unit: k, cut, x: cut.mean });
  });
  nodes.push({ unit: units.length, cut: null, x: units.at(-1)!.x1 });
  if (nodes.length < 3) return null;
  const candidates: Candidate[] = [];
  for (let a = 0; a + 1 < nodes.length && candidates.length < MAX_CANDIDATES; a++) {
    for (let b = a + 1; b < nodes.length && candidates.length < MAX_CANDIDATES; b++) {
      const na = nodes[a]!;
      const nb = nodes[b]!;
      // Nodes are in order, so once they are too far apart the rest are too.
      if (nb.x - na.x > 1.2 * MAX_DIGIT_WIDTH * H) break;
      const last = nb.cut ? nb.unit : nb.unit - 1;
      if (last < na.unit) continue;
      const unit = between(units, na.unit, last, na.cut, nb.cut, lab, map.width);
      if (unit.area <= 0 || unit.x1 - unit.x0 > MAX_DIGIT_WIDTH * H) continue;
      candidates.push({ from: a, to: b, unit });
    }
  }
  return { units, nodes, candidates };
}
