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
/** One more part must raise the mean log-confidence by this much to be taken. */
const PART_MARGIN = 0.05;

export interface UnitPlan {
  unit: Unit;
  /** The most digits this unit may be divided into. */
  maxParts: number;
  slices: Unit[];
  /** Candidate digits: slices [from, to) joined. */
  runs: { from: number; to: number; unit: Unit }[];
}

function join(parts: Unit[], lab: Labelled, mapWidth: number): Unit {
  if (parts.length === 1) return parts[0]!;
  return fitBox(lab, mapWidth, {
    comps: parts[0]!.comps,
    cx0: Math.min(...parts.map((p) => p.cx0)),
    cx1: Math.max(...parts.map((p) => p.cx1)),
    x0: Math.min(...parts.map((p) => p.x0)),
    y0: Math.min(...parts.map((p) => p.y0)),
    x1: Math.max(...parts.map((p) => p.x1)),
    y1: Math.max(...parts.map((p) => p.y1)),
    area: 0,
    stroke: parts[0]!.stroke,
  });
}

/** The slices of a wide unit and every run of them that could be one digit; null when the unit is not wide. */
export function planUnit(u: Unit, lab: Labelled, mapWidth: number, H: number): UnitPlan | null {
  if (u.x1 - u.x0 <= CUT_WIDTH * H) return null;
  const slices = sliceAt(lab, mapWidth, u, cutCandidates(lab, mapWidth, u, H));
  if (slices.length < 2) return null;
  const runs: UnitPlan['runs'] = [];
  for (let i = 0; i < slices.length; i++) {
    for (let j = i; j < slices.length; j++) {
      const w = slices[j]!.x1 - slices[i]!.x0;
      if (j > i && w > MAX_DIGIT_WIDTH * H) break;
      runs.push({ from: i, to: j + 1, unit: join(slices.slice(i, j + 1), lab, mapWidth) });
    }
  }
  // The whole unit, as one digit, unless it is too wide to be one.
  if (u.x1 - u.x0 <= MUST_CUT_WIDTH * H && !runs.some((r) => r.from === 0 && r.to === slices.length)) {
    runs.push({ from: 0, to: slices.length, unit: u });
  }
  const maxParts = Math.max(2, Math.floor((u.x1 - u.x0) / (MIN_MEAN_PART_WIDTH * H)));
  return { unit: u, maxParts, slices, runs };
}

/** Given each run's log-confidence, the division of the unit into digits read most surely on average. */
export function bestParts(plan: UnitPlan, logConf: number[]): Unit[] {
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
        const s = best[m - 1]![r.from]! + logConf[k]!;
        if (s > row[j]!) {
          row[j] = s;
          from[j] = k;
        }
      }
    }
    best.push(row);
    back.push(from);
    if (row[n] === -Infinity) continue;
    const mean = row[n]! / m;
    if (chosen < 0 || mean > chosenMean + PART_MARGIN) {
      chosen = m;
      chosenMean = mean;
    }
  }
  if (chosen < 0) return [plan.unit];
  const out: Unit[] = [];
  for (let m = chosen, j = n; m > 0; m--) {
    const k = back[m]![j]!;
    out.push(plan.runs[k]!.unit);
    j = plan.runs[k]!.from;
  }
  return out.reverse();
}
