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
// With attrs.relu, y = max(0, BN(x)) (the ReLU that follows batch norm in our models, fused: one
// pass less each way), and the gradient masks dy where y is 0.
// Each pass runs in our WebAssembly SIMD kernels (./simd) when the channels are a multiple of 4,
// else in the JavaScript loops below (same results to float rounding).
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, type WasmBackendLike } from './wasm-util';
import { ptr, simdKernels, type SimdKernels } from './simd';

export const BN_TRAIN = 'DigitBatchNormTrain';
export const BN_TRAIN_GRAD = 'DigitBatchNormTrainGrad';

interface Attrs {
  epsilon: number;
  relu?: boolean;
}

/**
 * Heap scratch for the SIMD path: 2·C float64 accumulators (zeroed) then 3·C float32 coefficients.
 * Returned with the tensor to free and the two byte offsets.
 */
function scratch(ops: WasmOps, C: number): { t: TensorInfo; acc: number; coef: number; sums: Float64Array; coefs: Float32Array } {
  const t = ops.alloc([8 * C]);
  const acc = ptr(ops.backend, t);
  if (acc % 8 !== 0) throw new Error('batch norm: misaligned scratch');
  const heap = ops.f32(t).buffer;
  const sums = new Float64Array(heap, acc, 2 * C);
  sums.fill(0);
  return { t, acc, coef: acc + 16 * C, sums, coefs: new Float32Array(heap, acc + 16 * C, 3 * C) };
}

function simdFor(ops: WasmOps, C: number): SimdKernels | null {
  return C % 4 === 0 ? simdKernels(ops.backend) : null;
}

function forward(tf: Tf) {
  return ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo }; attrs: Attrs; backend: unknown }) => {
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const { x, gamma, beta } = inputs;
    const C = x.shape[x.shape.length - 1]!;
    const yT = ops.alloc(x.shape);
    const meanT = ops.alloc([C]);
    const varT = ops.alloc([C]);
    const size = x.shape.reduce((a, b) => a * b, 1);
    const N = size / C;
    const simd = simdFor(ops, C);
    const sc = simd ? scratch(ops, C) : null;
    let sum: Float64Array;
    let sq: Float64Array;
    if (simd && sc) {
      simd.stats(ptr(ops.backend, x), size / 4, C / 4, sc.acc);
      sum = sc.sums.subarray(0, C);
      sq = sc.sums.subarray(C);
    } else {
      sum = new Float64Array(C);
      sq = new Float64Array(C);
      sums(ops.f32(x), C, sum, sq);
    }
    const g = ops.f32(gamma);
    const b = ops.f32(beta);
    const mean = ops.f32(meanT);
    const variance = ops.f32(varT);
    const scale = sc ? sc.coefs.subarray(0, C) : new Float32Array(C);
    const shift = sc ? sc.coefs.subarray(C, 2 * C) : new Float32Array(C);
    for (let c = 0; c < C; c++) {
      const m = sum[c]! / N;
      const v = Math.max(0, sq[c]! / N - m * m);
      mean[c] = m;
      variance[c] = v;
      const s = g[c]! / Math.sqrt(v + attrs.epsilon);
      scale[c] = s;
      shift[c] = b[c]! - m * s;
    }
    if (simd && sc) {
      (attrs.relu ? simd.affine_relu : simd.affine)(ptr(ops.backend, x), ptr(ops.backend, yT), size / 4, C / 4, sc.coef);
      ops.free(sc.t);
    } else {
      // Views are taken again after allocating: a heap growth would detach the earlier ones.
      affine(ops.f32(x), C, scale, shift, ops.f32(yT), !!attrs.relu);
    }
    return [yT, meanT, varT];
  };
}

