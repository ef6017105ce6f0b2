// Which explanation to show while training and after an evaluation (issue 15). Pure functions of
// the run's points, so the rules can be read and tested apart from the page.
import type { BatchPoint, EpochPoint } from '../../../../preload/contract';

export type NoteId = 'diverged' | 'lossRising' | 'overfitting' | 'plateau' | 'stillLearning' | 'learning' | 'firstEpoch';

/**
 * A value a note's sentence shows, kept as a number so the page writes it in the user's language
 * and digits: a fraction shown as a percentage, a learning rate (written in full), or a count.
 */
export type NoteValue = { percent: number } | { rate: number } | { count: number };

export interface Note {
  id: NoteId;
  tone: 'info' | 'warn';
  values: Record<string, NoteValue>;
}

export interface RunView {
  batches: readonly BatchPoint[];
  epochs: readonly EpochPoint[];
  learningRate: number;
  /** 'running' while it trains; the notes about what to do next come once it has ended. */
  state: 'running' | 'succeeded' | 'failed' | 'canceled';
  error?: string | null;
}

/** Train accuracy ahead of validation by more than this (3 points) is a gap worth naming. */
export const OVERFIT_GAP = 0.03;
/** Validation accuracy moving less than this (0.2 points) over PLATEAU_EPOCHS epochs is a plateau. */
export const PLATEAU_GAIN = 0.002;
export const PLATEAU_EPOCHS = 3;
/** The batch loss's recent mean this much above its earlier low is "growing". */
export const RISING_FACTOR = 1.5;

const pct = (v: number): NoteValue => ({ percent: v });
const suggestRate = (lr: number): NoteValue => ({ rate: Number((lr / 10).toPrecision(2)) });

function mean(xs: readonly number[]): number {
  return xs.reduce((s, v) => s + v, 0) / Math.max(1, xs.length);
}

function diverged(run: RunView): boolean {
  if (run.batches.some((b) => !Number.isFinite(b.loss)) || run.epochs.some((e) => !Number.isFinite(e.loss) || !Number.isFinite(e.valLoss))) return true;
  return run.state === 'failed' && /NaN|infinite/i.test(run.error ?? '');
}

/** The batch loss, smoothed over windows, has climbed well above its lowest window. */
function lossRising(batches: readonly BatchPoint[]): boolean {
  const window = 10;
  if (batches.length < window * 3) return false;
  const means: number[] = [];
  for (let i = 0; i + window <= batches.length; i += window) means.push(mean(batches.slice(i, i + window).map((b) => b.loss)));
  const low = Math.min(...means.slice(0, -1));
  const recent = means.at(-1)!;
  return recent > low * RISING_FACTOR && recent > means[0]! * 0.9;
}

function overfitting(epochs: readonly EpochPoint[]): boolean {
  if (epochs.length < 3) return false;
  const last = epochs.at(-1)!;
  const gap = last.accuracy - last.valAccuracy;
  const bestValLoss = Math.min(...epochs.map((e) => e.valLoss));
  // A growing gap whose validation side has stopped improving (its loss up from the best).
  const firstGap = epochs[0]!.accuracy - epochs[0]!.valAccuracy;
  return gap > OVERFIT_GAP && gap > firstGap && last.valLoss > bestValLoss * 1.05;
}

function plateau(epochs: readonly EpochPoint[]): boolean {
  if (epochs.length < PLATEAU_EPOCHS + 1) return false;
  const recent = epochs.slice(-(PLATEAU_EPOCHS + 1)).map((e) => e.valAccuracy);
  return Math.max(...recent.slice(1)) - recent[0]! < PLATEAU_GAIN && recent.at(-1)! < 0.995;
}

/**
 * The notes for a run, most important first, at most two: trouble (NaN, growing loss) before
 * overfitting before a plateau; "still learning" only once a run has ended; a reassuring note
 * only when nothing else applies.
 */
export function trainingNotes(run: RunView): Note[] {
  const notes: Note[] = [];
  const { epochs } = run;
  const last = epochs.at(-1);
  if (diverged(run)) return [{ id: 'diverged', tone: 'warn', values: { suggested: suggestRate(run.learningRate) } }];
  if (lossRising(run.batches)) notes.push({ id: 'lossRising', tone: 'warn', values: { rate: { rate: run.learningRate }, suggested: suggestRate(run.learningRate) } });
  if (last && overfitting(epochs)) notes.push({ id: 'overfitting', tone: 'warn', values: { train: pct(last.accuracy), val: pct(last.valAccuracy) } });
  else if (last && plateau(epochs)) notes.push({ id: 'plateau', tone: 'info', values: { val: pct(last.valAccuracy), epochs: { count: PLATEAU_EPOCHS } } });
  if (last && run.state === 'succeeded' && epochs.length >= 2 && !notes.length) {
    const gain = last.valAccuracy - epochs.at(-2)!.valAccuracy;
    if (gain > PLATEAU_GAIN * 1.5) notes.push({ id: 'stillLearning', tone: 'info', values: { gain: pct(gain) } });
  }
  if (!notes.length) {
    if (!last && run.state === 'running') notes.push({ id: 'firstEpoch', tone: 'info', values: {} });
    else if (last && epochs.length >= 2 && last.valAccuracy >= epochs[0]!.valAccuracy) notes.push({ id: 'learning', tone: 'info', values: {} });
  }
  return notes.slice(0, 2);
}

export interface ConfusedPair {
  /** The two digits, smaller first. */
  a: number;
  b: number;
  /** Mistakes both ways. */
  count: number;
  /** The direction with more mistakes: the confusion-matrix cell to open. */
  actual: number;
  predicted: number;
  cellCount: number;
}

/** The pairs of digits mistaken for each other most (both directions summed), most first. */
export function confusedPairs(confusion: readonly (readonly number[])[], limit = 3): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  for (let a = 0; a < confusion.length; a++) {
    for (let b = a + 1; b < confusion.length; b++) {
      const ab = confusion[a]?.[b] ?? 0;
      const ba = confusion[b]?.[a] ?? 0;
      if (ab + ba === 0) continue;
      const forward = ab >= ba;
      pairs.push({ a, b, count: ab + ba, actual: forward ? a : b, predicted: forward ? b : a, cellCount: forward ? ab : ba });
    }
  }
  return pairs.sort((x, y) => y.count - x.count || x.a - y.a || x.b - y.b).slice(0, limit);
}
