// Training-mode batch normalisation for the WASM backend as two kernels of our own, instead of
// tfjs's composition (moments from Mean/SquaredDifference, then FusedBatchNorm, whose gradient
// tiles and broadcasts: ~26 images/s for a small BN CNN). Channels are innermost (NHWC or [N, C]),
// so each pass walks the heap contiguously with per-channel Float64 accumulators.
//   forward  DigitBatchNormTrain(x, gamma, beta) → y, mean, variance (biased, as tf.moments)
//            2 passes: Σx and Σx² together, then y = x·scale + shift
//   backward DigitBatchNormTrainGrad(dy, x, gamma, mean, variance) → dx, dgamma, dbeta
//            2 passes: Σdy and Σdy·x together, then dx = a·dy + b·x + d per channel, from
//            dx = γ·σ⁻¹/N · (N·dy − Σdy − x̂·Σdy·x̂)
// The gradient only flows from y: mean and variance are outputs for the moving averages, which
// never reach the loss (see ../batch-norm.ts, the only caller).
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, type WasmBackendLike } from './wasm-util';

export const BN_TRAIN = 'DigitBatchNormTrain';
export const BN_TRAIN_GRAD = 'DigitBatchNormTrainGrad';

interface Attrs {
  epsilon: number;
}

function forward(tf: Tf) {
  return ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; attrs: Attrs; backend: unknown }) => {
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const { x, gamma, beta } = inputs;
    const C = x.shape[x.shape.length - 1]!;
    const yT = ops.alloc(x.shape);
    const meanT = ops.alloc([C]);
    const varT = ops.alloc([C]);
    const xs = ops.f32(x);
    const N = xs.length / C;
    const sum = new Float64Array(C);
    const sq = new Float64Array(C);
    sums(xs, C, sum, sq);
    const g = ops.f32(gamma);
    const b = ops.f32(beta);
    const mean = ops.f32(meanT);
    const variance = ops.f32(varT);
    const scale = new Float32Array(C);
    const shift = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const m = sum[c]! / N;
      const v = Math.max(0, sq[c]! / N - m * m);
      mean[c] = m;
      variance[c] = v;
      const s = g[c]! / Math.sqrt(v + attrs.epsilon);
      scale[c] = s;
      shift[c] = b[c]! - m * s;
    }
    // Views are taken again after allocating: a heap growth would detach the earlier ones.
    affine(ops.f32(x), C, scale, shift, ops.f32(yT));
    return [yT, meanT, varT];
  };
}

function backward(tf: Tf) {
  return ({
    inputs,
    attrs,
    backend,
  }: {
    inputs: { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; mean: TensorInfo; variance: TensorInfo };
    attrs: Attrs;
    backend: unknown;
  }) => {
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const { dy, x, gamma, mean, variance } = inputs;
    const C = x.shape[x.shape.length - 1]!;
    const dxT = ops.alloc(x.shape);
    const dgT = ops.alloc([C]);
    const dbT = ops.alloc([C]);
    const xs = ops.f32(x);
    const gs = ops.f32(dy);
    const N = xs.length / C;
    const sdy = new Float64Array(C);
    const sdyx = new Float64Array(C);
    gradSums(gs, xs, C, sdy, sdyx);
    const gam = ops.f32(gamma);
    const mu = ops.f32(mean);
    const vr = ops.f32(variance);
    const dg = ops.f32(dgT);
    const db = ops.f32(dbT);
    const a = new Float32Array(C);
    const bx = new Float32Array(C);
    const d0 = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const inv = 1 / Math.sqrt(vr[c]! + attrs.epsilon);
      const m = mu[c]!;
      const dbeta = sdy[c]!;
      const dgamma = inv * (sdyx[c]! - m * dbeta); // Σ dy·x̂
      dg[c] = dgamma;
      db[c] = dbeta;
      const k = gam[c]! * inv;
      a[c] = k;
      bx[c] = (-k * inv * dgamma) / N;
      d0[c] = (-k * dbeta) / N + (k * inv * m * dgamma) / N;
    }
    gradAffine(ops.f32(dy), ops.f32(x), C, a, bx, d0, ops.f32(dxT));
    return [dxT, dgT, dbT];
  };
}

// The passes, as small functions of typed arrays only, which V8 optimises once for every call.

/** Per channel Σx and Σx², in float64 (E[x²] − mean² cancels: float32 partial sums failed the 1e-4 check). */
function sums(x: Float32Array, C: number, sum: Float64Array, sq: Float64Array): void {
  for (let p = 0; p < x.length; p += C) {
    for (let c = 0; c < C; c++) {
      const v = x[p + c]!;
      sum[c] += v;
      sq[c] += v * v;
    }
  }
}

function affine(x: Float32Array, C: number, scale: Float32Array, shift: Float32Array, y: Float32Array): void {
  for (let p = 0; p < x.length; p += C) for (let c = 0; c < C; c++) y[p + c] = x[p + c]! * scale[c]! + shift[c]!;
}

/** Per channel Σdy and Σdy·x, in float64. */
function gradSums(dy: Float32Array, x: Float32Array, C: number, sdy: Float64Array, sdyx: Float64Array): void {
  for (let p = 0; p < x.length; p += C) {
    for (let c = 0; c < C; c++) {
      const d = dy[p + c]!;
      sdy[c] += d;
      sdyx[c] += d * x[p + c]!;
    }
  }
}

function gradAffine(dy: Float32Array, x: Float32Array, C: number, a: Float32Array, b: Float32Array, d: Float32Array, dx: Float32Array): void {
  for (let p = 0; p < x.length; p += C) for (let c = 0; c < C; c++) dx[p + c] = a[c]! * dy[p + c]! + b[c]! * x[p + c]! + d[c]!;
}

export function batchNormTrainConfigs(tf: Tf): KernelConfig[] {
  return [
    { kernelName: BN_TRAIN, backendName: 'wasm', kernelFunc: forward(tf) as unknown as KernelFunc },
    { kernelName: BN_TRAIN_GRAD, backendName: 'wasm', kernelFunc: backward(tf) as unknown as KernelFunc },
  ];
}

export function batchNormTrainGradient(tf: Tf): GradConfig {
  return {
    kernelName: BN_TRAIN,
    inputsToSave: ['x', 'gamma'],
    outputsToSave: [false, true, true],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap | undefined) => {
      const [x, gamma, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor];
      const dy = Array.isArray(dys) ? dys[0]! : dys;
      const [dx, dgamma, dbeta] = tf.engine().runKernel(BN_TRAIN_GRAD, { dy, x, gamma, mean, variance }, attrs ?? {}) as unknown as Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  };
}
