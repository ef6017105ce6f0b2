// Our WebAssembly SIMD kernels (built by scripts/build-simd-kernels.mjs, see there), instantiated
// on the WASM backend's own memory so they read and write tensors in place. null when this
// WebAssembly has no SIMD or the backend's memory can't be reached: callers then use their
// JavaScript loops, which give the same results.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from '../wasm-util';
import { SIMD_KERNELS_WASM_BASE64 } from './binary';

/** The exports; pointers are byte offsets in the heap (see the build script for each kernel). */
export interface SimdKernels {
  sums(x: number, n4: number, c4: number, acc: number): void;
  stats(x: number, n4: number, c4: number, acc: number): void;
  affine(x: number, y: number, n4: number, c4: number, coef: number): void;
  affine_relu(x: number, y: number, n4: number, c4: number, coef: number): void;
  grad_stats(dy: number, x: number, y: number, n4: number, c4: number, acc: number): void;
  grad_stats_relu(dy: number, x: number, y: number, n4: number, c4: number, acc: number): void;
  grad_apply(dy: number, x: number, y: number, dx: number, n4: number, c4: number, coef: number): void;
  grad_apply_relu(dy: number, x: number, y: number, dx: number, n4: number, c4: number, coef: number): void;
  relu_grad_sums(dy: number, y: number, dz: number, n4: number, c4: number, acc: number): void;
  pool2x2_grad(x: number, g: number, dx: number, B: number, H: number, W: number, OH: number, OW: number, c4: number): void;
  im2col_t(
    x: number,
    cols: number,
    B: number,
    H: number,
    W: number,
    ci: number,
    kw: number,
    K: number,
    oh: number,
    ow: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    ps: number,
    cs: number,
  ): void;
}

let compiled: WebAssembly.Module | null | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();

function module(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(Buffer.from(SIMD_KERNELS_WASM_BASE64, 'base64'));
  } catch {
    compiled = null; // no SIMD in this engine
  }
  return compiled;
}

/** The kernels on this backend's heap, or null (see above). DIGIT_STUDIO_SIMD=0 turns them off. */
export function simdKernels(backend: WasmBackendLike): SimdKernels | null {
  if (process.env.DIGIT_STUDIO_SIMD === '0') return null;
  const memory = (backend as unknown as { wasm?: { asm?: { memory?: WebAssembly.Memory } } }).wasm?.asm?.memory;
  const mod = module();
  if (!mod || !(memory instanceof WebAssembly.Memory)) return null;
  let k = instances.get(memory);
  if (!k) {
    k = new WebAssembly.Instance(mod, { env: { __linear_memory: memory } }).exports as unknown as SimdKernels;
    instances.set(memory, k);
  }
  return k;
}

/** A tensor's byte offset in the heap (its typed-array view starts there). */
export function ptr(backend: WasmBackendLike, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
