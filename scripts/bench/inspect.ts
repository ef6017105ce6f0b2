// "Under the hood" cost (issue 15): what one look inside the model costs in the ML process, so the
// Predict page can redo it after every stroke. On the default (batch-norm) CNN, for real MNIST digits:
// - inspect_ms_median: inspectInput (forward pass with each convolution's maps, and the saliency's
//   integrated gradients: one batched forward/backward pass of SALIENCY_STEPS pictures);
// - inspect_vs_predict_ratio: that over the plain forward pass of one digit, measured alongside.
// Untrained weights cost the same as trained ones. The machine is shared: timings move with the load.
import type { Tensor } from '@tensorflow/tfjs';
import type { Report } from '../bench';
import { loadTf, tf } from '../../main/ml-process/backend';
import { buildModel } from '../../main/ml-process/models';
import { inspectInput } from '../../main/ml-process/inspect';
import { digits } from '../../tests/helpers/ml-fixtures';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export default async function bench(report: Report): Promise<void> {
  await loadTf();
  const t = tf();
  const ds = await digits(3);
  const model = buildModel('default');
  const inspectTimes: number[] = [];
  const predictTimes: number[] = [];
  for (let i = 0; i < 35; i++) {
    const px = ds.pixels.subarray((i % ds.count) * 784, (i % ds.count + 1) * 784);
    let t0 = performance.now();
    inspectInput(model, px);
    const inspectMs = performance.now() - t0;
    t0 = performance.now();
    const out = t.tidy(() => model.predict(t.tensor4d(Float32Array.from(px, (v) => v / 255), [1, 28, 28, 1])) as Tensor);
    out.dataSync();
    out.dispose();
    const predictMs = performance.now() - t0;
    if (i >= 5) {
      inspectTimes.push(inspectMs);
      predictTimes.push(predictMs);
    }
  }
  model.dispose();
  const ms = median(inspectTimes);
  report('inspect_ms_median', Number(ms.toFixed(1)), 'ms');
  report('inspect_vs_predict_ratio', Number((ms / median(predictTimes)).toFixed(1)), 'ratio');
}
