// BatchMatMul for the WASM backend, for products with a transposed operand. The stock kernel
// sends only untransposed single products to XNNPACK; with transposeA or transposeB it runs a
// plain scalar triple loop, which is what every dense layer's gradient asks for (dW = xᵀ·dy,
// dx = dy·Wᵀ): for the default model's 1152 → 128 hidden layer that was ~40 ms of a 64-image
// half step, more than a convolution. Transposing the operand first (a copy of at most a few
// hundred kilobytes) sends the product to XNNPACK. Batched products (batch > 1) are left to the
// stock kernel.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, type WasmBackendLike } from './wasm-util';

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

const swapLast = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
const batchOf = (t: TensorInfo) => t.shape.slice(0, -2).reduce((p, d) => p * d, 1);

export function batchMatMulConfig(tf: Tf, stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; attrs: Attrs; backend: unknown }) => {
    const { inputs, attrs, backend } = args;
    if (!stock) throw new Error('the WASM backend has no BatchMatMul kernel');
    const { a, b } = inputs;
    const { transposeA, transposeB } = attrs;
    const simple = a.dtype === 'float32' && b.dtype === 'float32' && batchOf(a) === 1 && batchOf(b) === 1;
    if ((!transposeA && !transposeB) || !simple || process.env.DIGIT_STUDIO_MATMUL === 'stock') return stock(args as never);
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const at = transposeA ? ops.transpose(a, swapLast(a.shape.length)) : a;
    const bt = transposeB ? ops.transpose(b, swapLast(b.shape.length)) : b;
    try {
      return stock({ inputs: { a: at, b: bt }, attrs: { ...attrs, transposeA: false, transposeB: false }, backend } as never) as TensorInfo;
    } finally {
      if (at !== a) ops.free(at);
      if (bt !== b) ops.free(bt);
    }
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