function backward(tf: Tf) {
  return ({
    inputs,
    attrs,
    backend,
  }: {
    inputs: { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; mean: TensorInfo; variance: TensorInfo; y?: TensorInfo };
    attrs: Attrs;
    backend: unknown;
  }) => {
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const { dy, x, gamma, mean, variance } = inputs;
    const y = attrs.relu ? inputs.y : undefined;
    if (attrs.relu && !y) throw new Error('batch norm + ReLU gradient: the output y is missing');
    const C = x.shape[x.shape.length - 1]!;
    const dxT = ops.alloc(x.shape);
    const dgT = ops.alloc([C]);
    const dbT = ops.alloc([C]);
    const size = x.shape.reduce((a, b) => a * b, 1);
    const N = size / C;
    const simd = simdFor(ops, C);
    const sc = simd ? scratch(ops, C) : null;
    const yPtr = y ? ptr(ops.backend, y) : 0;
    let sdy: Float64Array;
    let sdyx: Float64Array;
    if (simd && sc) {
      (y ? simd.grad_stats_relu : simd.grad_stats)(ptr(ops.backend, dy), ptr(ops.backend, x), yPtr, size / 4, C / 4, sc.acc);
      sdy = sc.sums.subarray(0, C);
      sdyx = sc.sums.subarray(C);
    } else {
      sdy = new Float64Array(C);
      sdyx = new Float64Array(C);
      gradSums(ops.f32(dy), ops.f32(x), y ? ops.f32(y) : null, C, sdy, sdyx);
    }
    const gam = ops.f32(gamma);
    const mu = ops.f32(mean);
    const vr = ops.f32(variance);
    const dg = ops.f32(dgT);
    const db = ops.f32(dbT);
    const a = sc ? sc.coefs.subarray(0, C) : new Float32Array(C);
    const bx = sc ? sc.coefs.subarray(C, 2 * C) : new Float32Array(C);
    const d0 = sc ? sc.coefs.subarray(2 * C) : new Float32Array(C);
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
    if (simd && sc) {
      const b = ops.backend;
      (y ? simd.grad_apply_relu : simd.grad_apply)(ptr(b, dy), ptr(b, x), yPtr, ptr(b, dxT), size / 4, C / 4, sc.coef);
      ops.free(sc.t);
    } else {
      gradAffine(ops.f32(dy), ops.f32(x), y ? ops.f32(y) : null, C, a, bx, d0, ops.f32(dxT));
    }
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

function affine(x: Float32Array, C: number, scale: Float32Array, shift: Float32Array, y: Float32Array, relu: boolean): void {
  for (let p = 0; p < x.length; p += C) for (let c = 0; c < C; c++) y[p + c] = x[p + c]! * scale[c]! + shift[c]!;
  if (relu) for (let i = 0; i < y.length; i++) if (!(y[i]! > 0)) y[i] = 0;
}

/** Per channel Σdy and Σdy·x, in float64 (dy masked where the ReLU output y is 0, when given). */
function gradSums(dy: Float32Array, x: Float32Array, y: Float32Array | null, C: number, sdy: Float64Array, sdyx: Float64Array): void {
  for (let p = 0; p < x.length; p += C) {
    for (let c = 0; c < C; c++) {
      const d = y && !(y[p + c]! > 0) ? 0 : dy[p + c]!;
      sdy[c] += d;
      sdyx[c] += d * x[p + c]!;
    }
  }
}

function gradAffine(dy: Float32Array, x: Float32Array, y: Float32Array | null, C: number, a: Float32Array, b: Float32Array, d: Float32Array, dx: Float32Array): void {
  for (let p = 0; p < x.length; p += C) {
    for (let c = 0; c < C; c++) {
      const g = y && !(y[p + c]! > 0) ? 0 : dy[p + c]!;
      dx[p + c] = a[c]! * g + b[c]! * x[p + c]! + d[c]!;
    }
  }
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
    // y is saved for the fused ReLU's mask (keeping a reference, no copy).
    outputsToSave: [true, true, true],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap | undefined) => {
      const [x, gamma, y, mean, variance] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor];
      const dy = Array.isArray(dys) ? dys[0]! : dys;
      const inputs: Record<string, Tensor> = attrs?.relu ? { dy, x, gamma, mean, variance, y } : { dy, x, gamma, mean, variance };
      const [dx, dgamma, dbeta] = tf.engine().runKernel(BN_TRAIN_GRAD, inputs, attrs ?? {}) as unknown as Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  };
}
