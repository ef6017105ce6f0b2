// A faster forward pass for batch prediction: each convolution followed by batch normalisation
// (the default CNN) becomes one fused convolution with the normalisation folded into its weights
// and bias, and the ReLU after it fused in too. Inference-time batch norm is an affine map per
// channel (scale = γ/√(var+ε), shift = β − mean·scale), so this is the same function with three
// passes over every activation fewer. Any other layer runs as it is (apply, training off); a model
// with nothing to fold simply runs its layers in order, which is what predict() does.
import type { LayersModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { tf } from './backend';

export interface LayerView {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  getWeights(): Tensor[];
  apply(x: Tensor, kwargs?: Record<string, unknown>): Tensor | Tensor[];
  name: string;
}

type Step = (x: Tensor) => Tensor;

/** Builds the forward pass once (folded weights are computed here); dispose() frees them. */
export function foldedForward(model: LayersModel): { run(x: Tensor4D): Tensor; dispose(): void } {
  const t = tf();
  const layers = model.layers as unknown as LayerView[];
  const owned: Tensor[] = [];
  const steps: Step[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const next = layers[i + 1];
    const cfg = layer.getConfig();
    if (layer.getClassName() === 'Conv2D' && next?.getClassName() === 'BatchNormalization' && foldable(cfg, next.getConfig())) {
      const [filter, bias] = foldConvBatchNorm(layer, next);
      owned.push(filter, bias);
      // A ReLU right after (as its own Activation layer) goes into the same kernel.
      const relu = layers[i + 2]?.getClassName() === 'Activation' && layers[i + 2]!.getConfig().activation === 'relu';
      const strides = cfg.strides as [number, number];
      const dilations = cfg.dilationRate as [number, number];
      const pad = cfg.padding as 'same' | 'valid';
      steps.push((x) => t.fused.conv2d({ x: x as Tensor4D, filter: filter as Tensor4D, strides, pad, dilations, bias, activation: relu ? 'relu' : 'linear' }));
      i += relu ? 2 : 1;
      continue;
    }
    steps.push((x) => layer.apply(x, { training: false }) as Tensor);
  }
  return {
    run: (x) => t.tidy(() => steps.reduce<Tensor>((h, step) => step(h), x)),
    dispose: () => owned.forEach((w) => w.dispose()),
  };
}

/** The filter and bias of a convolution with the batch normalisation after it folded in (the caller disposes them). */
export function foldConvBatchNorm(conv: LayerView, bn: LayerView): [Tensor, Tensor] {
  const t = tf();
  const [kernel, convBias] = conv.getWeights() as [Tensor, Tensor | undefined];
  const [gamma, beta, mean, variance] = bn.getWeights() as [Tensor, Tensor, Tensor, Tensor];
  return t.tidy(() => {
    const scale = t.div(gamma, t.sqrt(t.add(variance, Number(bn.getConfig().epsilon ?? 1e-3))));
    const shift = t.sub(beta, t.mul(convBias ? t.sub(mean, convBias) : mean, scale));
    return [t.mul(kernel, scale), shift];
  });
}

/** Only the plain case is folded: NHWC, no activation inside the conv, batch norm on the channels. */
export function foldable(conv: Record<string, unknown>, bn: Record<string, unknown>): boolean {
  const axis = Number(bn.axis ?? -1);
  return (
    (conv.dataFormat ?? 'channelsLast') === 'channelsLast' &&
    (conv.activation ?? 'linear') === 'linear' &&
    (axis === -1 || axis === 3) &&
    bn.center !== false &&
    bn.scale !== false
  );
}
