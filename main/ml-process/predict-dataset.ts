// A model's readings of a whole dataset, without training: validation after every epoch, evaluation
// on the warm process, MNIST test accuracy before and after a fine-tune. Runs inside the ML process.
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { IMAGE_PIXELS, NUM_CLASSES, imageAt, type Dataset } from '../data/dataset';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { toFloat } from './augment';
import { tf } from './backend';
import { foldedForward } from './inference';
import { inputPrepOf, prepareSampleWith } from './input-prep';
import type { ModelInput } from '../models/model-metadata';
import { winogradForward } from './winograd/forward';

export interface EvalOutput {
  loss: number;
  accuracy: number;
  /** count × 10 probabilities. */
  probabilities: Float32Array;
}

const EVAL_BATCH = 256;

/** Running totals of a prediction pass over a dataset. */
interface EvalPass {
  probabilities: Float32Array;
  buf: Float32Array;
  lossSum: number;
  correct: number;
  labelled: number;
  forward: Forward;
  /** How the model's samples are prepared (input-prep.ts), and a sample's worth of room for it. */
  prep: ModelInput;
  sample: Uint8Array;
}

/** Ten probabilities per image for n images given as n × 784 floats 0–1; dispose() frees what it holds. */
interface Forward {
  run(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

/**
 * Evaluation runs the fastest forward pass that fits the model, the same function as predict():
 * Winograd convolutions on WASM (winograd/forward.ts), else the folded pass (inference.ts: batch
 * norm folded into the convolutions, ReLU fused). Measured on the default CNN on WASM, 10,000 MNIST
 * test digits took 3.6 CPU s (Winograd) or 6.4 (folded) instead of predict()'s 12.0. Built from
 * the weights as they are now (0.02 s), so each pass (every epoch's validation) sees the current
 * model. A model that is not a plain stack of layers keeps predict().
 */
function forwardOf(model: LayersModel): Forward {
  const plain = model.getClassName() === 'Sequential';
  const wino = plain ? winogradForward(model) : null;
  if (wino) return wino;
  const t = tf();
  const folded = plain ? foldedForward(model) : null;
  return {
    run: (x, n) => {
      const out = t.tidy(() => {
        const input = t.tensor4d(x.subarray(0, n * IMAGE_PIXELS), [n, 28, 28, 1]);
        return folded ? folded.run(input as Tensor4D) : (model.predict(input) as Tensor);
      });
      const data = out.dataSync() as Float32Array;
      out.dispose();
      return data;
    },
    dispose: () => folded?.dispose(),
  };
}

function startPass(model: LayersModel, ds: Dataset): EvalPass {
  return { probabilities: new Float32Array(ds.count * NUM_CLASSES), buf: new Float32Array(EVAL_BATCH * IMAGE_PIXELS), lossSum: 0, correct: 0, labelled: 0, forward: forwardOf(model), prep: inputPrepOf(model), sample: new Uint8Array(IMAGE_PIXELS) };
}

/** Predicts samples [from, to) of `ds` in batches, adding to `pass`. */
function predictRange(ds: Dataset, from: number, to: number, pass: EvalPass): void {
  const { buf, probabilities } = pass;
  for (let start = from; start < to; start += EVAL_BATCH) {
    const n = Math.min(EVAL_BATCH, to - start);
    for (let k = 0; k < n; k++) toFloat(prepareSampleWith(pass.prep, imageAt(ds, start + k), pass.sample), buf, k * IMAGE_PIXELS);
    const p = pass.forward.run(buf, n);
    probabilities.set(p, start * NUM_CLASSES);
    for (let k = 0; k < n; k++) {
      const label = ds.labels[start + k]!;
      if (label < 0) continue;
      pass.labelled++;
      let best = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (p[k * NUM_CLASSES + c]! > p[k * NUM_CLASSES + best]!) best = c;
      if (best === label) pass.correct++;
      pass.lossSum += -Math.log(Math.min(1 - 1e-7, Math.max(1e-7, p[k * NUM_CLASSES + label]!)));
    }
  }
}

function endPass(pass: EvalPass): EvalOutput {
  pass.forward.dispose();
  const { labelled } = pass;
  return { loss: labelled ? pass.lossSum / labelled : NaN, accuracy: labelled ? pass.correct / labelled : NaN, probabilities: pass.probabilities };
}

/**
 * Runs `model` over a dataset's labelled images (no training) and returns loss, accuracy and
 * probabilities. The samples are plain (as stored); each is prepared for the model (input-prep.ts).
 */
export function predictDataset(model: LayersModel, ds: Dataset): EvalOutput {
  const pass = startPass(model, ds);
  predictRange(ds, 0, ds.count, pass);
  return endPass(pass);
}

/** Images between progress reports and cancel checks in predictDatasetInSteps (~0.5 s of work). */
const EVAL_STEP = 2048;

export class EvaluationCanceled extends UserError {
  constructor() {
    super(msg('eval.canceled'));
    this.name = 'EvaluationCanceled';
  }
}

/**
 * predictDataset for long evaluations: it reports how many images are done and lets the event loop
 * run between steps, so a cancel message can arrive; `shouldStop` then ends it (EvaluationCanceled).
 */
export async function predictDatasetInSteps(
  model: LayersModel,
  ds: Dataset,
  hooks: { onProgress?(done: number): void; shouldStop?(): boolean } = {},
): Promise<EvalOutput> {
  const pass = startPass(model, ds);
  try {
    for (let from = 0; from < ds.count; from += EVAL_STEP) {
      if (hooks.shouldStop?.()) throw new EvaluationCanceled();
      const to = Math.min(ds.count, from + EVAL_STEP);
      predictRange(ds, from, to, pass);
      hooks.onProgress?.(to);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (hooks.shouldStop?.()) throw new EvaluationCanceled();
  } catch (err) {
    pass.forward.dispose();
    throw err;
  }
  return endPass(pass);
}
