// The fastest forward pass we have for batch prediction on the WASM backend, for models made of
// blocks "3×3 'same' convolution → batch norm → ReLU → 2×2 max-pool" (the default CNN). Batch norm
// is folded into the convolution (inference.ts); the first block (one input channel) runs on
// XNNPACK as it is; every later block runs as a Winograd F(2×2, 3×3) convolution:
//   input transform (kernels.ts, SIMD)  →  16 matrix products on XNNPACK (1×1 convolutions of
//   tiles × C by C × K)  →  output transform fused with bias, ReLU and the max-pool (kernels.ts).
// Per image that is 2.25× fewer multiplications than a direct 3×3 convolution (more, 2.7×, for a
// 7×7 input, whose last row and column the pool drops and so are never computed), and the
// activations between blocks never leave the WASM heap. Results equal the direct convolution's to
// float rounding (tests/main/ml-process/winograd.test.ts). Any other model gets null (use
// foldedForward instead).
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { tf, type Tf } from '../backend';
import { foldable, foldConvBatchNorm, type LayerView } from '../inference';
import { WasmOps, type WasmBackendLike } from '../kernels/wasm-util';
import { inputTransform, outputTransform, padded, poolIntoPadded, tiles, type BlockShape } from './kernels';
import { moduleBytes, type FunctionWriter } from './wasm-module';

/** G of F(2×2, 3×3): the 3×3 filter g becomes the 4×4 G g Gᵀ. */
const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];

interface Block {
  layers: LayerView[];
  shape: BlockShape;
}

export interface FastForward {
  /** Ten probabilities per image for n images (n × 784 floats, 0–1). */
  run(x: Float32Array, n: number): Float32Array;
  dispose(): void;
}

type HeapBackend = WasmBackendLike & { wasm: { asm: { memory: WebAssembly.Memory } }; getMemoryOffset(dataId: object): number };

/** The Winograd forward pass for this model, or null when the model or the backend doesn't fit. */
export function winogradForward(model: LayersModel): FastForward | null {
  const t = tf();
  if (t.getBackend() !== 'wasm' || process.env.DIGIT_STUDIO_WINOGRAD === '0') return null;
  const blocks = findBlocks(model);
  if (!blocks) return null;
  const backend = t.backend() as unknown as HeapBackend;
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  return new WinogradForward(t, backend, memory, blocks.blocks, blocks.rest);
}

/** Conv → BN → ReLU → pool blocks from the first layer on (at least two), then the rest. */
function findBlocks(model: LayersModel): { blocks: Block[]; rest: LayerView[] } | null {
  const layers = model.layers as unknown as LayerView[];
  const input = model.inputs[0]?.shape;
  if (!input || input.length !== 4) return null;
  let [h, w, c] = [input[1]!, input[2]!, input[3]!];
  const blocks: Block[] = [];
  let i = 0;
  for (; i + 3 < layers.length; i += 4) {
    const [conv, bn, act, pool] = layers.slice(i, i + 4) as [LayerView, LayerView, LayerView, LayerView];
    if (conv.getClassName() !== 'Conv2D' || bn.getClassName() !== 'BatchNormalization') break;
    const cc = conv.getConfig();
    const pc = pool.getConfig();
    const same = (v: unknown, n: number) => JSON.stringify(v) === JSON.stringify([n, n]);
    if (
      !foldable(cc, bn.getConfig()) ||
      !same(cc.kernelSize, 3) ||
      !same(cc.strides, 1) ||
      !same(cc.dilationRate, 1) ||
      cc.padding !== 'same' ||
      act.getClassName() !== 'Activation' ||
      act.getConfig().activation !== 'relu' ||
      pool.getClassName() !== 'MaxPooling2D' ||
      !same(pc.poolSize, 2) ||
      !same(pc.strides, 2) ||
      pc.padding !== 'valid'
    ) {
      break;
    }
    const k = Number(cc.filters);
    blocks.push({ layers: [conv, bn], shape: { h, w, c, k } });
    [h, w, c] = [Math.floor(h / 2), Math.floor(w / 2), k];
  }
  // Every block after the first needs channels in fours (one SIMD vector), and even tiles.
  if (blocks.length < 2 || blocks.slice(1).some((b) => b.shape.c % 4 || b.shape.k % 4 || b.shape.h < 2 || b.shape.w < 2)) return null;
  return { blocks, rest: layers.slice(i) };
}

class WinogradForward implements FastForward {
  private readonly ops: WasmOps;
  private readonly kernels: Record<string, (...args: number[]) => void>;
  private readonly first: { filter: Tensor4D; bias: Tensor };
  /** Per Winograd block: the 16 transformed filters (1×1×C×K) and the bias. */
  private readonly wino: { shape: BlockShape; u: Tensor[]; bias: Tensor }[] = [];

