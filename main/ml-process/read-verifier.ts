// The reader's piece verifier (issue 13), run inside the ML process: a small CNN, trained by
// scripts/make-read-verifier.ts on pieces that the reading pipeline itself cuts out of numbers made
// of MNIST training digits, that says how likely a normalised 28×28 piece is one whole, well-cut
// digit rather than a fragment, half a digit, two digits merged or an over-cut piece. It knows
// nothing of which digit it is, so it serves any digit model (the base model or a fine-tuned one);
// divide.ts weighs its answer beside the digit model's confidence. Shipped in resources/read-verifier/.
// Its input is the piece on its line (main/read/piece-view.ts: 28×28, the piece's ink and the ink
// around it), not the digit model's normalised sample.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { VIEW_CHANNELS, VIEW_SIDE, VIEW_VALUES } from '../read/piece-view';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import { MODEL_JSON } from '../models/model-metadata';
import { readModelFolderBytes } from '../models/model-json';
import { loadTf, tf } from './backend';

/**
 * Where the shipped verifier is: from the sources (main/ml-process) or the bundle (out/main), the
 * project's resources/read-verifier, unpacked beside app.asar when packaged; null when absent.
 */
export function verifierDir(here: string = __dirname): string | null {
  const dir = path.join(here, '..', '..', 'resources', 'read-verifier');
  const unpacked = dir.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
  for (const d of [unpacked, dir]) if (existsSync(path.join(d, MODEL_JSON))) return d;
  return null;
}

/** A verifier: 28×28×2 in, one probability out. */
export function checkVerifier(model: LayersModel, dir: string): void {
  const input = model.inputs.length === 1 ? model.inputs[0]!.shape : null;
  const output = model.outputs.length === 1 ? model.outputs[0]!.shape : null;
  const ok = input && input.length === 4 && input[1] === VIEW_SIDE && input[2] === VIEW_SIDE && input[3] === VIEW_CHANNELS && output && output.length === 2 && output[1] === 1;
  if (!ok) {
    const file = path.join(dir, MODEL_JSON);
    throw new UserError(msg('read.notVerifier', { file, input: JSON.stringify(input), output: JSON.stringify(output) }), file);
  }
}

let cached: Promise<LayersModel | null> | null = null;

/** Loads a verifier folder (validated like any model folder). */
export async function loadVerifier(dir: string): Promise<LayersModel> {
  await loadTf();
  const { parsed, weights } = await readModelFolderBytes(dir);
  const t = tf();
  let model: LayersModel;
  try {
    const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length) as ArrayBuffer;
    model = await t.loadLayersModel(t.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightSpecs, weightData: buffer }));
  } catch (err) {
    const file = path.join(dir, MODEL_JSON);
    throw new UserError(msg('model.unusable', { file, why: messageOf(err).split('\n')[0]!.slice(0, 200) }), file);
  }
  checkVerifier(model, dir);
  return model;
}

/** The shipped verifier, loaded once; null when the app ships none (the reader then does without). */
function shippedVerifier(): Promise<LayersModel | null> {
  cached ??= (async () => {
    const dir = verifierDir();
    return dir ? loadVerifier(dir) : null;
  })();
  return cached;
}

/** Runs `model` on 0..255 piece views: one probability each that the piece is one whole digit. */
export function runVerifier(model: LayersModel, inputs: ArrayLike<number>[]): number[] {
  if (!inputs.length) return [];
  const buf = new Float32Array(inputs.length * VIEW_VALUES);
  inputs.forEach((px, k) => {
    if (!px || px.length !== VIEW_VALUES) throw new UserError(msg('predict.inputNotImage', { index: k + 1 }));
    for (let i = 0; i < VIEW_VALUES; i++) buf[k * VIEW_VALUES + i] = Math.min(255, Math.max(0, Number(px[i]) || 0)) / 255;
  });
  const t = tf();
  const out = t.tidy(() => model.predict(t.tensor4d(buf, [inputs.length, VIEW_SIDE, VIEW_SIDE, VIEW_CHANNELS])) as Tensor);
  const values = out.dataSync();
  out.dispose();
  return Array.from(values);
}

/** The shipped verifier's probabilities for `inputs`; null when there is no verifier. */
export async function verifyPieces(inputs: number[][]): Promise<number[] | null> {
  const model = await shippedVerifier();
  return model ? runVerifier(model, inputs) : null;
}
