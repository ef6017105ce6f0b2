// Evaluation runs the fastest forward pass that fits (Winograd or folded): its loss, accuracy and probabilities are the model's own
// predict()'s, on the default CNN with batch norm as after training (and on the seed CNN, nothing to
// fold), it sees weights changed between two passes, and it leaves no tensor behind, canceled or not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor } from '@tensorflow/tfjs';
import { loadTf, tf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { EvaluationCanceled, predictDataset, predictDatasetInSteps } from '../../../main/ml-process/predict-dataset';
import { digits } from '../../helpers/ml-fixtures';

test('predictDataset reads as predict() does, with the weights as they are now, and frees its tensors', async () => {
  await loadTf();
  const t = tf();
  const ds = await digits(30);
  const x = t.tensor4d(Float32Array.from(ds.pixels, (v) => v / 255), [ds.count, 28, 28, 1]);
  for (const arch of ['default', 'seed'] as const) {
    const model = buildModel(arch);
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const scramble = () => {
      for (const layer of model.layers) {
        if (layer.getClassName() !== 'BatchNormalization') continue;
        layer.setWeights(layer.getWeights().map((w, k) => t.tensor(Float32Array.from({ length: w.size }, () => (k === 3 ? 0.2 + 2 * rnd() : k === 0 ? 0.5 + rnd() : rnd() - 0.5)), w.shape)));
      }
      const dense = model.layers[model.layers.length - 1]!;
      dense.setWeights(dense.getWeights().map((w) => t.randomNormal(w.shape, 0, 0.3, 'float32', Math.floor(rnd() * 1e6))));
    };
    for (let round = 0; round < 2; round++) {
      scramble();
      const tensors = t.memory().numTensors;
      const out = predictDataset(model, ds);
      assert.equal(t.memory().numTensors, tensors, `${arch}: no tensor left behind`);
      const plain = (model.predict(x) as Tensor).dataSync();
      let worst = 0;
      let right = 0;
      for (let k = 0; k < ds.count; k++) {
        let best = 0;
        for (let c = 0; c < 10; c++) {
          worst = Math.max(worst, Math.abs(plain[k * 10 + c]! - out.probabilities[k * 10 + c]!));
          if (plain[k * 10 + c]! > plain[k * 10 + best]!) best = c;
        }
        if (best === ds.labels[k]) right++;
      }
      assert.ok(worst < 1e-4, `${arch}, round ${round}: largest difference ${worst}`);
      assert.equal(out.accuracy, right / ds.count, `${arch}, round ${round}: the accuracy is predict()'s`);
    }
    const tensors = t.memory().numTensors;
    await assert.rejects(predictDatasetInSteps(model, ds, { shouldStop: () => true }), EvaluationCanceled);
    assert.equal(t.memory().numTensors, tensors, `${arch}: a canceled pass frees its folded weights`);
    model.dispose();
  }
  x.dispose();
});
