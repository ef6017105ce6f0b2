// A model's reading of the held-out samples, and its accuracy on the built-in MNIST test set (other
// people's digits), for the check and the before/after. Runs in the warm ML process.
import type { GuideCheck, GuideReading } from '../../preload/contract';
import type { DatasetLibrary } from '../data/library';
import { MNIST_TEST_ID } from '../data/library-ids';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { CollectedSample } from './samples';

function argmax(p: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k]! > p[best]!) best = k;
  return best;
}

export async function readSamples(ml: MlClient, models: ModelLibrary, modelId: string, samples: readonly CollectedSample[]): Promise<GuideReading[]> {
  const probs = samples.length ? await ml.predict(models.dirOf(modelId), samples.map((s) => s.pixels)) : [];
  return samples.map((s, i) => {
    const p = probs[i]!;
    const predicted = argmax(p);
    return { key: s.key, label: s.label, predicted, confidence: p[predicted]!, pixels: Buffer.from(s.pixels).toString('base64') };
  });
}

/** MNIST test accuracy of a model, or null when the built-in test set isn't there. */
export async function mnistAccuracy(
  ml: MlClient,
  models: ModelLibrary,
  library: DatasetLibrary,
  modelId: string,
  options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {},
): Promise<number | null> {
  if (!library.list().some((d) => d.id === MNIST_TEST_ID)) return null;
  const result = await ml.evaluate(models.dirOf(modelId), [library.fileOf(MNIST_TEST_ID)], options);
  return result.accuracy;
}

export function checkOf(modelId: string, modelName: string, readings: GuideReading[], mnist: number | null): GuideCheck {
  const right = readings.filter((r) => r.predicted === r.label).length;
  return { modelId, modelName, accuracy: readings.length ? right / readings.length : 0, count: readings.length, readings, mnistAccuracy: mnist };
}

/** Held-out keys the first check got wrong and the second right (fixed), and the reverse (broken). */
export function changes(before: GuideCheck, after: GuideCheck): { fixed: string[]; broken: string[] } {
  const was = new Map(before.readings.map((r) => [r.key, r.predicted === r.label]));
  const fixed: string[] = [];
  const broken: string[] = [];
  for (const r of after.readings) {
    const ok = r.predicted === r.label;
    const prev = was.get(r.key);
    if (prev === false && ok) fixed.push(r.key);
    if (prev === true && !ok) broken.push(r.key);
  }
  return { fixed, broken };
}
