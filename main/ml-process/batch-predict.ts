// Batch prediction inside the ML process: a dataset file (.dsb) is read block by block, each block
// predicted (half on a helper thread when there is a second core, predict-helper.ts) and its
// probabilities handed over at once, so neither side ever holds the whole set: 28,000 digits or
// 800,000 cost the same memory. The file's checksum is checked as the blocks go by.
import type { LayersModel } from '@tensorflow/tfjs';
import { DatasetReader } from '../batch/dataset-reader';
import { IMAGE_PIXELS } from '../data/dataset';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { resolveWorkerEntry } from '../util/ml-entry';
import { PredictHelper, helperWorthwhile, predictFloats } from './predict-helper';
import { prepareSamplesInPlace } from './input-prep';

/** Samples per block: one progress report, one cancel check and one message of readings each. */
export const PREDICT_BLOCK = 2048;

export class PredictionCanceled extends UserError {
  constructor() {
    super(msg('predict.canceled'));
    this.name = 'PredictionCanceled';
  }
}

export interface PredictFileHooks {
  /** Probabilities of samples [from, from + n): n × 10 floats, in the file's order. */
  onRows(from: number, probabilities: Float32Array, total: number): void;
  shouldStop?(): boolean;
}

export async function predictDatasetFile(model: LayersModel, file: string, backendKind: string, hooks: PredictFileHooks): Promise<{ count: number; helper: boolean }> {
  const reader = await DatasetReader.open(file);
  // Set once the helper has started (from a callback, hence an object).
  const ready: { helper: PredictHelper | null } = { helper: null };
  let starting: Promise<unknown> = Promise.resolve();
  let helped = false;
  try {
    const count = reader.count;
    if (helperWorthwhile(backendKind, count)) {
      // Without the helper the prediction still runs, on one core. The helper's start (~0.5 s:
      // WASM and the model) overlaps the first blocks, which this thread predicts alone meanwhile;
      // asked for explicitly (DIGIT_STUDIO_PREDICT_HELPER=1), it is waited for, so it surely helps.
      starting = PredictHelper.start(resolveWorkerEntry(), model).then(
        (h) => (ready.helper = h),
        () => null,
      );
      if (process.env.DIGIT_STUDIO_PREDICT_HELPER === '1') await starting;
    }
    const pixels = new Uint8Array(PREDICT_BLOCK * IMAGE_PIXELS);
    const x = new Float32Array(PREDICT_BLOCK * IMAGE_PIXELS);
    for (let from = 0; from < count; from += PREDICT_BLOCK) {
      if (hooks.shouldStop?.()) throw new PredictionCanceled();
      const n = Math.min(PREDICT_BLOCK, count - from);
      await reader.pixels(from, n, pixels);
      // As the model sees them (input-prep.ts), before the helper thread gets its half.
      prepareSamplesInPlace(model, pixels, n);
      for (let i = 0; i < n * IMAGE_PIXELS; i++) x[i] = pixels[i]! / 255;
      let probabilities: Float32Array;
      const helper = ready.helper;
      if (helper && n >= 2) {
        helped = true;
        // The helper takes the first half (a copy: the buffer is reused), this thread the second.
        const half = n >> 1;
        const theirs = helper.predict(x.slice(0, half * IMAGE_PIXELS), half);
        const mine = predictFloats(model, x.subarray(half * IMAGE_PIXELS), n - half);
        probabilities = new Float32Array(n * 10);
        probabilities.set(await theirs, 0);
        probabilities.set(mine, half * 10);
      } else {
        probabilities = predictFloats(model, x, n);
      }
      hooks.onRows(from, probabilities, count);
      // Let a cancel message in.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (hooks.shouldStop?.()) throw new PredictionCanceled();
    await reader.check();
    return { count, helper: helped };
  } finally {
    await starting;
    await ready.helper?.stop();
    await reader.close();
  }
}
