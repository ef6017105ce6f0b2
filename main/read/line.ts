// Segmentation by recognition for touching digits. A unit (pieces of ink grouped by layout.ts) much
// wider than a digit is sliced at its thinnest columns (split.ts); any run of consecutive slices no
// wider than a digit can be is a candidate digit. All candidates are read by the model in one batch,
// and for each number of parts the best division is found by dynamic programming; the division
// whose digits the model reads most confidently on average wins. Preferring the average (not the
// sum) keeps a 0 from being cut into two confident 1s only when the 0 itself reads well, and lets a
// blob that reads as a doubtful single digit become two digits read with assurance.
import type { Labelled } from './components';
import { fitBox } from './crop';
import type { Unit } from './layout';
import { cutCandidates, sliceAt } from './split';

/** Wider than this × the digit height: the unit may be several digits touching. */
export const CUT_WIDTH = 1.05;
/** Wider than this × H: no single digit is this wide, so it must be cut. */
const MUST_CUT_WIDTH = 1.6;
/** A run of slices wider than this × H is no single digit. */
const MAX_DIGIT_WIDTH = 1.3;
/** Parts are on average at least this × H wide (a cut-off sliver reads as a confident 1). */
const MIN_MEAN_PART_WIDTH = 0.42;
/** One more part must raise the mean score by this much to be taken. */
const PART_MARGIN = 0.02;
/**
 * A digit wider than its height is rare (MNIST fits the longer side in 20 px; few digits are wider
 * than tall), so each part's score loses this much per H of width beyond USUAL_WIDTH.
 */
const WIDE_COST = 3;
const USUAL_WIDTH = 1.1;
/** A part shorter than SHORT × H is seldom a digit of its own (a sliver cut off a stroke): it costs this much per H. */
const SHORT_COST = 3;
const SHORT = 0.6;
const AVG_WIDTH_COST = 1.0;
const AVG_WIDTH = 0.7;

export interface UnitPlan {
  /** The units of the group, left to right. */
  units: Unit[];
  /** The most digits this unit may be divided into. */
  maxParts: number;
  slices: Unit[];
  /** Candidate digits: slices [from, to) joined. */
  runs: { from: number; to: number; unit: Unit }[];
}

function join(parts: Unit[], lab: Labelled, mapWidth: number): Unit {
  if (parts.length === 1) return parts[0]!;
  return fitBox(lab, mapWidth, {
    comps: [...new Set(parts.flatMap((p) => p.comps))],
    cx0: Math.min(...parts.map((p) => p.cx0)),
    cx1: Math.max(...parts.map((p) => p.cx1)),
    x0: Math.min(...parts.map((p) => p.x0)),
    y0: Math.min(...parts.map((p) => p.y0)),
    x1: Math.max(...parts.map((p) => p.x1)),
    y1: Math.max(...parts.map((p) => p.y1)),
    area: 0,
    stroke: parts[0]!.stroke,
    shear: parts[0]!.shear,
    ym: parts[0]!.ym,
  });
}

/** Neighbours closer than this × H may be pieces of one digit (a 0 or 4 written in two strokes). */
const JOIN_GAP = 0.12;

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

/**
 * The slices of a group (its wide units cut at their thinnest columns) and every run of consecutive
 * slices that could be one digit; null when the group is one unit that is not wide.
 */
