// Makes resources/read-verifier/ (issue 13): the reader's "is this one whole, well-cut digit?" CNN
// (main/ml-process/read-verifier.ts). Its examples are the pieces the reading pipeline itself cuts
// out of numbers composed from MNIST TRAINING digits, as the verifier sees them (main/read/piece-view.ts)
// (tests/helpers/read-pieces.ts: photos and pad
// rasters, mostly touching, some with broken strokes), labelled by the digits' true boxes. A second
// set of numbers (another seed, also training digits) measures it; the MNIST test digits are never
// used. Deterministic for the seed on one backend.
//   npm run make-read-verifier   (node --import tsx scripts/make-read-verifier.ts [numbers=500] [epochs=6])
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { loadTf, tf } from '../main/ml-process/backend';
import { runVerifier } from '../main/ml-process/read-verifier';
import { VIEW_CHANNELS, VIEW_SIDE, VIEW_VALUES } from '../main/read/piece-view';
import { saveModel } from '../main/ml-process/model-files';
import { seededRandom } from '../main/data/dataset-ops';
import type { ModelMetadata } from '../main/models/model-metadata';
import { makePieces, type Piece } from '../tests/helpers/read-pieces';

const SEED = 20261130;
const OUT = path.join(__dirname, '..', 'resources', 'read-verifier');

function build(): LayersModel {
  const t = tf();
  let s = SEED;
  const init = () => t.initializers.glorotUniform({ seed: s++ });
  const m = t.sequential();
  m.add(t.layers.conv2d({ inputShape: [VIEW_SIDE, VIEW_SIDE, VIEW_CHANNELS], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
  m.add(t.layers.maxPooling2d({ poolSize: 2 }));
  m.add(t.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
  m.add(t.layers.maxPooling2d({ poolSize: 2 }));
  m.add(t.layers.conv2d({ filters: 48, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() }));
  m.add(t.layers.maxPooling2d({ poolSize: 2 }));
  m.add(t.layers.flatten());
  m.add(t.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }));
  m.add(t.layers.dropout({ rate: 0.3, seed: s++ }));
  m.add(t.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init() }));
  m.compile({ optimizer: t.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return m;
}

function tensors(pieces: Piece[], order: number[]): { x: Tensor; y: Tensor } {
  const t = tf();
  const xs = new Float32Array(order.length * VIEW_VALUES);
  const ys = new Float32Array(order.length);
  order.forEach((i, k) => {
    const p = pieces[i]!;
    for (let j = 0; j < VIEW_VALUES; j++) xs[k * VIEW_VALUES + j] = p.view[j]! / 255;
    ys[k] = p.whole ? 1 : 0;
  });
  return { x: t.tensor4d(xs, [order.length, VIEW_SIDE, VIEW_SIDE, VIEW_CHANNELS]), y: t.tensor2d(ys, [order.length, 1]) };
}

function measure(model: LayersModel, pieces: Piece[]): { accuracy: number; wholeKept: number; brokenRejected: number } {
  const p = runVerifier(model, pieces.map((x) => x.view));
  let right = 0;
  let whole = 0;
  let wholeKept = 0;
  let brokenRejected = 0;
  pieces.forEach((x, k) => {
    const say = p[k]! >= 0.5;
    if (say === x.whole) right++;
    if (x.whole) {
      whole++;
      if (say) wholeKept++;
    } else if (!say) brokenRejected++;
  });
  return { accuracy: right / pieces.length, wholeKept: wholeKept / whole, brokenRejected: brokenRejected / (pieces.length - whole) };
}

async function main(): Promise<void> {
  const numbers = Number(process.argv[2] ?? 500);
  const epochs = Number(process.argv[3] ?? 6);
  const { info } = await loadTf();
  const t0 = Date.now();
  const train = await makePieces(numbers, SEED, 'train');
  const val = await makePieces(Math.round(numbers / 5), SEED + 1, 'train');
  console.error(`pieces: ${train.length} (${train.filter((p) => p.whole).length} whole), validation ${val.length}; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const t = tf();
  const model = build();
  const rand = seededRandom(SEED + 2);
  const batch = 128;
  for (let e = 0; e < epochs; e++) {
    const order = train.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    if (e === epochs - 2) (model.optimizer as unknown as { learningRate: number }).learningRate = 3e-4;
    let loss = 0;
    let steps = 0;
    for (let k = 0; k + batch <= order.length; k += batch) {
      const { x, y } = tensors(train, order.slice(k, k + batch));
      loss += Number(await model.trainOnBatch(x, y));
      steps++;
      t.dispose([x, y]);
    }
    console.error(`epoch ${e + 1}: loss ${(loss / steps).toFixed(4)}, validation ${JSON.stringify(measure(model, val))}, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const v = measure(model, val);
  const meta = {
    format: 'digit-studio-model',
    version: 1,
    name: 'Read verifier (whole digit or not)',
    arch: 'custom',
    architecture: 'input 28×28×2 (piece, ink around it) → 3 × (conv 3×3 same → relu → maxpool), 16/32/48 filters → dense 64 → relu → dropout 0.3 → dense 1 sigmoid',
    createdAt: new Date().toISOString(),
    backend: info.label ?? info.kind,
    trainedOn: `${train.length} pieces cut by the reader from ${numbers} numbers of MNIST training digits (seed ${SEED})`,
    dataset: { trainCount: train.length, valCount: val.length, perClass: [] },
    metrics: null,
    baseModelId: null,
    runId: null,
    validation: v,
  } as unknown as ModelMetadata;
  await saveModel(model, OUT, meta);
  console.log(JSON.stringify({ out: OUT, pieces: train.length, validation: v, seconds: (Date.now() - t0) / 1000 }));
}
void main();
