// Turns a layers model (main/export/model-reader.ts) into a plan: the list of inference steps with
// their weights, explicit paddings and shapes, in TensorFlow.js's own NHWC terms. Both the ONNX
// exporter and the web page's forward pass work from this one plan, so "which layers can leave the
// app, and what exactly they compute" is decided here once. A layer or option it doesn't know is
// refused with a UserError: a model is never exported wrong.
import path from 'node:path';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { MODEL_JSON } from '../models/model-metadata';
import type { LayerSpec, ModelFiles, WeightTensor } from './model-reader';

export type Activation = 'linear' | 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'elu';
const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu'];

/** Per-sample shape: [height, width, channels] or [features]. */
export type Shape = number[];

export type PlanStep = { name: string; out: Shape } & (
  | {
      op: 'conv2d';
      /** [kh, kw, cin, cout] (TF.js's HWIO order). */
      kernel: WeightTensor;
      bias: Float32Array | null;
      strides: [number, number];
      dilations: [number, number];
      /** [top, left, bottom, right], as TF.js computes them for 'same'. */
      pads: [number, number, number, number];
      activation: Activation;
    }
  | { op: 'pool'; kind: 'max' | 'avg'; size: [number, number]; strides: [number, number]; pads: [number, number, number, number] }
  | { op: 'globalPool'; kind: 'max' | 'avg' }
  | { op: 'flatten' }
  /** kernel [in, out]. */
  | { op: 'dense'; kernel: WeightTensor; bias: Float32Array | null; activation: Activation }
  /** Inference batch norm over the last axis: y = (x − mean) / √(variance + ε) · gamma + beta. */
  | { op: 'batchNorm'; gamma: Float32Array; beta: Float32Array; mean: Float32Array; variance: Float32Array; epsilon: number }
  | { op: 'activation'; activation: Activation }
);

export interface Plan {
  /** [28, 28, 1] for our digit models. */
  input: Shape;
  steps: PlanStep[];
  output: Shape;
}

/** Layers that do nothing at inference. */
const IDENTITY_AT_INFERENCE = new Set(['Dropout', 'SpatialDropout2D', 'GaussianDropout', 'GaussianNoise', 'AlphaDropout']);

