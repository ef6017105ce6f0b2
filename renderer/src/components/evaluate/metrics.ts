// Pure helpers over an Evaluation: row shares for the heatmap, the samples behind a cell, and the
// per-class deltas when two models are compared on the same data.
import type { ClassMetrics, Evaluation, Misclassified } from '../../../../preload/contract';

/** confusion[actual][predicted] as shares of each actual row (0 when the row is empty). */
export function rowShares(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/** How many samples the model got wrong (off the diagonal). */
export function errorCount(confusion: readonly (readonly number[])[]): number {
  let wrong = 0;
  confusion.forEach((row, a) => row.forEach((v, p) => (wrong += a === p ? 0 : v)));
  return wrong;
}

export interface Cell {
  actual: number;
  predicted: number;
}

/** The samples we have for a cell (all of them when cell is null): mistakes most confident first, correct readings least sure first. */
export function samplesFor(list: readonly Misclassified[], cell: Cell | null): Misclassified[] {
  const picked = cell ? list.filter((m) => m.label === cell.actual && m.predicted === cell.predicted) : [...list];
  // Mistakes: the most confident first. Correct readings (the diagonal): the least sure first.
  const sign = cell && cell.actual === cell.predicted ? -1 : 1;
  return picked.sort((x, y) => sign * ((y.probabilities[y.predicted] ?? 0) - (x.probabilities[x.predicted] ?? 0)));
}

export interface ClassDelta {
  digit: number;
  a: ClassMetrics;
  b: ClassMetrics;
  /** b − a */
  precision: number;
  recall: number;
}

/** Per-class change from model A to model B (B minus A). */
export function classDeltas(a: Evaluation, b: Evaluation): ClassDelta[] {
  return a.perClass.map((ma, digit) => {
    const mb = b.perClass[digit] ?? { precision: 0, recall: 0, support: 0 };
    return { digit, a: ma, b: mb, precision: mb.precision - ma.precision, recall: mb.recall - ma.recall };
  });
}

/** A change in accuracy-like shares as percentage points: "+1.2 pts", "−0.4 pts", "±0.0 pts". */
/** A change in points (a fraction × 100) as a sign and a size rounded to `digits`, or null when not finite. */
export function deltaParts(delta: number, digits = 1): { sign: '+' | '−' | '±'; points: number } | null {
  if (!Number.isFinite(delta)) return null;
  const pts = delta * 100;
  const points = Number(Math.abs(pts).toFixed(digits));
  return { sign: points === 0 ? '±' : pts > 0 ? '+' : '−', points };
}

/** The English form ("+1.2 pts"); the app shows it in the user's language with pointsDelta() (lib/format). */
export function formatDelta(delta: number, digits = 1): string {
  const p = deltaParts(delta, digits);
  return p ? `${p.sign}${p.points.toFixed(digits)} pts` : '—';
}

/** Whether two evaluations ran on the same data (so comparing them is fair). */
export function sameData(a: Evaluation, b: Evaluation): boolean {
  return a.count === b.count && [...a.datasetIds].sort().join('\n') === [...b.datasetIds].sort().join('\n');
}
