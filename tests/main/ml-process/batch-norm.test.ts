// Training-mode batch norm (main/ml-process/batch-norm.ts): our WASM kernels and the portable
// custom gradient against tfjs's own composition (moments + batchNorm, differentiated by tfjs) on
// the cpu backend, on random shapes, to 1e-4 relative to the values' scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfT from '@tensorflow/tfjs';
import { loadTf } from '../../../main/ml-process/backend';
import { batchNormTrain, batchNormalization } from '../../../main/ml-process/batch-norm';
import { seededRandom } from '../../../main/data/dataset-ops';

function randomArray(n: number, r: () => number, offset = 0, spread = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = offset + (r() * 2 - 1) * spread;
  return a;
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  assert.ok(worst <= 1e-4 * scale, `${what}: max difference ${worst} (scale ${scale})`);
}

type Outputs = Float32Array[];

/**
 * y, mean, variance and the gradients of Σ y·dy with respect to x, gamma and beta; with `relu`,
 * y is max(0, batch norm) (our fused kernel; tfjs's relu after its batch norm for the reference).
 */
function run(
  t: typeof tfT,
  shape: number[],
  xv: Float32Array,
  gv: Float32Array,
  bv: Float32Array,
  dyv: Float32Array,
  eps: number,
  stock: boolean,
  relu = false,
): Outputs {
  return t.tidy(() => {
    const x = t.tensor(xv, shape);
    const C = shape[shape.length - 1]!;
    const gamma = t.tensor1d(gv);
    const beta = t.tensor1d(bv);
    const dy = t.tensor(dyv, shape);
    const axes = shape.slice(0, -1).map((_, i) => i);
    const f = (a: tfT.Tensor, g: tfT.Tensor, b: tfT.Tensor): tfT.Tensor[] => {
      if (!stock) return batchNormTrain(t, a, g, b, eps, relu);
      const { mean, variance } = t.moments(a, axes);
      const y = t.batchNorm(a, mean, variance, b, g, eps);
      return [relu ? t.relu(y) : y, mean, variance];
    };
    const [y, mean, variance] = f(x, gamma, beta);
    const grads = t.grads((a, g, b) => t.sum(t.mul(f(a, g, b)[0]!, dy)))([x, gamma, beta]);
    assert.equal(mean!.size, C);
    return [y!, mean!, variance!, ...grads].map((v) => v.dataSync() as Float32Array);
  });
}

test('batch norm in training mode: WASM kernels and the portable gradient match tfjs on cpu', async () => {
  const { tf: t, info } = await loadTf();
  assert.equal(info.kind, 'wasm', 'the fused kernels are for the WASM backend');
  const r = seededRandom(11);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const shapes: number[][] = [];
  for (let k = 0; k < 10; k++) shapes.push([pick([1, 2, 5, 16]), pick([1, 3, 7, 14]), pick([1, 4, 9]), pick([1, 3, 8, 32, 64])]);
  for (let k = 0; k < 4; k++) shapes.push([pick([2, 7, 64]), pick([1, 10, 128])]);
  try {
    for (const shape of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      const C = shape[shape.length - 1]!;
      // Offset inputs (mean ≠ 0, as after a ReLU) check the one-pass variance keeps its precision.
      const xv = randomArray(size, r, pick([0, 0.5, 3]), pick([0.1, 1, 4]));
      const gv = randomArray(C, r, 1, 0.5);
      const bv = randomArray(C, r, 0, 0.5);
      const dyv = randomArray(size, r);
      const eps = pick([1e-3, 1e-5]);
      // Every other shape with the fused ReLU (channels of 8, 32, 64, 128 run the SIMD kernels).
      const relu = shapes.indexOf(shape) % 2 === 1;
      const label = `[${shape.join('×')}] eps ${eps}${relu ? ' + relu' : ''}`;
      await t.setBackend('cpu');
      const ref = run(t, shape, xv, gv, bv, dyv, eps, true, relu);
      const portable = run(t, shape, xv, gv, bv, dyv, eps, false, relu);
      await t.setBackend('wasm');
      const fused = run(t, shape, xv, gv, bv, dyv, eps, false, relu);
      const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
      // A single element per channel has zero variance: every tfjs formula gives its own noise there.
      const skipDx = size / C === 1;
      names.forEach((name, i) => {
        if (skipDx && name === 'dx') return;
        assertClose(portable[i]!, ref[i]!, `portable ${name} ${label}`);
        assertClose(fused[i]!, ref[i]!, `WASM ${name} ${label}`);
      });
    }
  } finally {
    await t.setBackend('wasm');
  }
});

test('the batch-norm layer updates its moving statistics and infers with them, on WASM as on cpu', async () => {
  const { tf: t } = await loadTf();
  const r = seededRandom(5);
  const xv = randomArray(8 * 5 * 5 * 6, r, 1, 2);
  const results: Float32Array[][] = [];
  try {
    for (const backend of ['cpu', 'wasm']) {
      await t.setBackend(backend);
      const layer = batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
      const x = t.tensor4d(xv, [8, 5, 5, 6]);
      for (let i = 0; i < 3; i++) t.dispose(layer.apply(x, { training: true }) as tfT.Tensor);
      const inference = layer.apply(x, { training: false }) as tfT.Tensor;
      assert.equal(layer.getClassName(), 'BatchNormalization', 'saved models keep the standard class name');
      results.push([...layer.getWeights().map((w) => w.dataSync() as Float32Array), inference.dataSync() as Float32Array]);
      inference.dispose();
      x.dispose();
      layer.dispose();
    }
  } finally {
    await t.setBackend('wasm');
  }
  const [cpu, wasm] = results as [Float32Array[], Float32Array[]];
  // Moving mean after three updates with momentum 0.9 from 0: 1 − 0.9³ of the batch mean (~1).
  const movingMean = cpu[2]!;
  assert.ok(movingMean.every((m) => m > 0.1 && m < 0.5), `moving mean ${Array.from(movingMean)}`);
  cpu.forEach((v, i) => assertClose(wasm[i]!, v, `weight/output ${i}`));
});

test('a model with our batch norm saves as a standard layers model and loads back as our class', async () => {
  const { tf: t } = await loadTf();
  const model = t.sequential();
  model.add(t.layers.dense({ inputShape: [4], units: 3 }));
  model.add(batchNormalization({}));
  const json = JSON.stringify(model.toJSON(null, false));
  assert.match(json, /"class_name":"BatchNormalization"/);
  const back = await t.models.modelFromJSON(JSON.parse(json));
  const bn = back.layers[1]!;
  // Our class overrides call() (tfjs's own would train at 26 images/s on WASM).
  assert.equal(Object.getPrototypeOf(bn).constructor, Object.getPrototypeOf(model.layers[1]!).constructor);
  model.dispose();
  back.dispose();
});