export function planUnit(original: Unit[], lab: Labelled, mapWidth: number, H: number, shear = 0): UnitPlan | null {
  const wideAny = original.some((u) => u.x1 - u.x0 > CUT_WIDTH * H);
  if (original.length === 1 && !wideAny) return null;
  // With a shear, the cuts are slanted lines through the group's middle height; the units give up
  // their (upright) column limits, which no layout unit has anyway.
  const ym = (Math.min(...original.map((u) => u.y0)) + Math.max(...original.map((u) => u.y1))) / 2;
  const group = shear ? original.map((u) => ({ ...u, shear, ym, cx0: -1e9, cx1: 1e9 })) : original;
  const slices: Unit[] = [];
  for (const u of group) {
    if (u.x1 - u.x0 > CUT_WIDTH * H) {
      const parts = sliceAt(lab, mapWidth, u, cutCandidates(lab, mapWidth, u, H));
      slices.push(...(parts.length ? parts : [u]));
    } else slices.push(u);
  }
  if (slices.length < 2) return null;
  const runs: UnitPlan['runs'] = [];
  for (let i = 0; i < slices.length; i++) {
    for (let j = i; j < slices.length; j++) {
      const w = Math.max(...slices.slice(i, j + 1).map((x) => x.x1)) - slices[i]!.x0;
      if (j > i && w > MAX_DIGIT_WIDTH * H) break;
      runs.push({ from: i, to: j + 1, unit: join(slices.slice(i, j + 1), lab, mapWidth) });
    }
  }
  // A single unit too wide to be one digit can't stay whole; otherwise it may (it is a run already
  // unless it is wider than MAX_DIGIT_WIDTH).
  if (group.length === 1) {
    const u = group[0]!;
    if (u.x1 - u.x0 <= MUST_CUT_WIDTH * H && !runs.some((r) => r.from === 0 && r.to === slices.length)) runs.push({ from: 0, to: slices.length, unit: u });
  }
  const w = Math.max(...group.map((u) => u.x1)) - group[0]!.x0;
  const maxParts = Math.max(group.length, 2, Math.floor(w / (MIN_MEAN_PART_WIDTH * H)));
  return { units: original, maxParts, slices, runs };
}

/** Given each run's log-confidence, the division of the unit into digits read most surely on average. */
export function bestParts(plan: UnitPlan, logConf: number[], H: number): { parts: Unit[]; score: number } {
  const n = plan.slices.length;
  // best[m][j]: the highest sum of log-confidences covering slices [0, j) with m digits.
  const best: number[][] = [new Array<number>(n + 1).fill(-Infinity)];
  const back: number[][] = [new Array<number>(n + 1).fill(-1)];
  best[0]![0] = 0;
  const byEnd: number[][] = Array.from({ length: n + 1 }, () => []);
  plan.runs.forEach((r, k) => byEnd[r.to]!.push(k));
  let chosen = -1;
  let chosenMean = -Infinity;
  for (let m = 1; m <= Math.min(n, plan.maxParts); m++) {
    const row = new Array<number>(n + 1).fill(-Infinity);
    const from = new Array<number>(n + 1).fill(-1);
    for (let j = 1; j <= n; j++) {
      for (const k of byEnd[j]!) {
        const r = plan.runs[k]!;
        const wide = Math.max(0, (r.unit.x1 - r.unit.x0) / H - USUAL_WIDTH);
        const short = Math.max(0, SHORT - (r.unit.y1 - r.unit.y0) / H);
        const s = best[m - 1]![r.from]! + logConf[k]! - WIDE_COST * wide - SHORT_COST * short;
        if (s > row[j]!) {
          row[j] = s;
          from[j] = k;
        }
      }
    }
    best.push(row);
    back.push(from);
    if (row[n] === -Infinity) continue;
    // Digits are about 0.7 H wide on average: a division whose parts are far from that is less likely.
    const span = (Math.max(...plan.slices.map((x) => x.x1)) - plan.slices[0]!.x0) / H;
    const mean = row[n]! / m - AVG_WIDTH_COST * Math.abs(span / m - AVG_WIDTH);
    if (chosen < 0 || mean > chosenMean + PART_MARGIN) {
      chosen = m;
      chosenMean = mean;
    }
  }
  if (chosen < 0) return { parts: plan.units, score: -Infinity };
  const out: Unit[] = [];
  for (let m = chosen, j = n; m > 0; m--) {
    const k = back[m]![j]!;
    out.push(plan.runs[k]!.unit);
    j = plan.runs[k]!.from;
  }
  return { parts: out.reverse(), score: chosenMean };
}
