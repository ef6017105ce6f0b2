// The training forward pass's 3×3 'same' bias-free convolution as one kernel of ours on WASM
// (DigitWinogradConv2D: ../winograd/train-conv.ts), with its gradient: the input gradient and the
// filter gradient as the engine's Conv2DBackpropInput (Winograd again, ./conv2d-backprop-input.ts)
// and Conv2DBackpropFilter, each computed only if asked for (the first layer's d(input) isn't).
import type { GradConfig, KernelConfig, KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tf } from '../backend';
import { WINOGRAD_CONV, winogradConv, winogradFits } from '../winograd/train-conv';
import { WasmOps, type WasmBackendLike } from './wasm-util';

const SAME_3X3: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]];

export function winogradConvConfig(tf: Tf): KernelConfig {
  const kernelFunc = ({ inputs, backend }: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: unknown }) => {
    const { x, filter } = inputs;
    const ops = new WasmOps(tf, backend as WasmBackendLike);
    // Shapes that don't fit (or DIGIT_STUDIO_TRAIN_WINOGRAD=0): XNNPACK's direct convolution.
    if (!winogradFits(x.shape, filter.shape)) return ops.conv2d(x, filter, [1, 1], [1, 1], SAME_3X3);
    return winogradConv(ops, x, filter, false);
  };
  return { kernelName: WINOGRAD_CONV, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function winogradConvGradient(tf: Tf): GradConfig {
  return {
    kernelName: WINOGRAD_CONV,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[]) => {
      const [x, filter] = saved as [Tensor, Tensor];
      const dy = Array.isArray(dys) ? dys[0]! : dys;
      const conv = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined as never };
      return {
        x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...conv, inputShape: x.shape } as never) as Tensor,
        filter: () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...conv, filterShape: filter.shape } as never) as Tensor,
      };
    },
  };
}
