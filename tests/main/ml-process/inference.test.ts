// The folded forward pass (batch norm folded into the convolutions, ReLU fused) reads exactly as
// the model's own predict(): on the batch-norm default CNN with trained-like (random) statistics,
// and on the seed CNN, which has nothing to fold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { loadTf, tf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { foldedForward } from '../../../main/ml-process/inference';
import { digits } from '../../helpers/ml-fixtures';

test('folded and plain forward passes give the same probabilities', async () => {
  await loadTf();
  const t = tf();
  const ds = await digits(6);
  const x = t.tensor4d(Float32Array.from(ds.pixels, (v) => v / 255), [ds.count, 28, 28, 1]);
  for (const arch of ['default', 'seed'] as const) {
    const model = buildModel(arch);
    // Batch norm as after training: scales, shifts, means and variances far from 1 and 0.
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const layer of model.layers) {
      if (layer.getClassName() !== 'BatchNormalization') continue;
      layer.setWeights(layer.getWeights().map((w, k) => t.tensor(Float32Array.from({ length: w.size }, () => (k === 3 ? 0.2 + 2 * rnd() : k === 0 ? 0.5 + rnd() : rnd() - 0.5)), w.shape)));
    }
    const plain = (model.predict(x) as Tensor).dataSync();
    const forward = foldedForward(model);
    const out = forward.run(x);
    const folded = out.dataSync();
    out.dispose();
    forward.dispose();
    assert.equal(folded.length, ds.count * 10);
    let worst = 0;
    for (let i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(plain[i]! - folded[i]!));
    assert.ok(worst < 1e-4, `${arch}: largest difference ${worst}`);
    model.dispose();
  }
  x.dispose();
});
