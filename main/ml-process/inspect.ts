// "Under the hood" (issue 15): what a model is made of and what it does with one picture. The
// anatomy (layers, shapes, parameter counts, first-layer filters) needs no input; the inspection of
// a 28×28 input adds each convolution block's feature maps and a saliency map. Runs inside the ML
// process on the model predict() already keeps loaded, so it costs one forward pass plus one
// batched forward/backward pass: cheap enough to follow the pad each time a stroke ends.
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import type { FeatureMaps, InputInspection, LayerInfo, LayerKind, ModelAnatomy } from '../../preload/contract';
import { IMAGE_PIXELS } from '../data/dataset';
import { tf } from './backend';
import { foldedForward } from './inference';

/** Interpolation steps of the integrated gradients (one batch; more steps, a closer sum). */
export const SALIENCY_STEPS = 8;

interface LayerView {
  name: string;
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  countParams(): number;
  outputShape: unknown;
  getWeights(): Tensor[];
  apply(x: Tensor, kwargs?: Record<string, unknown>): Tensor | Tensor[];
}

function kindOf(layer: LayerView): LayerKind {
  const c = layer.getClassName();
  if (c === 'Conv2D' || c === 'DepthwiseConv2D' || c === 'SeparableConv2D') return 'conv';
  if (c === 'MaxPooling2D' || c === 'AveragePooling2D' || c === 'GlobalAveragePooling2D' || c === 'GlobalMaxPooling2D') return 'pool';
  if (c === 'BatchNormalization') return 'batchnorm';
  if (c === 'Dropout' || c === 'SpatialDropout2D') return 'dropout';
  if (c === 'Flatten') return 'flatten';
  if (c === 'Dense') return layer.getConfig().activation === 'softmax' ? 'softmax' : 'dense';
  if (c === 'Activation') return layer.getConfig().activation === 'softmax' ? 'softmax' : 'activation';
  return 'other';
}

function shapeOf(layer: LayerView): number[] {
  const s = layer.outputShape;
  const one = Array.isArray(s) && Array.isArray(s[0]) ? (s[0] as unknown[]) : (s as unknown[]);
  return Array.isArray(one) ? one.slice(1).map((v) => Number(v)) : [];
}

function layersOf(model: LayersModel): LayerView[] {
  // An InputLayer (models loaded from a file may list one) has nothing to show.
  return (model.layers as unknown as LayerView[]).filter((l) => l.getClassName() !== 'InputLayer');
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The model's layers and its first convolution's filters, each filter scaled to 0..255 on its own. */
export function describeModel(model: LayersModel): Omit<ModelAnatomy, 'modelId'> {
  const layers = layersOf(model);
  const infos: LayerInfo[] = layers.map((l) => {
    const activation = l.getConfig().activation;
    return {
      name: l.name,
      className: l.getClassName(),
      kind: kindOf(l),
      outputShape: shapeOf(l),
      params: l.countParams(),
      ...(typeof activation === 'string' && activation !== 'linear' ? { activation } : {}),
    };
  });
  let filters: ModelAnatomy['filters'] = null;
  const first = layers.find((l) => l.getClassName() === 'Conv2D');
  if (first) {
    const kernel = first.getWeights()[0]!; // [kh, kw, inChannels, count]
    const [kh, kw, cin, count] = kernel.shape as [number, number, number, number];
    const w = kernel.dataSync();
    const px = new Uint8Array(count * kh * kw);
    for (let f = 0; f < count; f++) {
      // Summed over input channels (one for grey digits); symmetric around 0 so grey = no weight.
      const vals = new Float32Array(kh * kw);
      let big = 1e-12;
      for (let i = 0; i < kh * kw; i++) {
        let s = 0;
        for (let c = 0; c < cin; c++) s += w[(i * cin + c) * count + f]!;
        vals[i] = s;
        big = Math.max(big, Math.abs(s));
      }
      for (let i = 0; i < kh * kw; i++) px[f * kh * kw + i] = Math.round(127.5 + (127.5 * vals[i]!) / big);
    }
    filters = { layer: first.name, width: kw, height: kh, count, pixels: toBase64(px) };
  }
  return { layers: infos, totalParams: infos.reduce((n, l) => n + l.params, 0), filters };
}

/**
 * Runs the layers one by one on `x` (inference mode), keeping each convolution block's output: the
 * convolution with the batch norm and activation right after it, i.e. what the next layer sees.
 */
function forwardWithMaps(layers: LayerView[], x: Tensor): { out: Tensor; maps: { layer: string; t: Tensor }[] } {
  const maps: { layer: string; t: Tensor }[] = [];
  let open: { layer: string } | null = null;
  let h = x;
  for (const layer of layers) {
    const kind = kindOf(layer);
    if (open && kind !== 'batchnorm' && kind !== 'activation') {
      maps.push({ layer: open.layer, t: h });
      open = null;
    }
    h = layer.apply(h, { training: false }) as Tensor;
    if (kind === 'conv') open = { layer: layer.name };
  }
  if (open) maps.push({ layer: open.layer, t: h });
  return { out: h, maps };
}

/** A feature map tensor [1, h, w, c] as c maps of h×w bytes, scaled by the layer's largest value. */
function packMaps(layer: string, t: Tensor): FeatureMaps {
  const [, height, width, channels] = t.shape as [number, number, number, number];
  const v = t.dataSync();
  let big = 1e-12;
  for (let i = 0; i < v.length; i++) big = Math.max(big, Math.abs(v[i]!));
  const px = new Uint8Array(channels * height * width);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++) {
        // Channel-major out (one map after another), NHWC in. Negative values (no ReLU) show as 0.
        px[c * height * width + y * width + x] = Math.round((255 * Math.max(0, v[(y * width + x) * channels + c]!)) / big);
      }
  return { layer, width, height, channels, pixels: toBase64(px) };
}

