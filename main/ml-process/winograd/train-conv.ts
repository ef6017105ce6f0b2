// Winograd F(2×2, 3×3) for training on the WASM backend: a 3×3 'same' stride-1 convolution of
// NHWC x (C channels) into K channels, as the prediction path's (forward.ts) input transform
// (SIMD, generated per shape), 16 matrix products on XNNPACK, and an output transform that keeps
// all four outputs of each tile (outputPlain: no bias, ReLU or pool, since batch norm follows and
// the backward pass needs them). 2.25× fewer multiplications than the direct convolution.
// Used for the forward pass of bias-free convolutions (train-forward.ts, kernel DigitWinogradConv2D
// with its gradient registered in ../kernels/index.ts) and for the input gradient of any 3×3 'same'
// convolution, stride 1, whatever its padding (the seed CNN's 'valid' ones too), which is a
// convolution of dy with the filter rotated by 180° and its channel axes swapped
// (../kernels/conv2d-backprop-input.ts). (The filter gradient as Winograd, Vᵀ·(A dY Aᵀ)
// per frequency, was tried: 2.25× fewer multiplications, but its 16 thin products with a transposed
// operand took more CPU than im2col's one product, 31.9 vs 23.1 ms for the default conv2.) Checked against tfjs's cpu backend
// (tests/main/ml-process/kernels.test.ts). DIGIT_STUDIO_TRAIN_WINOGRAD=0 turns it off (to compare).
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { WasmOps } from '../kernels/wasm-util';
import { ptr } from '../kernels/simd';
import { inputTransform, outputPlain, padded, tiles, type BlockShape } from './kernels';
import { FunctionWriter, moduleBytes } from './wasm-module';

export const WINOGRAD_CONV = 'DigitWinogradConv2D';

/** Whether a convolution of x (NHWC) with a kh×kw×C×K filter fits: 3×3, channels in fours. */
export function winogradFits(xShape: number[], filterShape: number[]): boolean {
  if (process.env.DIGIT_STUDIO_TRAIN_WINOGRAD === '0' || process.env.DIGIT_STUDIO_SIMD === '0' || !simdAvailable()) return false;
  const [, h, w, c] = xShape as [number, number, number, number];
  const [kh, kw, fc, k] = filterShape as [number, number, number, number];
  return kh === 3 && kw === 3 && c === fc && c % 4 === 0 && k % 4 === 0 && h >= 2 && w >= 2;
}

let simd: boolean | undefined;

/** Whether this engine runs WebAssembly SIMD (every generated function has v128 locals). */
function simdAvailable(): boolean {
  simd ??= WebAssembly.validate(moduleBytes([{ name: 'probe', writer: new FunctionWriter(0) }]));
  return simd;
}

interface Kernels {
  input(src: number, n: number, ...v: number[]): void;
  plain(n: number, dst: number, ...m: number[]): void;
}

const compiled = new WeakMap<WebAssembly.Memory, Map<string, Kernels>>();

function kernelsFor(ops: WasmOps, b: BlockShape): Kernels {
  const memory = (ops.backend as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm.memory;
  let byShape = compiled.get(memory);
  if (!byShape) compiled.set(memory, (byShape = new Map()));
  const key = `${b.h},${b.w},${b.c},${b.k}`;
  let k = byShape.get(key);
  if (!k) {
    const mod = new WebAssembly.Module(moduleBytes([
      { name: 'input', writer: inputTransform(b) },
      { name: 'plain', writer: outputPlain(b) },
    ]));
    k = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as Kernels;
    byShape.set(key, k);
  }
  return k;
}

/**
 * The 16 transformed filters G g Gᵀ, each `cin` × `cout`, from a 3×3×C×K filter (HWIO). With
 * `rotate`, of the filter rotated by 180° with its channel axes swapped (3×3×K×C): the input
 * gradient's.
 */
function transformFilter(src: Float32Array, C: number, K: number, rotate: boolean, into: Float32Array[]): void {
  const CK = C * K;
  const g = new Float64Array(9);
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < K; k++) {
      const e = c * K + k;
      for (let t = 0; t < 9; t++) g[rotate ? 8 - t : t] = src[t * CK + e]!;
      const d = rotate ? k * C + c : e;
      // G g (4×3), row by row, then (G g) Gᵀ (4×4).
      for (let a = 0; a < 4; a++) {
        let r0: number, r1: number, r2: number;
        if (a === 0) [r0, r1, r2] = [g[0]!, g[1]!, g[2]!];
        else if (a === 3) [r0, r1, r2] = [g[6]!, g[7]!, g[8]!];
        else {
          const s = a === 1 ? 0.5 : -0.5;
          r0 = 0.5 * (g[0]! + g[6]!) + s * g[3]!;
          r1 = 0.5 * (g[1]! + g[7]!) + s * g[4]!;
          r2 = 0.5 * (g[2]! + g[8]!) + s * g[5]!;
        }
        into[4 * a]![d] = r0;
        into[4 * a + 1]![d] = 0.5 * (r0 + r1 + r2);
        into[4 * a + 2]![d] = 0.5 * (r0 - r1 + r2);
        into[4 * a + 3]![d] = r2;
      }
    }
  }
}

