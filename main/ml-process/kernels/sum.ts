// Sum over every axis but the last (bias gradients: Σ over batch, rows and columns of an NHWC
// gradient). The stock WASM kernel transposes the reduced axes to the end first; here it is one
// contiguous pass (a matrix product with ones was tried: XNNPACK repacks the gradient each call,
// so it was no faster). Other reductions go to the stock kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, type WasmBackendLike } from './wasm-util';
import { ptr, simdKernels } from './simd';

export function sumConfig(tf: Tf, stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: { inputs: { x: TensorInfo }; attrs: { axis: number | number[]; keepDims: boolean }; backend: unknown }) => {
    const { x } = args.inputs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(args.attrs.axis, x.shape).sort((a, b) => a - b);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') {
      if (!stock) throw new Error('Sum: unsupported reduction on WASM');
      return stock(args as never);
    }
    const ops = new WasmOps(tf, args.backend as WasmBackendLike);
    const C = x.shape[rank - 1]!;
    const outShape = args.attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), C] : [C];
    const out = ops.alloc(outShape);
    const simd = C % 4 === 0 ? simdKernels(ops.backend) : null;
    if (simd) {
      const acc = ops.alloc([2 * C]); // C float64 accumulators
      const at = ptr(ops.backend, acc);
      const sums = new Float64Array(ops.f32(acc).buffer, at, C);
      sums.fill(0);
      simd.sums(ptr(ops.backend, x), ops.f32(x).length / 4, C / 4, at);
      ops.f32(out).set(sums);
      ops.free(acc);
      return out;
    }
    const src = ops.f32(x);
    // Float64 accumulators: a 100k-term float32 sum would drift past the 1e-4 tolerance.
    const acc = new Float64Array(C);
    for (let p = 0; p < src.length; p += C) for (let c = 0; c < C; c++) acc[c] += src[p + c]!;
    ops.f32(out).set(acc);
    return out;
  };
  return { kernelName: 'Sum', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
