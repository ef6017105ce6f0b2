// The forward pass of a training step, layer by layer as the model defines it, with two changes
// that compute the same function faster and leave the model (its layers, weights and saved form)
// untouched:
//   - batch norm followed by a ReLU activation layer runs as one fused kernel each way
//     (./batch-norm.ts, ./kernels/batch-norm.ts);
//   - a convolution + bias + ReLU (the seed CNN's) runs as one kernel of ours on WASM, and its
//     gradient skips d(input) where unneeded (./kernels/conv-bias-relu.ts);
//   - a linear convolution without bias (the default model's) runs as tf.conv2d, not through
//     tfjs-layers' fused.conv2d, whose custom gradient computes the input gradient eagerly: with
//     tf.conv2d the engine skips it where nothing needs it (the first layer's d(input)).
// Frozen (non-trainable) layers run in inference mode, so frozen batch-norm statistics and
// dropout-free features stay exactly as they were.
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { tf } from './backend';
import { isFusableBatchNorm } from './batch-norm';
import { CONV_BIAS_RELU } from './kernels/conv-bias-relu';
import { WINOGRAD_CONV, winogradFits } from './winograd/train-conv';

type Layer = LayersModel['layers'][number];

interface ConvFields {
  kernel: { read(): Tensor };
  bias: { read(): Tensor } | null;
  useBias: boolean;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
  rank: number;
  activation: { getClassName(): string };
}

/**
 * A 2-D convolution, channels last, no dilation, either plain (no bias, linear) or with bias and
 * ReLU, or null for anything else.
 */
function simpleConv(layer: Layer, kind: 'plain' | 'bias+relu'): ConvFields | null {
  if (layer.getClassName() !== 'Conv2D') return null;
  const c = layer as unknown as ConvFields;
  const ok =
    c.rank === 2 &&
    (kind === 'plain' ? !c.useBias && c.activation?.getClassName() === 'linear' : c.useBias && !!c.bias && c.activation?.getClassName() === 'relu') &&
    c.dataFormat === 'channelsLast' &&
    (c.padding === 'same' || c.padding === 'valid') &&
    c.dilationRate.every((d) => d === 1);
  return ok ? c : null;
}

function isRelu(layer: Layer | undefined): boolean {
  return layer?.getClassName() === 'Activation' && (layer.getConfig() as { activation?: string }).activation === 'relu';
}

/**
 * The model's output for a training step on `x` (call inside a gradient function).
 * DIGIT_STUDIO_TRAIN_FUSION=0 applies the layers one by one instead (to measure the difference).
 */
export function trainingForward(model: LayersModel, x: Tensor): Tensor {
  const t = tf();
  const layers = model.layers;
  const fuse = process.env.DIGIT_STUDIO_TRAIN_FUSION !== '0';
  const convBiasRelu = !!t.getKernel(CONV_BIAS_RELU, t.getBackend());
  const winograd = !!t.getKernel(WINOGRAD_CONV, t.getBackend());
  let h = x;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i]!;
    const kwargs = { training: layer.trainable };
    if (!fuse) {
      h = layer.apply(h, kwargs) as Tensor;
      continue;
    }
    if (layer.trainable && isFusableBatchNorm(layer) && isRelu(layers[i + 1])) {
      const y = layer.trainWithRelu(h, kwargs, true);
      if (y) {
        h = y;
        i++; // the ReLU layer is done
        continue;
      }
    }
    const conv = simpleConv(layer, 'plain');
    if (conv && winograd && conv.padding === 'same' && conv.strides.every((s) => s === 1) && h.rank === 4 && winogradFits(h.shape, conv.kernel.read().shape)) {
      h = t.engine().runKernel(WINOGRAD_CONV, { x: h, filter: conv.kernel.read() }, {}) as Tensor;
      continue;
    }
    if (conv) {
      h = t.conv2d(h as never, conv.kernel.read() as never, conv.strides as [number, number], conv.padding as 'same' | 'valid');
      continue;
    }
    const withBias = convBiasRelu ? simpleConv(layer, 'bias+relu') : null;
    if (withBias && h.rank === 4) {
      h = t.engine().runKernel(CONV_BIAS_RELU, { x: h, filter: withBias.kernel.read(), bias: withBias.bias!.read() }, {
        strides: withBias.strides,
        pad: withBias.padding,
      } as never) as Tensor;
      continue;
    }
    h = layer.apply(h, kwargs) as Tensor;
  }
  return h;
}
