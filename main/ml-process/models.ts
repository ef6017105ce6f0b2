// The two architectures, built with tf.layers so they save in the standard TensorFlow.js layers
// format. 'seed' is the original notebook's CNN; 'default' is the stronger one chosen by
// measurement (see scripts/bench/train.ts and the report in docs).
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelArch } from '../../preload/contract';
import { tf } from './backend';

export const ARCH_DESCRIPTIONS: Record<ModelArch, string> = {
  seed: 'conv32 3×3 relu → maxpool → conv64 3×3 relu → maxpool → dropout 0.5 → flatten → dense 10 softmax',
  default:
    'conv32 3×3 same relu → maxpool → conv64 3×3 same relu → maxpool → conv128 3×3 relu → flatten → dropout 0.4 → dense 10 softmax',
};

export function buildModel(arch: ModelArch): LayersModel {
  return arch === 'seed' ? buildSeed() : buildDefault();
}

function buildSeed(): LayersModel {
  const t = tf();
  const model = t.sequential({ name: 'digit_seed' });
  model.add(t.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', name: 'conv1' }));
  model.add(t.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }));
  model.add(t.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv2' }));
  model.add(t.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }));
  model.add(t.layers.dropout({ rate: 0.5, name: 'dropout' }));
  model.add(t.layers.flatten({ name: 'flatten' }));
  model.add(t.layers.dense({ units: 10, activation: 'softmax', name: 'output' }));
  return model;
}

// Chosen by measurement on this class of machine (2 cores, WASM): batch normalisation was tried
// first, but tfjs computes its gradient from broadcasting element-wise ops (Tile alone took 0.7 s
// per 128 batch: 26 images/s), so the default gets its strength from width, a third convolution,
// 'same' padding, dropout and augmentation instead, at ~2.3× the seed CNN's arithmetic.
function buildDefault(): LayersModel {
  const t = tf();
  const model = t.sequential({ name: 'digit_default' });
  model.add(
    t.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' }),
  );
  model.add(t.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }));
  model.add(t.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv2' }));
  model.add(t.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }));
  model.add(t.layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu', name: 'conv3' }));
  model.add(t.layers.flatten({ name: 'flatten' }));
  model.add(t.layers.dropout({ rate: 0.4, name: 'dropout' }));
  model.add(t.layers.dense({ units: 10, activation: 'softmax', name: 'output' }));
  return model;
}

/** Whether a layer holds convolution (feature) weights, for fine-tuning with frozen features. */
export function isFeatureLayer(className: string): boolean {
  return className === 'Conv2D' || className === 'BatchNormalization';
}
