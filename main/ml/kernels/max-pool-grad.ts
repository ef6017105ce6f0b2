// MaxPoolGrad for the WASM backend, in plain JavaScript over the WASM heap: for each output
// position find the window's first maximum (as tfjs's cpu backend does) and route the gradient
// there. Memory-bound and simple, it beats the stock kernel several times on our shapes.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, type WasmBackendLike } from './wasm-util';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGradConfig(tf: Tf): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { dy: TensorInfo; input: TensorInfo }; attrs: Attrs; backend: unknown }) => {
    const { dy, input } = inputs;
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
    const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    const dx = ops.zeros(input.shape);
    const x = ops.f32(input);
    const g = ops.f32(dy);
    const out = ops.f32(dx);
    for (let b = 0; b < B; b++) {
      for (let oy = 0; oy < OH; oy++) {
        const y0 = oy * sh - top;
        const yStart = Math.max(0, y0);
        const yEnd = Math.min(H, y0 + fh);
        for (let ox = 0; ox < OW; ox++) {
          const x0 = ox * sw - left;
          const xStart = Math.max(0, x0);
          const xEnd = Math.min(W, x0 + fw);
          const gBase = ((b * OH + oy) * OW + ox) * C;
          for (let c = 0; c < C; c++) {
            let best = -Infinity;
            let at = -1;
            for (let y = yStart; y < yEnd; y++) {
              let p = ((b * H + y) * W + xStart) * C + c;
              for (let xx = xStart; xx < xEnd; xx++, p += C) {
                const v = x[p]!;
                if (v > best) {
                  best = v;
                  at = p;
                }
              }
            }
            if (at >= 0) out[at] += g[gBase + c]!;
          }
        }
      }
    }
    return dx;
  };
  return { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