  constructor(
    private readonly t: Tf,
    private readonly backend: HeapBackend,
    memory: WebAssembly.Memory,
    private readonly blocks: Block[],
    private readonly rest: LayerView[],
  ) {
    this.ops = new WasmOps(t, backend);
    const fns: { name: string; writer: FunctionWriter }[] = [];
    const [b0, ...later] = blocks as [Block, ...Block[]];
    fns.push({ name: 'pool0', writer: poolIntoPadded(b0.shape.h, b0.shape.w, later[0]!.shape) });
    later.forEach((b, i) => {
      const next = later[i + 1]?.shape;
      const { th, tw } = tiles(b.shape);
      const target = next ? { h: padded(next).hp, w: padded(next).wp, pad: 1 } : { h: th, w: tw, pad: 0 };
      fns.push({ name: `input${i}`, writer: inputTransform(b.shape) }, { name: `output${i}`, writer: outputTransform(b.shape, target) });
    });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(fns)), { env: { memory } });
    this.kernels = instance.exports as unknown as Record<string, (...args: number[]) => void>;
    const [filter, bias] = foldConvBatchNorm(b0.layers[0]!, b0.layers[1]!);
    this.first = { filter: filter as Tensor4D, bias };
    for (const b of later) {
      const [f, bias] = foldConvBatchNorm(b.layers[0]!, b.layers[1]!);
      const g = f.dataSync() as Float32Array;
      f.dispose();
      this.wino.push({ shape: b.shape, u: transformFilter(t, g, b.shape.c, b.shape.k), bias });
    }
  }

  private at(info: TensorInfo | Tensor): number {
    return this.backend.getMemoryOffset(info.dataId);
  }

  run(x: Float32Array, n: number): Float32Array {
    const t = this.t;
    const ops = this.ops;
    const [b0] = this.blocks as [Block];
    // Block 1 on XNNPACK (one input channel: nothing to gain), its pool straight into block 2's input.
    const input = t.tensor4d(x.subarray(0, n * b0.shape.h * b0.shape.w * b0.shape.c), [n, b0.shape.h, b0.shape.w, b0.shape.c]);
    const a = t.fused.conv2d({ x: input, filter: this.first.filter, strides: 1, pad: 'same', bias: this.first.bias, activation: 'relu' });
    input.dispose();
    const s1 = this.wino[0]!.shape;
    let current = ops.zeros([n, padded(s1).hp, padded(s1).wp, s1.c]);
    this.kernels.pool0!(this.at(a), this.at(current), n);
    a.dispose();
    this.wino.forEach((b, i) => {
      const { th, tw } = tiles(b.shape);
      const rows = n * th * tw;
      const v = b.u.map(() => ops.alloc([rows, 1, 1, b.shape.c]));
      this.kernels[`input${i}`]!(this.at(current), n, ...v.map((info) => this.at(info)));
      ops.free(current);
      const m = v.map((vi, xi) => {
        const out = ops.run('Conv2D', { x: vi, filter: b.u[xi]! }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined as never });
        ops.free(vi);
        return out;
      });
      const next = this.wino[i + 1]?.shape;
      current = next ? ops.zeros([n, padded(next).hp, padded(next).wp, next.c]) : ops.alloc([n, th, tw, b.shape.k]);
      this.kernels[`output${i}`]!(n, this.at(current), this.at(b.bias), ...m.map((info) => this.at(info)));
      ops.free(...m);
    });
    const features = ops.f32(current).slice();
    const shape = current.shape;
    ops.free(current);
    return t.tidy(() => {
      let h: Tensor = t.tensor(features, shape);
      for (const layer of this.rest) h = layer.apply(h, { training: false }) as Tensor;
      return h.dataSync() as Float32Array;
    });
  }

  dispose(): void {
    this.first.filter.dispose();
    this.first.bias.dispose();
    for (const b of this.wino) {
      b.u.forEach((u) => u.dispose());
      b.bias.dispose();
    }
  }
}

/** The 16 matrices C × K of G g Gᵀ, from a 3×3×C×K filter (HWIO). Computed in doubles. */
function transformFilter(t: Tf, g: Float32Array, c: number, k: number): Tensor[] {
  const u = Array.from({ length: 16 }, () => new Float32Array(c * k));
  const ck = c * k;
  for (let e = 0; e < ck; e++) {
    for (let a = 0; a < 4; a++) {
      for (let b = 0; b < 4; b++) {
        let sum = 0;
        for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sum += G[a]![i]! * g[(i * 3 + j) * ck + e]! * G[b]![j]!;
        u[4 * a + b]![e] = sum;
      }
    }
  }
  return u.map((m) => t.tensor4d(m, [1, 1, c, k]));
}
