// The two architectures, built with tf.layers so they save in the standard TensorFlow.js layers
// format. 'seed' is the original notebook's CNN; 'default' is the stronger one chosen by
// measurement (see scripts/bench/train.ts and the report in docs).
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelArch } from '../../preload/contract';
import { tf } from './backend';

export const ARCH_DESCRIPTIONS: Record<ModelArch, string> = {
  seed: 'conv32 3×3 relu → maxpool → conv64 3×3 relu → maxpool → dropout 0.5 → flatten → dense 10 softmax',
  default:
    'conv32 3×3 ×2 + batch norm → maxpool → conv64 3×3 ×2 + batch norm → maxpool → dense 128 + batch norm → dropout 0.4 → dense 10 softmax',
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

function buildDefault(): LayersModel {
  const t = tf();
  const model = t.sequential({ name: 'digit_default' });
  const convBlock = (name: string, filters: number, first = false) => {
    model.add(
      t.layers.conv2d({
        ...(first ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        name,
      }),
    );
    model.add(t.layers.batchNormalization({ name: `${name}_bn` }));
    model.add(t.layers.activation({ activation: 'relu', name: `${name}_relu` }));
  };
  convBlock('conv1', 32, true);
  convBlock('conv2', 32);
  model.add(t.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }));
  convBlock('conv3', 64);
  convBlock('conv4', 64);
  model.add(t.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }));
  model.add(t.layers.flatten({ name: 'flatten' }));
  model.add(t.layers.dense({ units: 128, useBias: false, name: 'dense1' }));
  model.add(t.layers.batchNormalization({ name: 'dense1_bn' }));
  model.add(t.layers.activation({ activation: 'relu', name: 'dense1_relu' }));
  model.add(t.layers.dropout({ rate: 0.4, name: 'dropout' }));
  model.add(t.layers.dense({ units: 10, activation: 'softmax', name: 'output' }));
  return model;
}

/** Whether a layer holds convolution (feature) weights, for fine-tuning with frozen features. */
export function isFeatureLayer(className: string): boolean {
  return className === 'Conv2D' || className === 'BatchNormalization';
}
