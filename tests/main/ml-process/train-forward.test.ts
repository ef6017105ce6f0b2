// The training forward pass (main/ml-process/train-forward.ts): with its fusions (batch norm +
// ReLU as one kernel, convolution + bias + ReLU as one, plain convolutions as tf.conv2d) it gives the same outputs, gradients and
// batch-norm statistics as applying the model's layers one by one, on WASM and on the cpu backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import { loadTf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { trainingForward } from '../../../main/ml-process/train-forward';
import { seededRandom } from '../../../main/data/dataset-ops';
import { digits } from '../../helpers/ml-fixtures';
import { toFloat } from '../../../main/ml-process/augment';
import { imageAt } from '../../../main/data/dataset';
import type { Tf } from '../../../main/ml-process/backend';

process.env.DIGIT_STUDIO_BACKEND = 'wasm';

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1e-3;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  assert.ok(worst <= 1e-4 * scale, `${what}: max difference ${worst} (scale ${scale})`);
}

/** Output, gradients of a loss and non-trainable weights after one training forward pass. */
function pass(tfi: Tf, model: LayersModel, xv: Float32Array, n: number, fused: boolean): Float32Array[] {
  const start = model.getWeights().map((w) => w.clone());
  const random = Math.random;
  Math.random = seededRandom(9); // the same dropout masks for both ways
  try {
    const vars = model.trainableWeights.map((w) => w.read() as Variable);
    let out: Float32Array | null = null;
    const { grads } = tfi.variableGrads(() => {
      const x = tfi.tensor4d(xv, [n, 28, 28, 1]);
      let h: Tensor = x;
      if (fused) h = trainingForward(model, x);
      else for (const layer of model.layers) h = layer.apply(h, { training: true }) as Tensor;
      out = h.dataSync() as Float32Array;
      return tfi.sum(tfi.mul(h, tfi.linspace(-1, 1, h.size).reshape(h.shape))) as never;
    }, vars);
    const result = [out!, ...vars.map((v) => grads[v.name]!.dataSync() as Float32Array), ...model.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array)];
    Object.values(grads).forEach((g) => g.dispose());
    return result;
  } finally {
    Math.random = random;
    model.setWeights(start); // the batch-norm statistics moved: start the other way from the same state
    start.forEach((w) => w.dispose());
  }
}

test('the fused training forward pass matches the layers applied one by one (WASM and cpu)', async () => {
  const { tf } = await loadTf();
  const ds = await digits(2);
  const n = 4;
  const xv = new Float32Array(n * 784);
  for (let k = 0; k < n; k++) toFloat(imageAt(ds, k % ds.count), xv, k * 784);
  try {
    for (const backend of ['wasm', 'cpu']) {
      await tf.setBackend(backend);
      // The seed CNN's convolution + bias + ReLU kernel is WASM's only (cpu applies its layers as they are).
      for (const arch of backend === 'wasm' ? (['default', 'seed'] as const) : (['default'] as const)) {
        Math.random = seededRandom(4);
        const model = buildModel(arch);
        const plain = pass(tf, model, xv, n, false);
        const fused = pass(tf, model, xv, n, true);
        assert.equal(fused.length, plain.length);
        plain.forEach((p, i) => assertClose(fused[i]!, p, `${backend} ${arch} output/gradient/statistic ${i}`));
        if (backend === 'wasm') {
          // The JavaScript loops our kernels fall back on without SIMD give the same.
          process.env.DIGIT_STUDIO_SIMD = '0';
          try {
            pass(tf, model, xv, n, true).forEach((v, i) => assertClose(v, plain[i]!, `${arch} without SIMD ${i}`));
          } finally {
            delete process.env.DIGIT_STUDIO_SIMD;
          }
        }
        // The comparison is not vacuous: gradients are non-zero.
        assert.ok(plain.slice(1).some((g) => g.some((v) => v !== 0)));
        model.dispose();
      }
    }
  } finally {
    await tf.setBackend('wasm');
  }
});
