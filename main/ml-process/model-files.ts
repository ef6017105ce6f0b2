// Model folders: TensorFlow.js layers format (model.json + weights.bin) plus metadata.json, written
// atomically through our own tf.io handler (so it works on every backend, native or WASM), and
// loaded with strict validation: a corrupt, foreign or hostile folder gives a UserError naming the
// file and the problem, never a crash, a hang or a read outside the folder.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LayersModel, io } from '@tensorflow/tfjs';
import { recoverDir, writeDirAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import { tf } from './backend';
import { inputPrepFromMetadata, inputPrepOf, setInputPrep } from './input-prep';
import { METADATA_JSON, MODEL_JSON, WEIGHTS_BIN, readMetadata, type ModelMetadata } from '../models/model-metadata';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHTS_BYTES, parseModelJson, readModelFolderBytes } from '../models/model-json';

// Re-exported: callers and tests name them from here.
export { MAX_MODEL_JSON_BYTES, MAX_WEIGHTS_BYTES, parseModelJson };

/** Saves a model folder atomically: either the previous folder stays or the complete new one is there. */
export async function saveModel(model: LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  let artifacts: io.ModelArtifacts | null = null;
  // Our own IOHandler: it only captures the artifacts; the writing is ours, atomic and backend-neutral.
  await model.save({
    save: async (a: io.ModelArtifacts) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  const a = artifacts as io.ModelArtifacts | null;
  if (!a || !a.modelTopology || !a.weightSpecs || !a.weightData) throw new Error('the model produced no weights to save');
  const weightData = a.weightData;
  const data = Array.isArray(weightData)
    ? Buffer.concat(weightData.map((b) => Buffer.from(b)))
    : Buffer.from(weightData as ArrayBuffer);
  const modelJson = {
    format: 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: a.weightSpecs }],
  };
  await writeDirAtomic(dir, async (tmp) => {
    await fs.writeFile(path.join(tmp, MODEL_JSON), JSON.stringify(modelJson));
    await fs.writeFile(path.join(tmp, WEIGHTS_BIN), data);
    // The model's input preparation is the model's own (input-prep.ts): recorded from it, whatever the caller wrote.
    await fs.writeFile(path.join(tmp, METADATA_JSON), JSON.stringify({ ...metadata, input: inputPrepOf(model) }, null, 2) + '\n');
  });
}

/** Loads and validates a model folder. */
export async function loadModel(dir: string): Promise<{ model: LayersModel; metadata: ModelMetadata | null }> {
  const root = path.resolve(dir);
  // A save that was killed between moving the old folder aside and renaming the new one in.
  await recoverDir(root).catch(() => false);
  const { parsed, weights } = await readModelFolderBytes(root);
  const t = tf();
  let model: LayersModel;
  try {
    const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length) as ArrayBuffer;
    model = await t.loadLayersModel(
      t.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: parsed.weightSpecs, weightData: buffer }),
    );
  } catch (err) {
    const file = path.join(root, MODEL_JSON);
    throw new UserError(msg('model.unusable', { file, why: messageOf(err).split('\n')[0]!.slice(0, 200) }), file);
  }
  try {
    checkDigitClassifier(model, root);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const metadata = await readMetadata(root);
  setInputPrep(model, inputPrepFromMetadata(metadata));
  return { model, metadata };
}

/** Input 28×28×1 and output 10: anything else can't read our digits. */
export function checkDigitClassifier(model: LayersModel, dir: string): void {
  const input = model.inputs.length === 1 ? model.inputs[0]!.shape : null;
  const output = model.outputs.length === 1 ? model.outputs[0]!.shape : null;
  const ok =
    input && input.length === 4 && input[1] === 28 && input[2] === 28 && input[3] === 1 && output && output.length === 2 && output[1] === 10;
  if (!ok) {
    const file = path.join(dir, MODEL_JSON);
    throw new UserError(msg('model.notClassifier', { file, input: JSON.stringify(input), output: JSON.stringify(output) }), file);
  }
}

