// Small helpers for kernels that run on the WASM backend's heap: calling the backend's own fast
// kernels (XNNPACK convolutions, transposes) from inside ours, viewing tensors as typed arrays
// without copying, and freeing intermediates the engine never sees.
import type { KernelBackend, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';

/** The parts of BackendWasm we use (the class itself is not exported as a type-only import). */
export interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

export class WasmOps {
  constructor(
    private readonly tf: Tf,
    readonly backend: WasmBackendLike,
  ) {}

  /** Runs a kernel registered for 'wasm' (the stock one) directly, outside the engine's tape. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo {
    const kernel = this.tf.getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`the WASM backend has no ${kernelName} kernel`);
    return kernel.kernelFunc({ inputs, attrs, backend: this.backend }) as TensorInfo;
  }

  f32(info: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(info) as Float32Array;
  }

  /** A new float32 tensor on the heap, zero-filled (makeOutput does not clear reused memory). */
  zeros(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.f32(out).fill(0);
    return out;
  }

  alloc(shape: number[]): TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  free(...infos: TensorInfo[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId, true);
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    strides: [number, number],
    dilations: [number, number],
    pad: [[number, number], [number, number], [number, number], [number, number]],
  ): TensorInfo {
    return this.run(
      'Conv2D',
      { x, filter },
      { strides, dilations, pad: pad as unknown as NamedAttrMap[string], dataFormat: 'NHWC', dimRoundingMode: undefined as never },
    );
  }
}

export function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}
