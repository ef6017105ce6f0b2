// Our WASM kernels against tfjs's reference cpu backend, on random shapes: strides 1 and 2,
// 'same' and 'valid' padding, several channel counts, to 1e-4 (relative to the values' scale).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tf from '@tensorflow/tfjs';
import { loadTf } from '../../../main/ml-process/backend';
import { seededRandom } from '../../../main/data/dataset-ops';

const rng = seededRandom;

function randomArray(n: number, r: () => number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() * 2 - 1;
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

// These kernels are the WASM backend's: test them on it even where native TensorFlow is installed
// (this file runs in a process of its own, and loads TensorFlow once).
process.env.DIGIT_STUDIO_BACKEND = 'wasm';

test('custom WASM kernels match the cpu backend on random shapes', async () => {
  const { tf: t, info } = await loadTf();
  const tf = t;
  assert.equal(info.kind, 'wasm', 'these kernels are for the WASM backend');
  const r = rng(7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  let cases = 0;
  const seen = { ci: new Set<number>(), co: new Set<number>(), f: new Set<number>() };
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      for (let k = 0; k < 4; k++) {
        const B = pick([1, 3, 8]);
        const H = pick([5, 8, 13]);
        const W = pick([6, 9, 12]);
        const ci = pick([1, 3, 8, 32]);
        const co = pick([1, 4, 16, 64]);
        const f = pick([1, 2, 3, 5]);
        // Filters (≤ 5) never exceed the inputs (≥ 5 × 6), so 'valid' always has an output.
        seen.ci.add(ci);
        seen.co.add(co);
        seen.f.add(f);
        const xv = randomArray(B * H * W * ci, r);
        const wv = randomArray(f * f * ci * co, r);
        const run = async (backend: string) => {
          await tf.setBackend(backend);
          return tf.tidy(() => {
            const x = tf.tensor4d(xv, [B, H, W, ci]);
            const w = tf.tensor4d(wv, [f, f, ci, co]);
            const y = tf.conv2d(x, w, stride, pad);
            const dy = tf.tensor4d(randomArray(y.size, rng(cases + 1000)), y.shape as [number, number, number, number]);
            // The gradients of Σ conv(x, w)·dy are exactly Conv2DBackpropInput and ...Filter of dy.
            const [dx, dw] = tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad).mul(dy).sum())([x, w]) as [tf.Tensor, tf.Tensor];
            const pool = pick2(r2(cases));
            const p = tf.maxPool(x, pool, stride, pad);
            const dp = tf.tensor4d(randomArray(p.size, rng(cases + 2000)), p.shape as [number, number, number, number]);
            const gradPool = tf.grad((t) => tf.maxPool(t as tf.Tensor4D, pool, stride, pad).mul(dp).sum())(x);
            const biasGrad = tf.sum(dy, [0, 1, 2]);
            // Forward convolution, including the single-channel path of the first layer.
            const x1 = tf.tensor4d(xv.subarray(0, B * H * W), [B, H, W, 1]);
            const y1 = tf.conv2d(x1, tf.tensor4d(wv.subarray(0, f * f * co), [f, f, 1, co]), stride, pad);
            return [
              dw.dataSync() as Float32Array,
              dx.dataSync() as Float32Array,
              gradPool.dataSync() as Float32Array,
              biasGrad.dataSync() as Float32Array,
              y.dataSync() as Float32Array,
              y1.dataSync() as Float32Array,
            ];
          });
        };
        const ref = await run('cpu');
        const got = await run('wasm');
        const label = `B${B} ${H}×${W}×${ci}→${co} k${f} s${stride} ${pad}`;
        assertClose(got[0]!, ref[0]!, `Conv2DBackpropFilter ${label}`);
        assertClose(got[1]!, ref[1]!, `Conv2DBackpropInput ${label}`);
        assertClose(got[2]!, ref[2]!, `MaxPoolGrad ${label}`);
        assertClose(got[3]!, ref[3]!, `Sum over leading axes ${label}`);
        assertClose(got[4]!, ref[4]!, `Conv2D ${label}`);
        assertClose(got[5]!, ref[5]!, `Conv2D single channel ${label}`);
        cases++;
      }
    }
  }
  assert.equal(cases, 16, 'every stride × padding × 4 case ran');
  // The seeded shapes really vary: several channel counts and filter sizes, not one shape 16 times.
  assert.ok(seen.ci.size >= 3 && seen.co.size >= 3 && seen.f.size >= 3, `shapes covered: ${JSON.stringify({ ci: [...seen.ci], co: [...seen.co], f: [...seen.f] })}`);
  await tf.setBackend('wasm');
});

