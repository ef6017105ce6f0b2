// The fastest forward pass we have for batch prediction on the WASM backend, for models made of
// blocks "3×3 'same' convolution → batch norm → ReLU → 2×2 max-pool" (the default CNN). Batch norm
// is folded into the convolution (inference.ts), and every block runs as a Winograd F(2×2, 3×3)
// convolution:
//   input transform (kernels.ts, SIMD)  →  16 matrix products on XNNPACK (1×1 convolutions of
//   tiles × C by C × K)  →  output transform fused with bias, ReLU and the max-pool (kernels.ts);
// the first block (one input channel) in a single kernel of its own, and the dense head (batch norm
// folded in) as more products on XNNPACK (tfjs's matMul on WASM is several times slower).
// Per image that is 2.25× fewer multiplications than a direct 3×3 convolution (more, 2.7×, for a
// 7×7 input, whose last row and column the pool drops and so are never computed), and the
// activations between blocks never leave the WASM heap. Results equal the direct convolution's to
// float rounding (tests/main/ml-process/winograd.test.ts). Any other model gets null (use
// foldedForward instead).
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { tf, type Tf } from '../backend';
import { foldable, foldConvBatchNorm, type LayerView } from '../inference';
import { WasmOps, type WasmBackendLike } from '../kernels/wasm-util';
import { firstBlock, inputTransform, outputTransform, padded, tiles, type BlockShape } from './kernels';
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
  /** Whether the dense head runs on XNNPACK too (else its layers run as they are). */
  readonly fastHead: boolean;
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
  return new WinogradForward(t, backend, memory, blocks.blocks, blocks.rest, blocks.head);
}

/** Conv → BN → ReLU → pool blocks from the first layer on (at least two), then the rest. */
function findBlocks(model: LayersModel): { blocks: Block[]; rest: LayerView[]; head: HeadLayer[] | null } | null {
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
  // The first block reads the one-channel input; every block's output channels come in fours (one SIMD vector).
  if (blocks.length < 2 || blocks[0]!.shape.c !== 1 || blocks[0]!.shape.k % 4 || blocks.slice(1).some((b) => b.shape.c % 4 || b.shape.k % 4 || b.shape.h < 2 || b.shape.w < 2)) return null;
  const rest = layers.slice(i);
  return { blocks, rest, head: denseHead(rest) };
}

/** One layer of the head: a dense product (with its batch norm folded in), then its activation. */
interface HeadLayer {
  dense: LayerView;
  bn: LayerView | null;
  activation: 'relu' | 'softmax' | 'linear';
}

/**
 * The usual heads, flatten → dense softmax, or flatten → (dense → batch norm → ReLU)… → dense
 * softmax, with dropouts anywhere, run as products on XNNPACK: tfjs's own matMul on WASM is several
 * times slower. Null for any other head, whose layers then run as they are.
 */
function denseHead(rest: LayerView[]): HeadLayer[] | null {
  if (rest[0]?.getClassName() !== 'Flatten') return null;
  const layers = rest.slice(1).filter((l) => l.getClassName() !== 'Dropout');
  const head: HeadLayer[] = [];
  for (let i = 0; i < layers.length; ) {
    const dense = layers[i]!;
    const cfg = dense.getConfig();
    if (dense.getClassName() !== 'Dense') return null;
    const act = String(cfg.activation ?? 'linear');
    const bn = layers[i + 1]?.getClassName() === 'BatchNormalization' ? layers[i + 1]! : null;
    if (bn) {
      if (act !== 'linear' || !foldable(cfg, bn.getConfig())) return null;
      const next = layers[i + 2];
      const relu = next?.getClassName() === 'Activation' && next.getConfig().activation === 'relu';
      head.push({ dense, bn, activation: relu ? 'relu' : 'linear' });
      i += relu ? 3 : 2;
      continue;
    }
    const next = layers[i + 1];
    if (act === 'linear' && next?.getClassName() === 'Activation' && next.getConfig().activation === 'relu') {
      head.push({ dense, bn: null, activation: 'relu' });
      i += 2;
    } else if (act === 'relu' || act === 'softmax' || act === 'linear') {
      head.push({ dense, bn: null, activation: act });
      i += 1;
    } else {
      return null;
    }
  }
  // Only the last layer may end in softmax, and there must be one.
  if (!head.length || head.slice(0, -1).some((h) => h.activation === 'softmax')) return null;
  return head;
}

class WinogradForward implements FastForward {
  private readonly ops: WasmOps;
  private readonly kernels: Record<string, (...args: number[]) => void>;
  /** The first block's 16 transformed filters (16 × K) and bias. */
  private readonly first: { u: Tensor; bias: Tensor };
  /** Per Winograd block: the 16 transformed filters (1×1×C×K) and the bias. */
  private readonly wino: { shape: BlockShape; u: Tensor[]; bias: Tensor }[] = [];
  /** The dense head: per layer a 1×1×features×units filter, its bias (batch norm folded in) and activation. */
  private readonly head: { filter: Tensor; bias: Float32Array; activation: HeadLayer['activation'] }[] | null = null;

