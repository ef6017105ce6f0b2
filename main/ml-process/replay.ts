// Fine-tuning without forgetting (runs inside the ML process): a seeded random share of the MNIST
// training digits is mixed into the user's training samples, at the dataset level, so every
// shuffled batch holds some; the validation samples stay the user's own. After training, the
// fine-tuned model is measured on the MNIST test digits, so any forgetting shows in the run.
import type { LayersModel } from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import { loadDatasetFile } from '../data/dataset-file';
import { combineDatasets, seededRandom, subsetDataset } from '../data/dataset-ops';
import { predictDataset } from './trainer';

/** Where the MNIST digits come from, and how many to mix in (FINETUNE_RECIPE). */
export interface ReplaySpec {
  /** MNIST training digits: a dataset file (the built-in training set's, main/data/builtin/). */
  trainFile: string;
  /** MNIST test digits (the built-in test set's), measured before and after fine-tuning; null: not measured. */
  testFile: string | null;
  perSample: number;
  min: number;
  /**
   * The base model's accuracy on `testFile` when the caller already measured it (the guided flow's
   * check does, on the warm process): then it is not measured again here, which saved 10,000
   * predictions (~6 CPU s) of every guided fine-tune.
   */
  baselineTestAccuracy?: number | null;
}

/** How many digits to replay for `userCount` training samples. */
export function replaySize(spec: Pick<ReplaySpec, 'perSample' | 'min'>, userCount: number): number {
  return Math.max(spec.min, Math.round(userCount * spec.perSample));
}

/** `count` distinct samples of `pool` drawn with a seeded shuffle (all of them when it has fewer). */
export function drawReplay(pool: Dataset, count: number, seed: number): Dataset {
  const rand = seededRandom(seed ^ 0x2f6b_1d3a);
  const idx = Array.from({ length: pool.count }, (_, i) => i);
  const n = Math.min(count, pool.count);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (pool.count - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return subsetDataset(pool, idx.slice(0, n));
}

/** The user's training samples with the replayed MNIST share appended (the trainer shuffles every epoch). */
export async function mixReplay(train: Dataset, spec: ReplaySpec, seed: number): Promise<{ mixed: Dataset; replayed: number }> {
  const pool = await loadDatasetFile(spec.trainFile);
  const replay = drawReplay(pool, replaySize(spec, train.count), seed);
  return { mixed: combineDatasets([train, replay]), replayed: replay.count };
}

/** Accuracy of `model` on the MNIST test digits of `spec`, or null when there are none to use. */
export async function mnistTestAccuracy(model: LayersModel, spec: ReplaySpec | null): Promise<number | null> {
  if (!spec?.testFile) return null;
  const test = await loadDatasetFile(spec.testFile);
  return predictDataset(model, test).accuracy;
}
