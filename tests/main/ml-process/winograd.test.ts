// The Winograd forward pass (main/ml-process/winograd) reads as the model's own predict(), to 1e-5
// on every probability: on real digits, with the default CNN given trained-like batch-norm
// statistics and weights, for a count that is not a multiple of anything (37), for the same
// buffers reused, and through predictFloats over more than one pass. Models it doesn't fit (the
// seed CNN) get null, so they run the folded pass instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { loadTf, tf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { winogradForward } from '../../../main/ml-process/winograd/forward';
import { predictFloats } from '../../../main/ml-process/predict-helper';
import { digits } from '../../helpers/ml-fixtures';

/** Weights as after training: He-scaled convolutions, batch norm far from its initial 1s and 0s. */
function trainedLike(model: LayersModel): void {
  const t = tf();
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (!weights.length) continue;
    if (layer.getClassName() === 'BatchNormalization') {
      layer.setWeights(weights.map((w, k) => t.tensor(Float32Array.from({ length: w.size }, () => (k === 3 ? 0.2 + 2 * rnd() : k === 0 ? 0.5 + rnd() : rnd() - 0.5)), w.shape)));
    } else {
      layer.setWeights(
        weights.map((w) => {
          const fanIn = w.shape.slice(0, -1).reduce((a, b) => a * b, 1);
          return t.tensor(Float32Array.from({ length: w.size }, () => (w.shape.length === 1 ? 0.1 * gauss() : gauss() * Math.sqrt(2 / fanIn))), w.shape);
        }),
      );
    }
  }
}

function worstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

test('Winograd and plain forward passes give the same probabilities (1e-5)', async (t) => {
  await loadTf();
  if (tf().getBackend() !== 'wasm') return t.skip('the Winograd pass is for the WASM backend');
  const ds = await digits(30); // 300 real digits: more than one pass of predictFloats
  const x = Float32Array.from(ds.pixels, (v) => v / 255);
  const model = buildModel('default');
  trainedLike(model);
  const input = tf().tensor4d(x, [ds.count, 28, 28, 1]);
  const plain = (model.predict(input) as Tensor).dataSync();
  input.dispose();
  // The probabilities must not all be 0 or 1, or the comparison would prove little.
  assert.ok(Array.from(plain).some((p) => p > 0.01 && p < 0.99), 'some probabilities are in between');

  const forward = winogradForward(model);
  assert.ok(forward, 'the default CNN runs as Winograd on WASM');
  assert.ok(forward.fastHead, 'its head (dense → batch norm → ReLU → dense softmax) runs on XNNPACK, batch norm folded');
  for (const n of [37, 37, 5]) {
    const got = forward.run(x, n);
    const worst = worstDifference(got, plain.subarray(0, n * 10));
    assert.ok(worst < 1e-5, `${n} images: largest difference ${worst}`);
  }
  forward.dispose();

  const all = predictFloats(model, x, ds.count);
  const worst = worstDifference(all, plain);
  assert.ok(worst < 1e-5, `predictFloats, ${ds.count} images: largest difference ${worst}`);
  model.dispose();
});

test('a model the Winograd pass does not fit gets null', async () => {
  await loadTf();
  const model = buildModel('seed');
  assert.equal(winogradForward(model), null);
  model.dispose();
});
