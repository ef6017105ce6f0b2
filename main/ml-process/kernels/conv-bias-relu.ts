// Convolution + bias + ReLU in training (the seed CNN's layers) as one kernel of our own on WASM.
// tfjs-layers runs them unfused while recording gradients (Conv2D, then Add and Relu, and back:
// Step, Multiply, a Sum for the bias). Here:
//   forward  the stock FusedConv2D kernel with bias and ReLU (XNNPACK applies both as it writes),
//            or for a 3×3 stride-1 layer with channels in fours Winograd, then bias + ReLU;
//   backward one SIMD pass gives dz = dy·[y > 0] and the bias gradient Σdz, then the convolution
//            gradients from dz as lazy closures, so the engine skips d(input) where nothing needs
//            it (the first layer).
// Only registered for 'wasm'; ../train-forward.ts uses it when the kernel exists and the layer fits.
import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, type WasmBackendLike } from './wasm-util';
import { ptr, simdKernels } from './simd';
import { winogradConv, winogradFits } from '../winograd/train-conv';

export const CONV_BIAS_RELU = 'DigitConv2DBiasRelu';
export const RELU_BIAS_GRAD = 'DigitReluBiasGrad';

interface Attrs {
  strides: [number, number];
  pad: 'same' | 'valid';
}

function forward(tf: Tf) {
  return ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; filter: TensorInfo; bias: TensorInfo }; attrs: Attrs; backend: unknown }) => {
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const { x, filter, bias } = inputs;
    const stride1 = [attrs.strides].flat().every((s) => s === 1);
    const simd = simdKernels(ops.backend);
    if (simd && stride1 && filter.shape[0] === 3 && filter.shape[1] === 3 && winogradFits(x.shape, filter.shape)) {
      // A 3×3 stride-1 layer with channels in fours (the seed CNN's conv2): Winograd
      // (../winograd/train-conv.ts), then bias and ReLU in one SIMD pass, in place.
      const p = attrs.pad === 'same' ? 1 : 0;
      const y = winogradConv(ops, x, filter, false, { top: p, left: p, bottom: p, right: p });
      const K = filter.shape[3]!;
      const coef = ops.alloc([2 * K]);
      const c = ops.f32(coef);
      c.fill(1, 0, K);
      c.set(ops.f32(bias), K);
      simd.affine_relu(ptr(ops.backend, y), ptr(ops.backend, y), y.shape.reduce((a, b) => a * b, 1) / 4, K / 4, ptr(ops.backend, coef));
      ops.free(coef);
      return y;
    }
    return ops.run('FusedConv2D', inputs as never, {
      strides: attrs.strides,
      pad: attrs.pad,
      dataFormat: 'NHWC',
      dilations: [1, 1],
      dimRoundingMode: undefined as never,
      activation: 'relu',
      leakyreluAlpha: 0,
    } as never);
  };
}

/** [dz, dbias] from dy and the ReLU's output y (channels innermost). */
function reluBiasGrad(tf: Tf) {
  return ({ inputs, backend }: { inputs: { dy: TensorInfo; y: TensorInfo }; backend: unknown }) => {
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const { dy, y } = inputs;
    const C = y.shape[y.shape.length - 1]!;
    const size = y.shape.reduce((a, b) => a * b, 1);
    const dz = ops.alloc(y.shape);
    const db = ops.alloc([C]);
    const simd = C % 4 === 0 ? simdKernels(ops.backend) : null;
    if (simd) {
      const acc = ops.alloc([2 * C]);
      const at = ptr(ops.backend, acc);
      const sums = new Float64Array(ops.f32(acc).buffer, at, C);
      sums.fill(0);
      simd.relu_grad_sums(ptr(ops.backend, dy), ptr(ops.backend, y), ptr(ops.backend, dz), size / 4, C / 4, at);
      ops.f32(db).set(sums);
      ops.free(acc);
      return [dz, db];
    }
    const g = ops.f32(dy);
    const out = ops.f32(y);
    const d = ops.f32(dz);
    const sums = new Float64Array(C);
    for (let p = 0; p < size; p += C) {
      for (let c = 0; c < C; c++) {
        const v = out[p + c]! > 0 ? g[p + c]! : 0;
        d[p + c] = v;
        sums[c] += v;
      }
    }
    ops.f32(db).set(sums);
    return [dz, db];
  };
}

export function convBiasReluConfigs(tf: Tf): KernelConfig[] {
  return [
    { kernelName: CONV_BIAS_RELU, backendName: 'wasm', kernelFunc: forward(tf) as unknown as KernelFunc },
    { kernelName: RELU_BIAS_GRAD, backendName: 'wasm', kernelFunc: reluBiasGrad(tf) as unknown as KernelFunc },
  ];
}

export function convBiasReluGradient(tf: Tf): GradConfig {
  return {
    kernelName: CONV_BIAS_RELU,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap | undefined) => {
      const [x, filter, y] = saved as [Tensor, Tensor, Tensor];
      const dy = Array.isArray(dys) ? dys[0]! : dys;
      const { strides, pad } = attrs as unknown as Attrs;
      const [dz, db] = tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }, {}) as unknown as [Tensor, Tensor];
      const conv = { strides, pad, dataFormat: 'NHWC', dimRoundingMode: undefined as never };
      return {
        x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter }, { ...conv, inputShape: x.shape } as never) as Tensor,
        filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dz }, { ...conv, filterShape: filter.shape } as never) as Tensor,
        bias: () => db,
      };
    },
  };
}