function r2(seed: number): () => number {
  return rng(seed + 99);
}
function pick2(r: () => number): number {
  return r() < 0.5 ? 2 : 3;
}

test('SIMD kernels (channels a multiple of 4): max-pool gradient with ties and odd sizes, sums and the im2col filter gradient match the cpu backend', async () => {
  const { tf } = await loadTf();
  const r = rng(21);
  // [B, H, W, C]: even sizes (every input in a window), odd ones (a last row/column no window covers).
  for (const shape of [
    [2, 28, 28, 32],
    [3, 13, 11, 8],
    [1, 7, 7, 128],
    [5, 2, 3, 4],
  ] as [number, number, number, number][]) {
    const size = shape.reduce((a, b) => a * b, 1);
    // Values on a coarse grid, so windows often hold ties: the first maximum must win, as on cpu.
    const xv = randomArray(size, r).map((v) => Math.round(v * 3) / 3);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(xv, shape);
        const p = tf.maxPool(x, 2, 2, 'valid');
        const dp = tf.tensor4d(randomArray(p.size, rng(size)), p.shape as [number, number, number, number]);
        const g = tf.grad((t) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').mul(dp).sum())(x);
        // The filter gradient of a 3×3 'same' convolution to 8 channels (im2col or convolution formulation).
        const w = tf.tensor4d(randomArray(9 * shape[3] * 8, rng(size + 1)), [3, 3, shape[3], 8]);
        const dyc = tf.tensor4d(randomArray(shape[0] * shape[1] * shape[2] * 8, rng(size + 2)), [shape[0], shape[1], shape[2], 8]);
        const dw = tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, 1, 'same').mul(dyc).sum())(w);
        return [
          g.dataSync() as Float32Array,
          tf.sum(x, [0, 1, 2]).dataSync() as Float32Array,
          tf.sum(x.reshape([-1, shape[3]]), 0).dataSync() as Float32Array,
          dw.dataSync() as Float32Array,
        ];
      });
    };
    const ref = await run('cpu');
    const got = await run('wasm');
    process.env.DIGIT_STUDIO_SIMD = '0';
    const js = await run('wasm');
    delete process.env.DIGIT_STUDIO_SIMD;
    process.env.DIGIT_STUDIO_FILTER_GRAD = 'conv';
    const conv = await run('wasm');
    delete process.env.DIGIT_STUDIO_FILTER_GRAD;
    const label = `[${shape.join('×')}]`;
    ['MaxPoolGrad', 'Sum NHWC', 'Sum [N, C]', 'Conv2DBackpropFilter'].forEach((name, i) => {
      assertClose(got[i]!, ref[i]!, `SIMD ${name} ${label}`);
      assertClose(js[i]!, ref[i]!, `JavaScript ${name} ${label}`);
      assertClose(conv[i]!, ref[i]!, `convolution formulation ${name} ${label}`);
    });
  }
  await tf.setBackend('wasm');
});

test('BatchMatMul with a transposed operand (the dense layers’ gradients, our kernel) matches the cpu backend', async () => {
  const { tf } = await loadTf();
  const r = rng(31);
  for (const [m, k, n] of [[64, 1152, 128], [7, 5, 3], [1, 16, 10], [33, 128, 10]] as const) {
    for (const [ta, tb] of [[true, false], [false, true], [true, true], [false, false]] as const) {
      const av = randomArray(m * k, r);
      const bv = randomArray(k * n, r);
      const run = async (backend: string) => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const a = tf.tensor2d(av, ta ? [k, m] : [m, k]);
          const b = tf.tensor2d(bv, tb ? [n, k] : [k, n]);
          return tf.matMul(a, b, ta, tb).dataSync() as Float32Array;
        });
      };
      const expected = await run('cpu');
      const actual = await run('wasm');
      assertClose(actual, expected, `matMul ${m}×${k}×${n} transposeA=${ta} transposeB=${tb}`);
    }
  }
  // A batched product still goes to the stock kernel and stays right.
  const av = randomArray(3 * 4 * 5, r);
  const bv = randomArray(3 * 6 * 5, r);
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => tf.matMul(tf.tensor3d(av, [3, 4, 5]), tf.tensor3d(bv, [3, 6, 5]), false, true).dataSync() as Float32Array);
  };
  assertClose(await run('wasm'), await run('cpu'), 'batched matMul, transposeB');
  await tf.setBackend('wasm');
});