export function planModel(files: Pick<ModelFiles, 'dir' | 'layers' | 'weights'>): Plan {
  const file = path.join(files.dir, MODEL_JSON);
  const refuse = (layer: LayerSpec | null, why: string) =>
    new UserError(layer ? msg('export.plan.refusedLayer', { file, name: layer.name, kind: layer.className, why }) : msg('export.plan.refused', { file, why }), file);
  const layers = files.layers;
  if (!layers.length) throw refuse(null, msg('export.plan.noLayers'));
  let shape: Shape | null = null;
  const first = layers[0]!;
  const declared = (first.config.batch_input_shape ?? first.config.batchInputShape ?? first.config.batch_shape) as unknown;
  if (Array.isArray(declared)) shape = declared.slice(1).map((d) => Number(d));
  if (!shape || shape.some((d) => !Number.isInteger(d) || d < 1)) throw refuse(null, msg('export.plan.noInputShape'));
  const input = shape.slice();
  const used = new Set<string>();

  const weight = (layer: LayerSpec, suffix: string, expect: number[] | null): WeightTensor => {
    const key = [...files.weights.keys()].find((k) => k === `${layer.name}/${suffix}` || k.endsWith(`/${layer.name}/${suffix}`));
    const w = key ? files.weights.get(key) : undefined;
    if (!w || !key) throw refuse(layer, msg('export.plan.noWeights', { weight: suffix }));
    if (expect && (w.shape.length !== expect.length || w.shape.some((d, i) => d !== expect[i]))) {
      throw refuse(layer, msg('export.plan.weightShape', { weight: suffix, shape: `[${w.shape}]`, expected: `[${expect}]` }));
    }
    used.add(key);
    return w;
  };
  const activationOf = (layer: LayerSpec, value: unknown): Activation => {
    const a = value === undefined || value === null ? 'linear' : String(value);
    if (!(ACTIVATIONS as readonly string[]).includes(a)) throw refuse(layer, msg('export.plan.activation', { activation: a.slice(0, 40) }));
    return a as Activation;
  };
  const channelsLast = (layer: LayerSpec) => {
    const f = layer.config.data_format;
    if (f !== undefined && f !== null && f !== 'channels_last') throw refuse(layer, msg('export.plan.dataFormat', { format: String(f) }));
  };
  const pair = (layer: LayerSpec, v: unknown, what: string, fallback: [number, number]): [number, number] => {
    if (v === undefined || v === null) return fallback;
    const a = Array.isArray(v) ? v : [v, v];
    if (a.length !== 2 || !a.every((x) => Number.isInteger(x) && (x as number) >= 1 && (x as number) <= 64)) throw refuse(layer, msg('export.plan.invalid', { what }));
    return [a[0] as number, a[1] as number];
  };
  const spatial = (layer: LayerSpec): [number, number, number] => {
    if (shape!.length !== 3) throw refuse(layer, msg('export.plan.not3d', { shape: `[${shape}]` }));
    return shape as [number, number, number];
  };
  /** Output size and TF.js's padding for one axis. */
  const axis = (layer: LayerSpec, size: number, k: number, s: number, d: number, padding: string): { out: number; before: number; after: number } => {
    const eff = (k - 1) * d + 1;
    if (padding === 'valid') {
      const out = Math.floor((size - eff) / s) + 1;
      if (out < 1) throw refuse(layer, msg('export.plan.shrinks'));
      return { out, before: 0, after: 0 };
    }
    if (padding === 'same') {
      const out = Math.ceil(size / s);
      const total = Math.max((out - 1) * s + eff - size, 0);
      return { out, before: Math.floor(total / 2), after: total - Math.floor(total / 2) };
    }
    throw refuse(layer, msg('export.plan.padding', { padding: padding.slice(0, 20) }));
  };

  const steps: PlanStep[] = [];
  layers.forEach((layer, index) => {
    const c = layer.config;
    const cls = layer.className;
    if (cls === 'InputLayer' || IDENTITY_AT_INFERENCE.has(cls)) return;
    if (cls === 'Conv2D') {
      channelsLast(layer);
      const [h, w, cin] = spatial(layer);
      const [kh, kw] = pair(layer, c.kernel_size, 'kernel size', [1, 1]);
      const strides = pair(layer, c.strides, 'stride', [1, 1]);
      const dilations = pair(layer, c.dilation_rate, 'dilation', [1, 1]);
      if ((strides[0] > 1 || strides[1] > 1) && (dilations[0] > 1 || dilations[1] > 1)) throw refuse(layer, msg('export.plan.stridesAndDilation'));
      if (c.groups !== undefined && c.groups !== 1) throw refuse(layer, msg('export.plan.grouped'));
      const filters = Number(c.filters);
      const padding = String(c.padding ?? 'valid');
      const y = axis(layer, h, kh, strides[0], dilations[0], padding);
      const x = axis(layer, w, kw, strides[1], dilations[1], padding);
      const kernel = weight(layer, 'kernel', [kh, kw, cin, filters]);
      const bias = c.use_bias === false ? null : weight(layer, 'bias', [filters]).data;
      shape = [y.out, x.out, filters];
      steps.push({ op: 'conv2d', name: layer.name, out: shape.slice(), kernel, bias, strides, dilations, pads: [y.before, x.before, y.after, x.after], activation: activationOf(layer, c.activation) });
    } else if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
      channelsLast(layer);
      const [h, w, ch] = spatial(layer);
      const size = pair(layer, c.pool_size, 'pool size', [2, 2]);
      const strides = pair(layer, c.strides, 'stride', size);
      const padding = String(c.padding ?? 'valid');
      const y = axis(layer, h, size[0], strides[0], 1, padding);
      const x = axis(layer, w, size[1], strides[1], 1, padding);
      shape = [y.out, x.out, ch];
      steps.push({ op: 'pool', name: layer.name, out: shape.slice(), kind: cls === 'MaxPooling2D' ? 'max' : 'avg', size, strides, pads: [y.before, x.before, y.after, x.after] });
    } else if (cls === 'GlobalAveragePooling2D' || cls === 'GlobalMaxPooling2D') {
      channelsLast(layer);
      if (c.keepdims === true) throw refuse(layer, msg('export.plan.keepdims'));
      const [, , ch] = spatial(layer);
      shape = [ch];
      steps.push({ op: 'globalPool', name: layer.name, out: shape.slice(), kind: cls === 'GlobalMaxPooling2D' ? 'max' : 'avg' });
    } else if (cls === 'Flatten') {
      channelsLast(layer);
      shape = [shape!.reduce((a, b) => a * b, 1)];
      steps.push({ op: 'flatten', name: layer.name, out: shape.slice() });
    } else if (cls === 'Dense') {
      if (shape!.length !== 1) throw refuse(layer, msg('export.plan.flattenFirst', { rank: shape!.length }));
      const units = Number(c.units);
      const kernel = weight(layer, 'kernel', [shape![0]!, units]);
      const bias = c.use_bias === false ? null : weight(layer, 'bias', [units]).data;
      shape = [units];
      steps.push({ op: 'dense', name: layer.name, out: shape.slice(), kernel, bias, activation: activationOf(layer, c.activation) });
    } else if (cls === 'Activation') {
      steps.push({ op: 'activation', name: layer.name, out: shape!.slice(), activation: activationOf(layer, c.activation) });
    } else if (cls === 'ReLU') {
      const max = c.max_value;
      const slope = Number(c.negative_slope ?? 0);
      const threshold = Number(c.threshold ?? 0);
      if (slope !== 0 || threshold !== 0) throw refuse(layer, msg('export.plan.reluSlope'));
      if (max !== undefined && max !== null && max !== 6) throw refuse(layer, msg('export.plan.reluCap', { max: String(max) }));
      steps.push({ op: 'activation', name: layer.name, out: shape!.slice(), activation: max === 6 ? 'relu6' : 'relu' });
    } else if (cls === 'Softmax') {
      const ax = c.axis;
      if (ax !== undefined && ax !== null && ax !== -1 && ax !== shape!.length) throw refuse(layer, msg('export.plan.softmaxAxis', { axis: String(ax) }));
      steps.push({ op: 'activation', name: layer.name, out: shape!.slice(), activation: 'softmax' });
    } else if (cls === 'BatchNormalization') {
      const ax = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
      if (ax.length !== 1 || !(ax[0] === -1 || ax[0] === shape!.length)) throw refuse(layer, msg('export.plan.bnAxis', { axis: JSON.stringify(c.axis) }));
      const ch = shape![shape!.length - 1]!;
      const ones = new Float32Array(ch).fill(1);
      const gamma = c.scale === false ? ones : weight(layer, 'gamma', [ch]).data;
      const beta = c.center === false ? new Float32Array(ch) : weight(layer, 'beta', [ch]).data;
      const mean = weight(layer, 'moving_mean', [ch]).data;
      const variance = weight(layer, 'moving_variance', [ch]).data;
      const epsilon = Number(c.epsilon ?? 1e-3);
      if (!(epsilon >= 0)) throw refuse(layer, msg('export.plan.epsilon'));
      steps.push({ op: 'batchNorm', name: layer.name, out: shape!.slice(), gamma, beta, mean, variance, epsilon });
    } else {
      throw refuse(layer, msg('export.plan.unknownLayer', { index: index + 1, count: layers.length }));
    }
  });
  const unused = [...files.weights.keys()].filter((k) => !used.has(k));
  if (unused.length) throw refuse(null, msg('export.plan.unusedWeights', { names: unused.slice(0, 3).join(', ') }));
  return { input, steps, output: shape!.slice() };
}

/** Our digit models take 28×28×1 and give 10 probabilities; the exports promise exactly that. */
export function checkDigitPlan(plan: Plan, dir: string, named = path.join(dir, MODEL_JSON)): void {
  const [h, w, c] = plan.input;
  const ok = plan.input.length === 3 && h === 28 && w === 28 && c === 1 && plan.output.length === 1 && plan.output[0] === 10;
  if (!ok) {
    throw new UserError(msg('model.notClassifier', { file: named, input: `[${plan.input}]`, output: `[${plan.output}]` }), named);
  }
}