  constructor(
    private readonly t: Tf,
    private readonly backend: HeapBackend,
    memory: WebAssembly.Memory,
    private readonly blocks: Block[],
    private readonly rest: LayerView[],
    head: HeadLayer[] | null,
  ) {
    this.ops = new WasmOps(t, backend);
    const fns: { name: string; writer: FunctionWriter }[] = [];
    const [b0, ...later] = blocks as [Block, ...Block[]];
    const s1 = later[0]!.shape;
    fns.push({ name: 'first', writer: firstBlock(b0.shape, { h: padded(s1).hp, w: padded(s1).wp, pad: 1 }) });
    later.forEach((b, i) => {
      const next = later[i + 1]?.shape;
      const { th, tw } = tiles(b.shape);
      const target = next ? { h: padded(next).hp, w: padded(next).wp, pad: 1 } : { h: th, w: tw, pad: 0 };
      fns.push({ name: `input${i}`, writer: inputTransform(b.shape) }, { name: `output${i}`, writer: outputTransform(b.shape, target) });
    });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(fns)), { env: { memory } });
    this.kernels = instance.exports as unknown as Record<string, (...args: number[]) => void>;
    const [filter, bias] = foldConvBatchNorm(b0.layers[0]!, b0.layers[1]!);
    const u = transformFilter(filter.dataSync() as Float32Array, 1, b0.shape.k);
    filter.dispose();
    const flat = new Float32Array(16 * b0.shape.k);
    u.forEach((m, x) => flat.set(m, x * b0.shape.k));
    this.first = { u: t.tensor2d(flat, [16, b0.shape.k]), bias };
    for (const b of later) {
      const [f, bias] = foldConvBatchNorm(b.layers[0]!, b.layers[1]!);
      const g = f.dataSync() as Float32Array;
      f.dispose();
      this.wino.push({ shape: b.shape, u: transformFilter(g, b.shape.c, b.shape.k).map((m) => t.tensor4d(m, [1, 1, b.shape.c, b.shape.k])), bias });
    }
    if (head) {
      this.head = head.map(({ dense, bn, activation }) => {
        const [kernel, bias] = bn ? foldConvBatchNorm(dense, bn) : (dense.getWeights() as [Tensor, Tensor | undefined]);
        const [features, units] = kernel.shape as [number, number];
        const filter = t.reshape(kernel, [1, 1, features, units]);
        const b = bias ? (bias.dataSync() as Float32Array).slice() : new Float32Array(units);
        if (bn) {
          kernel.dispose();
          bias?.dispose();
        }
        return { filter, bias: b, activation };
      });
    }
  }

  get fastHead(): boolean {
    return this.head !== null;
  }

  private at(info: TensorInfo | Tensor): number {
    return this.backend.getMemoryOffset(info.dataId);
  }

  run(x: Float32Array, n: number): Float32Array {
    // The kernels' loops run at least once: no images must not reach them.
    if (n <= 0) return new Float32Array(0);
    const t = this.t;
    const ops = this.ops;
    const [b0] = this.blocks as [Block];
    // The images, zero-padded, straight onto the heap; the first block writes block 2's padded input.
    const { h, w } = b0.shape;
    const { hp, wp } = padded(b0.shape);
    const images = ops.zeros([n, hp, wp, 1]);
    const heap = ops.f32(images);
    for (let i = 0; i < n; i++) {
      for (let y = 0; y < h; y++) heap.set(x.subarray((i * h + y) * w, (i * h + y + 1) * w), (i * hp + y + 1) * wp + 1);
    }
    const s1 = this.wino[0]!.shape;
    let current = ops.zeros([n, padded(s1).hp, padded(s1).wp, s1.c]);
    this.kernels.first!(this.at(images), n, this.at(current), this.at(this.first.u), this.at(this.first.bias));
    ops.free(images);
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
    if (this.head) return this.runHead(current, n);
    const features = ops.f32(current).slice();
    const shape = current.shape;
    ops.free(current);
    return t.tidy(() => {
      let h: Tensor = t.tensor(features, shape);
      for (const layer of this.rest) h = layer.apply(h, { training: false }) as Tensor;
      return h.dataSync() as Float32Array;
    });
  }

  /**
   * The dense layers on XNNPACK (the features as n × 1 × 1 × F), each product's bias and ReLU added
   * in place on the heap, the last one's softmax here.
   */
  private runHead(features: TensorInfo, n: number): Float32Array {
    let x: TensorInfo = { ...features, shape: [n, 1, 1, features.shape.slice(1).reduce((a, b) => a * b, 1)] };
    for (const layer of this.head!) {
      const y = this.ops.run('Conv2D', { x, filter: layer.filter }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined as never });
      this.ops.free(x);
      const out = this.ops.f32(y);
      const units = layer.bias.length;
      for (let i = 0; i < n; i++) {
        const row = out.subarray(i * units, (i + 1) * units);
        for (let u = 0; u < units; u++) row[u] = row[u]! + layer.bias[u]!;
        if (layer.activation === 'relu') for (let u = 0; u < units; u++) row[u] = Math.max(0, row[u]!);
        if (layer.activation !== 'softmax') continue;
        let max = -Infinity;
        for (let u = 0; u < units; u++) max = Math.max(max, row[u]!);
        let sum = 0;
        for (let u = 0; u < units; u++) sum += row[u] = Math.exp(row[u]! - max);
        for (let u = 0; u < units; u++) row[u] = row[u]! / sum;
      }
      x = y;
    }
    const probs = this.ops.f32(x).slice();
    this.ops.free(x);
    return probs;
  }

  dispose(): void {
    this.head?.forEach((h) => h.filter.dispose());
    this.first.u.dispose();
    this.first.bias.dispose();
    for (const b of this.wino) {
      b.u.forEach((u) => u.dispose());
      b.bias.dispose();
    }
  }
}

/** The 16 matrices C × K of G g Gᵀ, from a 3×3×C×K filter (HWIO). Computed in doubles. */
function transformFilter(g: Float32Array, c: number, k: number): Float32Array[] {
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
  return u;
}
