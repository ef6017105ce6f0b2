// Registers our kernels on the WASM backend. Call before tf.setBackend('wasm'). Each replaces a
// kernel the stock backend lacks (Conv2DBackpropFilter) or runs slowly, or (batch norm in training)
// is a fused kernel of our own; each is checked against
// tfjs's cpu backend in tests/main/ml-process/kernels.test.ts. (An im2col forward Conv2D for the
// one-channel first layer was tried and measured slower than XNNPACK's: not registered.)
import type { Tf } from '../backend';
import { batchMatMulConfig } from './batch-mat-mul';
import { batchNormTrainConfigs, batchNormTrainGradient } from './batch-norm';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { convBiasReluConfigs, convBiasReluGradient } from './conv-bias-relu';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { maxPoolGradConfig } from './max-pool-grad';
import { sumConfig } from './sum';
import { winogradConvConfig, winogradConvGradient } from './winograd-conv';

let registered = false;

export function registerWasmKernels(tf: Tf): void {
  if (registered) return;
  registered = true;
  const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const stockSum = tf.getKernel('Sum', 'wasm');
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  for (const config of [
    conv2dBackpropFilterConfig(tf),
    conv2dBackpropInputConfig(tf, stockBackpropInput?.kernelFunc),
    maxPoolGradConfig(tf),
    sumConfig(tf, stockSum?.kernelFunc),
    batchMatMulConfig(tf, stockMatMul?.kernelFunc),
    ...batchNormTrainConfigs(tf),
    ...convBiasReluConfigs(tf),
    winogradConvConfig(tf),
  ]) {
    const stock = tf.getKernel(config.kernelName, 'wasm');
    if (stock) tf.unregisterKernel(config.kernelName, 'wasm');
    // Keep the stock kernel's setup (its cwrap binding) so ours can fall back on it.
    tf.registerKernel(stock?.setupFunc ? { ...config, setupFunc: stock.setupFunc } : config);
  }
  // Our own kernel name, so this gradient touches no other backend (see ../batch-norm.ts).
  tf.registerGradient(batchNormTrainGradient(tf));
  tf.registerGradient(convBiasReluGradient(tf));
  tf.registerGradient(winogradConvGradient(tf));
}
