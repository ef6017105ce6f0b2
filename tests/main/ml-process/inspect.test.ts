// Under the hood (issue 15): the anatomy of both architectures (shapes, parameter counts, first-layer
// filters), and on a real MNIST digit read by a briefly trained model: one feature-map grid per
// convolution block with that block's shape, and a saliency whose attributions add up to the
// reading's margin and whose push toward the predicted digit sits on the ink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTf } from '../../../main/ml-process/backend';
import { buildModel } from '../../../main/ml-process/models';
import { describeModel, inspectInput } from '../../../main/ml-process/inspect';
import { trainModel } from '../../../main/ml-process/trainer';
import { splitStratified } from '../../../main/data/dataset-ops';
import { digits } from '../../helpers/ml-fixtures';

test('the anatomy lists every layer with its shape and parameters, and the first layer\'s filters', async () => {
  await loadTf();
  for (const arch of ['seed', 'default'] as const) {
    const model = buildModel(arch);
    const a = describeModel(model);
    assert.equal(a.totalParams, model.countParams(), `${arch}: parameters add up to the model's`);
    assert.deepEqual(a.layers.at(-1)!.outputShape, [10]);
    assert.equal(a.layers.at(-1)!.kind, 'softmax');
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D');
    assert.equal(a.layers.filter((l) => l.kind === 'conv').length, convs.length);
    const first = convs[0]!;
    const [kh, kw, , count] = first.getWeights()[0]!.shape;
    assert.ok(a.filters);
    assert.equal(a.filters.count, count, `${arch}: one image per first-layer filter`);
    assert.equal(a.filters.count, (first.getConfig() as { filters: number }).filters);
    assert.equal(Buffer.from(a.filters.pixels, 'base64').length, count! * kh! * kw!);
    if (arch === 'seed') {
      assert.deepEqual(a.layers[0]!.outputShape, [26, 26, 32]);
      assert.equal(a.layers[0]!.params, 3 * 3 * 32 + 32);
      assert.deepEqual(a.layers.map((l) => l.kind), ['conv', 'pool', 'conv', 'pool', 'dropout', 'flatten', 'softmax']);
    } else {
      assert.ok(a.layers.some((l) => l.kind === 'batchnorm'));
      // Each block's maps are taken after its batch norm and ReLU: 'same' convolutions keep the size.
      const ds = await digits(1);
      const r = inspectInput(model, ds.pixels.subarray(0, 784));
      assert.deepEqual(r.activations.map((m) => [m.layer, m.height, m.width, m.channels]), [
        ['conv1', 28, 28, 32],
        ['conv2', 14, 14, 64],
        ['conv3', 7, 7, 128],
      ]);
      assert.ok(Math.abs(r.saliencyTotal - r.marginGain) < 0.15 * Math.abs(r.marginGain) + 0.05, `sum ${r.saliencyTotal} vs margin gain ${r.marginGain}`);
    }
    model.dispose();
  }
});

test('feature maps per convolution block and a saliency concentrated on the ink of a real digit', async () => {
  await loadTf();
  const { train, val } = splitStratified(await digits(60), 0.15, 2);
  const config = { arch: 'seed' as const, epochs: 3, batchSize: 32, learningRate: 0.003, augment: false, seed: 4, freezeFeatures: false, earlyStopping: false };
  const { model } = await trainModel(train, val, config);
  assert.ok(model);
  const convShapes = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => (l.outputShape as number[]).slice(1));
  let checked = 0;
  let onInk = 0;
  let totalPositive = 0;
  for (let i = 0; i < val.count && checked < 6; i++) {
    const input = val.pixels.subarray(i * 784, (i + 1) * 784);
    const r = inspectInput(model, input);
    if (r.digit !== val.labels[i]) continue;
    checked++;
    assert.equal(r.probabilities.length, 10);
    assert.notEqual(r.runnerUp, r.digit);
    assert.ok(r.probabilities[r.runnerUp]! >= Math.max(...r.probabilities.filter((_, d) => d !== r.digit && d !== r.runnerUp)));
    assert.deepEqual(r.activations.map((m) => [m.height, m.width, m.channels]), convShapes, 'one grid per convolution, its shape');
    for (const m of r.activations) {
      const px = Buffer.from(m.pixels, 'base64');
      assert.equal(px.length, m.width * m.height * m.channels);
      assert.ok(px.some((v) => v > 0), `${m.layer}: something is active`);
    }
    assert.equal(r.saliency.length, 784);
    // Completeness of integrated gradients: the attributions account for the margin's change.
    assert.ok(r.marginGain > 0, 'the picture pushes toward its digit more than a black one');
    assert.ok(Math.abs(r.saliencyTotal - r.marginGain) < 0.1 * Math.abs(r.marginGain) + 0.05, `sum ${r.saliencyTotal} vs margin gain ${r.marginGain}`);
    const positive = r.saliency.map((v) => Math.max(0, v));
    const sumPos = positive.reduce((s, v) => s + v, 0);
    const sumNeg = r.saliency.reduce((s, v) => s + Math.max(0, -v), 0);
    assert.ok(sumPos > sumNeg, 'more push toward the digit than toward the runner-up');
    // The strongest push comes from inked pixels: the 30 largest are on clear ink.
    const top = positive.map((v, p) => [v, p] as const).sort((a, b) => b[0] - a[0]).slice(0, 30);
    onInk += top.filter(([, p]) => input[p]! > 64).length;
    totalPositive += top.length;
  }
  assert.ok(checked >= 3, `the briefly trained model reads some validation digits right (${checked})`);
  assert.ok(onInk / totalPositive > 0.9, `top saliency on ink: ${onInk}/${totalPositive}`);
  model.dispose();
});