/**
 * Feature maps and a saliency map for one 28×28 input (0..255, 255 = ink). The saliency is the
 * integrated gradients (black picture → this one) of the margin log p(digit) − log p(runner-up),
 * which equals the difference of their logits whatever the softmax's normaliser: per pixel, how
 * much its ink pushed the reading toward the digit (positive) or toward the runner-up (negative).
 * The attributions add up to the margin's change from a black picture (`saliencyTotal` vs
 * `marginGain`), a check that they account for the whole reading.
 */
export function inspectInput(model: LayersModel, input: Uint8Array): Omit<InputInspection, 'modelId' | 'input' | 'seen'> {
  const t = tf();
  const layers = layersOf(model);
  const x = Float32Array.from(input, (v) => v / 255);
  let probabilities: number[] = [];
  let activations: FeatureMaps[] = [];
  // tidy() returns tensors only: the plain results leave through the closure.
  t.tidy(() => {
    const { out, maps } = forwardWithMaps(layers, t.tensor4d(x, [1, 28, 28, 1]));
    probabilities = Array.from(out.dataSync());
    activations = maps.filter((m) => m.t.shape.length === 4).map((m) => packMaps(m.layer, m.t));
  });
  let digit = 0;
  for (let d = 1; d < probabilities.length; d++) if (probabilities[d]! > probabilities[digit]!) digit = d;
  let runnerUp = digit === 0 ? 1 : 0;
  for (let d = 0; d < probabilities.length; d++) if (d !== digit && probabilities[d]! > probabilities[runnerUp]!) runnerUp = d;

  const steps = SALIENCY_STEPS;
  // The gradients go through the folded forward pass (batch norm folded into the convolutions,
  // inference.ts): the same function, about three times faster to differentiate on WASM.
  const folded = foldedForward(model);
  let saliency: number[] = [];
  let margins: number[] = [];
  try {
    t.tidy(() => {
      // Midpoints of `steps` equal slices of the path from black to the input, in one batch.
      const alphas = t.tensor1d(Array.from({ length: steps }, (_, k) => (k + 0.5) / steps)).reshape([steps, 1, 1, 1]);
      const batch = t.mul(alphas, t.tensor4d(x, [1, 28, 28, 1])) as Tensor4D;
      const pick = t.oneHot(t.tensor1d([digit, runnerUp], 'int32'), probabilities.length).transpose() as Tensor; // [10, 2]
      const marginOf = (b: Tensor): Tensor => {
        const p = folded.run(b as Tensor4D);
        const logp = t.log(t.maximum(p, 1e-30));
        const two = t.matMul(logp, pick); // [n, 2]: log p(digit), log p(runner-up)
        return t.sub(two.slice([0, 0], [-1, 1]), two.slice([0, 1], [-1, 1])).sum();
      };
      const grads = t.grad(marginOf)(batch);
      const avg = grads.mean(0).reshape([IMAGE_PIXELS]);
      const attr = t.mul(avg, t.tensor1d(x));
      // Margins at the input and at a black picture, for the completeness check.
      const ends = t.concat([t.zeros([1, 28, 28, 1]), t.tensor4d(x, [1, 28, 28, 1])]);
      const p = folded.run(ends as Tensor4D);
      const logp = t.log(t.maximum(p, 1e-30));
      const two = t.matMul(logp, pick);
      const m = t.sub(two.slice([0, 0], [-1, 1]), two.slice([0, 1], [-1, 1]));
      saliency = Array.from(attr.dataSync());
      margins = Array.from(m.dataSync());
    });
  } finally {
    folded.dispose();
  }
  return {
    digit,
    runnerUp,
    probabilities,
    activations,
    saliency,
    saliencyTotal: saliency.reduce((s, v) => s + v, 0),
    marginGain: margins[1]! - margins[0]!,
  };
}
