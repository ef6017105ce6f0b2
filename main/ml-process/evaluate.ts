// Evaluation metrics from predicted probabilities: accuracy, per-class precision and recall, the
// confusion matrix, and the misclassified samples (the most confident ones, capped) with their probabilities.
import type { ClassMetrics, Evaluation, Misclassified } from '../../preload/contract';
import { IMAGE_PIXELS, NUM_CLASSES } from '../data/dataset';

/** A misclassified sample, located by the dataset file it came from (fileIndex) and its index there. */
export type EvaluatedMistake = Omit<Misclassified, 'datasetId'> & { fileIndex: number };

export type EvaluationResult = Omit<Evaluation, 'id' | 'modelId' | 'datasetIds' | 'misclassified' | 'correct'> & {
  misclassified: EvaluatedMistake[];
  correct: EvaluatedMistake[];
  /** How many were misclassified in all (the list is capped). */
  misclassifiedCount: number;
};

export const MAX_MISCLASSIFIED = 500;
/** Correctly read samples kept per digit: the least sure ones, the ones worth a look. */
export const MAX_CORRECT_PER_DIGIT = 48;

export interface LabelledPart {
  /** Which dataset file these samples came from. */
  fileIndex: number;
  labels: Int8Array;
  pixels: Uint8Array;
  /** count × 10 */
  probabilities: Float32Array;
}

export function evaluateParts(parts: LabelledPart[], maxMistakes = MAX_MISCLASSIFIED): EvaluationResult {
  const confusion = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  // The most confident mistakes so far, at most maxMistakes: a min-heap on confidence, so a mistake
  // is kept for how sure the model was, not for where it sits in the files.
  const top = new TopMistakes(maxMistakes);
  // Per digit, the least sure correct readings so far (index into the parts, and that confidence).
  const unsure = Array.from({ length: NUM_CLASSES }, () => [] as { part: LabelledPart; i: number; p: number }[]);
  let count = 0;
  let correct = 0;
  let mistakes = 0;
  for (const part of parts) {
    for (let i = 0; i < part.labels.length; i++) {
      const label = part.labels[i]!;
      if (label < 0 || label >= NUM_CLASSES) continue;
      const p = part.probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
      let predicted = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (p[c]! > p[predicted]!) predicted = c;
      confusion[label]![predicted]!++;
      count++;
      if (predicted === label) {
        correct++;
        keepIfUnsure(unsure[label]!, { part, i, p: p[label]! });
        continue;
      }
      mistakes++;
      top.offer({ part, i, predicted, p: p[predicted]!, order: count });
    }
  }
  const perClass: ClassMetrics[] = Array.from({ length: NUM_CLASSES }, (_, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + row[c]!, 0);
    return { precision: predictedAs ? tp / predictedAs : 0, recall: support ? tp / support : 0, support };
  });
  // The most confident mistakes first: the ones most worth looking at.
  const misclassified = top.sorted().map((m) => sampleOf(m.part, m.i, m.predicted));
  const correctSamples = unsure.flatMap((list, digit) => list.sort((a, b) => a.p - b.p).map((u) => sampleOf(u.part, u.i, digit)));
  return { accuracy: count ? correct / count : 0, count, perClass, confusion, misclassified, misclassifiedCount: mistakes, correct: correctSamples };
}

function sampleOf(part: LabelledPart, i: number, predicted: number): EvaluatedMistake {
  const p = part.probabilities.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES);
  return {
    fileIndex: part.fileIndex,
    index: i,
    label: part.labels[i]!,
    predicted,
    probabilities: Array.from(p, (v) => Number(v.toFixed(6))),
    pixels: Buffer.from(part.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)).toString('base64'),
  };
}

/** Keeps `u` among the MAX_CORRECT_PER_DIGIT least sure in `list` (replacing the surest when full). */
function keepIfUnsure(list: { part: LabelledPart; i: number; p: number }[], u: { part: LabelledPart; i: number; p: number }): void {
  if (list.length < MAX_CORRECT_PER_DIGIT) {
    list.push(u);
    return;
  }
  let surest = 0;
  for (let k = 1; k < list.length; k++) if (list[k]!.p > list[surest]!.p) surest = k;
  if (u.p < list[surest]!.p) list[surest] = u;
}

interface Mistake {
  part: LabelledPart;
  i: number;
  predicted: number;
  /** Confidence in the wrong digit. */
  p: number;
  /** Position over all parts: ties keep the earlier one. */
  order: number;
}

/** The `max` most confident mistakes offered, kept in a binary min-heap (root: the least worth keeping). */
class TopMistakes {
  private readonly heap: Mistake[] = [];
  constructor(private readonly max: number) {}

  /** a is worth less than b: less confident, or as confident and later. */
  private static less(a: Mistake, b: Mistake): boolean {
    return a.p < b.p || (a.p === b.p && a.order > b.order);
  }

  offer(m: Mistake): void {
    const h = this.heap;
    if (this.max <= 0) return;
    if (h.length < this.max) {
      h.push(m);
      let k = h.length - 1;
      while (k > 0) {
        const parent = (k - 1) >> 1;
        if (!TopMistakes.less(h[k]!, h[parent]!)) break;
        [h[k], h[parent]] = [h[parent]!, h[k]!];
        k = parent;
      }
      return;
    }
    if (!TopMistakes.less(h[0]!, m)) return;
    h[0] = m;
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let least = k;
      if (l < h.length && TopMistakes.less(h[l]!, h[least]!)) least = l;
      if (r < h.length && TopMistakes.less(h[r]!, h[least]!)) least = r;
      if (least === k) break;
      [h[k], h[least]] = [h[least]!, h[k]!];
      k = least;
    }
  }

  /** Most confident first; ties in file order. */
  sorted(): Mistake[] {
    return [...this.heap].sort((a, b) => b.p - a.p || a.order - b.order);
  }
}