test('Winograd training convolution (forward, input and filter gradients) matches the cpu backend, even and odd sizes', async () => {
  const { tf } = await loadTf();
  const { WINOGRAD_CONV } = await import('../../../main/ml-process/winograd/train-conv');
  const r = rng(53);
  // The default CNN's two Winograd layers, odd sizes (7: a cut last tile), one image, wide channels.
  for (const [B, H, W, ci, co] of [[5, 14, 14, 32, 64], [3, 7, 7, 64, 128], [1, 5, 9, 4, 8], [2, 2, 3, 8, 4]] as const) {
    const xv = randomArray(B * H * W * ci, r);
    const wv = randomArray(9 * ci * co, r);
    const dyv = randomArray(B * H * W * co, r);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(xv, [B, H, W, ci]);
        const w = tf.tensor4d(wv, [3, 3, ci, co]);
        const dy = tf.tensor4d(dyv, [B, H, W, co]);
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          (backend === 'wasm' ? tf.engine().runKernel(WINOGRAD_CONV, { x: a, filter: b }, {}) : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')) as tf.Tensor;
        const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a, b), dy)))([x, w]);
        const y = f(x, w);
        return [y, grads[0]!, grads[1]!, value].map((t) => t.dataSync() as Float32Array);
      });
    };
    const expected = await run('cpu');
    const actual = await run('wasm');
    ['output', 'input gradient', 'filter gradient'].forEach((what, i) => assertClose(actual[i]!, expected[i]!, `winograd ${B}×${H}×${W}×${ci}→${co} ${what}`));
  }
  // The input gradient of 'valid' 3×3 convolutions (the seed CNN's conv2; odd and even outputs) is Winograd too.
  for (const [B, H, W, ci, co] of [[3, 13, 13, 32, 64], [2, 6, 9, 4, 8], [1, 4, 4, 8, 4]] as const) {
    const xv = randomArray(B * H * W * ci, r);
    const wv = randomArray(9 * ci * co, r);
    const dyv = randomArray(B * (H - 2) * (W - 2) * co, r);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const w = tf.tensor4d(wv, [3, 3, ci, co]);
        const dy = tf.tensor4d(dyv, [B, H - 2, W - 2, co]);
        return tf.grad((x) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, 1, 'valid'), dy)))(tf.tensor4d(xv, [B, H, W, ci])).dataSync() as Float32Array;
      });
    };
    assertClose(await run('wasm'), await run('cpu'), `winograd 'valid' input gradient ${B}×${H}×${W}×${ci}→${co}`);
  }
  await tf.setBackend('wasm');
});

test('convolution + bias + ReLU (the seed CNN’s layers; 3×3 stride-1 ones as Winograd) matches the cpu backend, with its gradients', async () => {
  const { tf } = await loadTf();
  const { CONV_BIAS_RELU } = await import('../../../main/ml-process/kernels/conv-bias-relu');
  const r = rng(71);
  for (const [B, H, W, ci, co, pad] of [[3, 13, 13, 32, 64, 'valid'], [2, 7, 9, 8, 4, 'same'], [2, 8, 8, 1, 8, 'valid']] as const) {
    const xv = randomArray(B * H * W * ci, r);
    const wv = randomArray(9 * ci * co, r);
    const bv = randomArray(co, r);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor4d(xv, [B, H, W, ci]);
        const w = tf.tensor4d(wv, [3, 3, ci, co]);
        const b = tf.tensor1d(bv);
        const f = (a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) =>
          (backend === 'wasm'
            ? tf.engine().runKernel(CONV_BIAS_RELU, { x: a, filter: k, bias: c }, { strides: [1, 1], pad } as never)
            : tf.relu(tf.add(tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 1, pad), c))) as tf.Tensor;
        const y = f(x, w, b);
        const dy = tf.tensor(randomArray(y.size, rng(5)), y.shape);
        const grads = tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, k, c), dy)))([x, w, b]);
        return [y, ...grads].map((t) => t.dataSync() as Float32Array);
      });
    };
    const expected = await run('cpu');
    const actual = await run('wasm');
    ['output', 'input gradient', 'filter gradient', 'bias gradient'].forEach((what, i) =>
      assertClose(actual[i]!, expected[i]!, `conv+bias+relu ${B}×${H}×${W}×${ci}→${co} ${pad} ${what}`),
    );
  }
  await tf.setBackend('wasm');
});
