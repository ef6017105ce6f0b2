// Conv2DBackpropFilter for the WASM backend, which has none. The filter gradient is itself a
// convolution: treat the input's channels as a batch and its batch as channels, and the output
// gradient (batch and channel axes swapped the same way) as a filter dilated by the stride.
//   dW[kh,kw,ci,co] = Σ_b,oh,ow x[b, oh·s+kh−pad, ow·s+kw−pad, ci] · dy[b,oh,ow,co]
// XNNPACK runs that convolution fast: a 128 batch of a 3×3×32→64 layer takes ~40 ms instead of
// ~770 ms for a direct loop.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WasmOps, pair, type WasmBackendLike } from './wasm-util';
import { ptr, simdKernels } from './simd';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * With few input channels (the first layer: 1 channel, 3×3 → K = 9) the convolution above has a
 * huge filter and a tiny output, which XNNPACK runs poorly. There the columns of the input
 * (K × positions, built here) times the output gradient (positions × co) is one matrix product.
 */
const IM2COL_MAX_K = 32;

/**
 * Which formulation for a layer with K = kh·kw·ci taps and N output positions. With our SIMD
 * im2col (a transpose to channels first, then contiguous row copies), im2col + one matrix product
 * beat the XNNPACK-convolution formulation on every layer of both models, interleaved A/B in CPU
 * time per call for a 64 half batch: default conv2 28.4 → 23.9 ms, conv3 24.5 → 21.0 ms, seed
 * conv2 17.0 → 14.2 ms. Its columns take K·N floats, so very large batches keep the convolution.
 * DIGIT_STUDIO_FILTER_GRAD=im2col|conv forces one (for such measurements).
 */
const IM2COL_MAX_FLOATS = 16 * 1024 * 1024;

function useIm2col(K: number, N: number, ops: WasmOps): boolean {
  const forced = process.env.DIGIT_STUDIO_FILTER_GRAD;
  if (forced === 'conv') return false;
  if (!simdKernels(ops.backend)) return false;
  return forced === 'im2col' || K * N <= IM2COL_MAX_FLOATS;
}

function im2colFilterGrad(
  ops: WasmOps,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  sh: number,
  sw: number,
  top: number,
  left: number,
  oh: number,
  ow: number,
): TensorInfo {
  const [kh, kw, ci, co] = filterShape;
  const [B, H, W] = x.shape as [number, number, number, number];
  const K = kh * kw * ci;
  const N = B * oh * ow;
  const colT = ops.alloc([1, K, N]);
  const simd = simdKernels(ops.backend);
  if (simd && ci > 1) {
    // Channels first, so each row of cols reads a contiguous run of the input.
    const xt = ops.transpose(x, [3, 0, 1, 2]);
    simd.im2col_t(ptr(ops.backend, xt), ptr(ops.backend, colT), B, H, W, ci, kw, K, oh, ow, sh, sw, top, left, 1, B * H * W);
    ops.free(xt);
  } else if (simd) simd.im2col_t(ptr(ops.backend, x), ptr(ops.backend, colT), B, H, W, ci, kw, K, oh, ow, sh, sw, top, left, ci, 1);
  else im2colJs(ops.f32(x), ops.f32(colT), filterShape, B, H, W, sh, sw, top, left, oh, ow);
  const dy3 = ops.run('Reshape', { x: dy }, { shape: [1, N, co] });
  let prod: TensorInfo;
  try {
    prod = ops.run('BatchMatMul', { a: colT, b: dy3 }, { transposeA: false, transposeB: false });
  } finally {
    ops.free(colT);
    ops.backend.disposeData(dy3.dataId);
  }
  const out = ops.run('Reshape', { x: prod }, { shape: [kh, kw, ci, co] });
  ops.backend.disposeData(prod.dataId);
  return out;
}

function im2colJs(
  src: Float32Array,
  cols: Float32Array,
  filterShape: [number, number, number, number],
  B: number,
  H: number,
  W: number,
  sh: number,
  sw: number,
  top: number,
  left: number,
  oh: number,
  ow: number,
): void {
  const [kh, kw, ci] = filterShape;
  const N = B * oh * ow;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let c = 0; c < ci; c++) {
        const row = ((a * kw + b) * ci + c) * N;
        let n = 0;
        for (let bb = 0; bb < B; bb++) {
          for (let y = 0; y < oh; y++) {
            const sy = y * sh + a - top;
            const rowOk = sy >= 0 && sy < H;
            const base = (bb * H + sy) * W;
            for (let xx = 0; xx < ow; xx++, n++) {
              const sx = xx * sw + b - left;
              cols[row + n] = rowOk && sx >= 0 && sx < W ? src[(base + sx) * ci + c]! : 0;
            }
          }
        }
      }
    }
  }
}

export function conv2dBackpropFilterConfig(tf: Tf): KernelConfig {
  const kernelFunc = ({ inputs, attrs, backend }: { inputs: { x: TensorInfo; dy: TensorInfo }; attrs: Attrs; backend: unknown }) => {
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on WASM supports NHWC only');
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const [sh, sw] = pair(strides);
    const [kh, kw, ci, co] = filterShape;
    const [, H, W] = x.shape as number[];
    const { outHeight: oh, outWidth: ow } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Padding after the input so that exactly kh×kw output positions exist; when the forward
    // convolution ignored trailing rows (valid padding, stride 2), padding is 0 and the extra
    // output rows are dropped below.
    const needBottom = kh + (oh - 1) * sh - H! - top;
    const needRight = kw + (ow - 1) * sw - W! - left;
    const bottom = Math.max(0, needBottom);
    const right = Math.max(0, needRight);
    if (ci * kh * kw <= IM2COL_MAX_K || useIm2col(ci * kh * kw, x.shape[0]! * oh * ow, ops)) {
      return im2colFilterGrad(ops, x, dy, filterShape, sh, sw, top, left, oh, ow);
    }
    const xt = ops.transpose(x, [3, 1, 2, 0]); // [ci, H, W, B]
    const dyt = ops.transpose(dy, [1, 2, 0, 3]); // [oh, ow, B, co]
    let r: TensorInfo;
    try {
      r = ops.conv2d(xt, dyt, [1, 1], [sh, sw], [[0, 0], [top, bottom], [left, right], [0, 0]]);
    } finally {
      ops.free(xt, dyt);
    }
    // r: [ci, rh, rw, co] with rh ≥ kh; reorder to [kh, kw, ci, co], dropping any extra rows.
    const rh = r.shape[1]!;
    const rw = r.shape[2]!;
    const out = ops.alloc([kh, kw, ci, co]);
    const src = ops.f32(r);
    const dst = ops.f32(out);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        for (let c = 0; c < ci; c++) {
          const s = ((c * rh + a) * rw + b) * co;
          const d = ((a * kw + b) * ci + c) * co;
          for (let o = 0; o < co; o++) dst[d + o] = src[s + o]!;
        }
      }
    }
    ops.free(r);
    return out;
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
