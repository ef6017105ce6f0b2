// Evaluation metrics from predicted probabilities: accuracy, per-class precision and recall, the
// confusion matrix, and the misclassified samples (capped) with their probabilities.
import type { ClassMetrics, Evaluation, Misclassified } from '../../preload/contract';
import { IMAGE_PIXELS, NUM_CLASSES } from '../data/dataset';

/** A misclassified sample, located by the dataset file it came from (fileIndex) and its index there. */
export type EvaluatedMistake = Omit<Misclassified, 'datasetId'> & { fileIndex: number };

export type EvaluationResult = Omit<Evaluation, 'id' | 'modelId' | 'datasetIds' | 'misclassified'> & {
  misclassified: EvaluatedMistake[];
  /** How many were misclassified in all (the list is capped). */
  misclassifiedCount: number;
};

export const MAX_MISCLASSIFIED = 500;

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
  const misclassified: EvaluatedMistake[] = [];
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
        continue;
      }
      mistakes++;
      if (misclassified.length < maxMistakes) {
        misclassified.push({
          fileIndex: part.fileIndex,
          index: i,
          label,
          predicted,
          probabilities: Array.from(p, (v) => Number(v.toFixed(6))),
          pixels: Buffer.from(part.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)).toString('base64'),
        });
      }
    }
  }
  const perClass: ClassMetrics[] = Array.from({ length: NUM_CLASSES }, (_, c) => {
    const tp = confusion[c]![c]!;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((a, row) => a + row[c]!, 0);
    return { precision: predictedAs ? tp / predictedAs : 0, recall: support ? tp / support : 0, support };
  });
  // The most confident mistakes first: the ones most worth looking at.
  misclassified.sort((a, b) => b.probabilities[b.predicted]! - a.probabilities[a.predicted]!);
  return { accuracy: count ? correct / count : 0, count, perClass, confusion, misclassified, misclassifiedCount: mistakes };
}