/** Zero rows and columns around the input of a stride-1 3×3 convolution ('same': 1 each). */
export interface Pads {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const SAME: Pads = { top: 1, left: 1, bottom: 1, right: 1 };

/**
 * y = conv(x, filter) (stride 1, `pads` around x; 'same' by default) with filter 3×3×C×K; with
 * `rotate`, the input gradient's convolution: x is dy (K channels) and the result has C. A new
 * tensor on the heap.
 */
export function winogradConv(ops: WasmOps, x: TensorInfo, filter: TensorInfo, rotate: boolean, pads: Pads = SAME): TensorInfo {
  const [n, h, w, xc] = x.shape as [number, number, number, number];
  const [, , C, K] = filter.shape as [number, number, number, number];
  const [cin, cout] = rotate ? [K, C] : [C, K];
  if (xc !== cin) throw new Error(`winograd: ${xc} input channels for a filter taking ${cin}`);
  const oh = h + pads.top + pads.bottom - 2;
  const ow = w + pads.left + pads.right - 2;
  // The generated loops run at least once: no images must not reach them.
  if (n === 0 || oh <= 0 || ow <= 0) return ops.zeros([n, Math.max(0, oh), Math.max(0, ow), cout]);
  // Whole 2×2 output tiles: an odd output size computes one more row or column, cut below.
  const b: BlockShape = { h: 2 * Math.ceil(oh / 2), w: 2 * Math.ceil(ow / 2), c: cin, k: cout };
  const kern = kernelsFor(ops, b);
  const { th, tw } = tiles(b);
  const { hp, wp } = padded(b);
  // The input in zeros: `top` rows and `left` columns before, and enough after for whole tiles
  // (hp = 2·th + 2 ≥ oh + 2 = h + top + bottom).
  const xp = padCopy(ops, x, hp, wp, pads.top, pads.left);
  const rows = n * th * tw;
  const v = Array.from({ length: 16 }, () => ops.alloc([rows, 1, 1, cin]));
  kern.input(ptr(ops.backend, xp), n, ...v.map((t) => ptr(ops.backend, t)));
  ops.free(xp);
  const u = Array.from({ length: 16 }, () => ops.alloc([1, 1, cin, cout]));
  transformFilter(ops.f32(filter), C, K, rotate, u.map((t) => ops.f32(t)));
  const m = v.map((vi, i) => {
    const out = ops.conv2d(vi, u[i]!, [1, 1], [1, 1], [[0, 0], [0, 0], [0, 0], [0, 0]]);
    ops.free(vi, u[i]!);
    return out;
  });
  const full = ops.alloc([n, b.h, b.w, cout]);
  kern.plain(n, ptr(ops.backend, full), ...m.map((t) => ptr(ops.backend, t)));
  ops.free(...m);
  if (b.h === oh && b.w === ow) return full;
  const y = ops.alloc([n, oh, ow, cout]);
  const src = ops.f32(full);
  const dst = ops.f32(y);
  const row = ow * cout;
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < oh; r++) dst.set(src.subarray((i * b.h + r) * b.w * cout, (i * b.h + r) * b.w * cout + row), (i * oh + r) * row);
  }
  ops.free(full);
  return y;
}

/** x (n × h × w × c) copied into zeros of n × hp × wp × c, `top` rows and `left` columns in. */
function padCopy(ops: WasmOps, x: TensorInfo, hp: number, wp: number, top: number, left: number): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const xp = ops.zeros([n, hp, wp, c]);
  const src = ops.f32(x);
  const dst = ops.f32(xp);
  const row = w * c;
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) dst.set(src.subarray((i * h + y) * row, (i * h + y + 1) * row), ((i * hp + y + top) * wp + left) * c);
  }
  return xp;
}
