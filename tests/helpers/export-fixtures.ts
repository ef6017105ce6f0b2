// Fixtures for the export tests: model folders saved the app's way (main/ml-process/model-files.ts)
// for both architectures and for a batch-normalised variant with non-trivial statistics, and the
// app's own probabilities for real MNIST digits (the same input scaling as the ML process: ÷255).
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { ModelArch } from '../../preload/contract';
import { loadTf } from '../../main/ml-process/backend';
import { buildModel } from '../../main/ml-process/models';
import { loadModel, saveModel } from '../../main/ml-process/model-files';
import { prepareSamplesInPlace, setInputPrep } from '../../main/ml-process/input-prep';
import { deskewDataset } from '../../main/data/deskew';
import { seededRandom } from '../../main/data/dataset-ops';
import type { Dataset } from '../../main/data/dataset';
import { testModelMetadata } from './ml-fixtures';

export async function saveArchModel(dir: string, arch: ModelArch, name: string = arch): Promise<string> {
  await loadTf();
  const out = path.join(dir, name);
  const model = buildModel(arch);
  randomiseBatchNorm(await loadTf().then((x) => x.tf), model, 11);
  await saveModel(model, out, { ...testModelMetadata(name), arch, architecture: arch });
  model.dispose();
  return out;
}

/**
 * conv (linear) → BN → relu → maxpool → conv same stride 2 + relu → BN (not foldable: after relu)
 * → avgpool same → flatten → dense (linear) → BN → softmax; a second variant ends in global pooling.
 * Batch-norm statistics are random, so folding mistakes show.
 */
export async function saveBnModel(dir: string, variant: 'flatten' | 'global', name = `bn-${variant}`): Promise<string> {
  const { tf } = await loadTf();
  const m = tf.sequential({ name: 'digit_bn' });
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, padding: 'same', name: 'c1' }));
  m.add(tf.layers.batchNormalization({ name: 'bn1' }));
  m.add(tf.layers.activation({ activation: 'relu', name: 'a1' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }));
  m.add(tf.layers.conv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'c2' }));
  m.add(tf.layers.batchNormalization({ name: 'bn2', epsilon: 0.01 }));
  m.add(tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'p2' }));
  if (variant === 'flatten') {
    m.add(tf.layers.flatten({ name: 'f' }));
    m.add(tf.layers.dense({ units: 10, name: 'd' }));
    m.add(tf.layers.batchNormalization({ name: 'bn3' }));
    m.add(tf.layers.softmax({ name: 'sm' }));
  } else {
    m.add(tf.layers.conv2d({ filters: 10, kernelSize: 1, name: 'c3' }));
    m.add(tf.layers.globalAveragePooling2d({ name: 'gap' }));
    m.add(tf.layers.activation({ activation: 'softmax', name: 'sm' }));
  }
  randomiseBatchNorm(tf, m, 7);
  const out = path.join(dir, name);
  await saveModel(m, out, { ...testModelMetadata(name), arch: 'default', architecture: 'bn test' });
  m.dispose();
  return out;
}

/**
 * Batch norm as training leaves it (gamma, beta, moving mean, moving variance all away from their
 * initial 1, 0, 0, 1), so an exporter that folds or orders them wrongly shows.
 */
function randomiseBatchNorm(tf: Awaited<ReturnType<typeof loadTf>>['tf'], model: LayersModel, seed: number): void {
  const rand = seededRandom(seed);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    layer.setWeights(
      layer.getWeights().map((w, i) => {
        const v = Float32Array.from({ length: w.size }, () => (i === 3 ? 0.2 + rand() * 2 : i === 0 ? 0.5 + rand() : (rand() - 0.5) * 0.1));
        return tf.tensor(v, w.shape);
      }),
    );
  }
}

/**
 * The app's probabilities for these digits: the model loaded as the ML process loads it, its input
 * prepared as the ML process prepares it (deskewed when its metadata says so), ÷255.
 */
export async function appProbabilities(modelDir: string, ds: Dataset): Promise<Float32Array> {
  const { tf } = await loadTf();
  const { model } = await loadModel(modelDir);
  try {
    const pixels = ds.pixels.slice(0, ds.count * 784);
    prepareSamplesInPlace(model, pixels, ds.count);
    return predictWith(tf, model, { ...ds, pixels });
  } finally {
    model.dispose();
  }
}

function predictWith(tf: Awaited<ReturnType<typeof loadTf>>['tf'], model: LayersModel, ds: Dataset): Float32Array {
  const x = Float32Array.from(ds.pixels.subarray(0, ds.count * 784), (v) => v / 255);
  const out = tf.tidy(() => model.predict(tf.tensor4d(x, [ds.count, 28, 28, 1])) as Tensor);
  const v = out.dataSync() as Float32Array;
  out.dispose();
  return Float32Array.from(v);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * A briefly trained seed CNN (2,000 real digits, two epochs, in this process): good enough that a
 * drawn digit is read, so the web page test checks a real prediction, not noise.
 */
export async function saveTrainedModel(dir: string, name = 'trained', arch: ModelArch = 'seed', epochs = 2, deskew = false): Promise<string> {
  const { tf } = await loadTf();
  const { loadStarterDataset } = await import('../../main/data/starter');
  const plain = await loadStarterDataset(200);
  // With `deskew`, trained on deskewed digits and recorded so (metadata.json input.deskew), as the app trains by default.
  const ds = deskew ? deskewDataset(plain) : plain;
  const model = buildModel(arch);
  setInputPrep(model, { deskew });
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor4d(Float32Array.from(ds.pixels.subarray(0, ds.count * 784), (v) => v / 255), [ds.count, 28, 28, 1]);
  const y = tf.tensor1d(Float32Array.from(ds.labels.subarray(0, ds.count)));
  await model.fit(x, y, { epochs, batchSize: 64, shuffle: true, verbose: 0 });
  x.dispose();
  y.dispose();
  const out = path.join(dir, name);
  await saveModel(model, out, { ...testModelMetadata(name), arch, architecture: `${arch} (${epochs} epochs on 2,000 digits)` });
  model.dispose();
  return out;
}
