// The training loop in-process: it learns, seeded runs are reproducible, frozen features stay
// frozen (and the base model's accuracy is reported), a huge learning rate is caught as NaN/Inf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayersModel } from '@tensorflow/tfjs';
import { loadTf } from '../../../main/ml-process/backend';
import { CANCEL_VALIDATION_SAMPLES, TrainingDiverged, isBetter, trainModel, type TrainConfig } from '../../../main/ml-process/trainer';
import { splitStratified } from '../../../main/data/dataset-ops';
import { isFeatureLayer } from '../../../main/ml-process/models';
import { digits } from '../../helpers/ml-fixtures';

const base: TrainConfig = {
  arch: 'seed',
  epochs: 2,
  batchSize: 32,
  learningRate: 0.002,
  augment: false,
  seed: 5,
  freezeFeatures: false,
  earlyStopping: false,
};

function weightsOf(model: LayersModel, feature: boolean): number[][] {
  const out: number[][] = [];
  for (const layer of model.layers) {
    if (isFeatureLayer(layer.getClassName()) !== feature) continue;
    for (const w of layer.getWeights()) out.push(Array.from(w.dataSync()));
  }
  return out;
}

test('seeded training is reproducible and learns', async () => {
  await loadTf();
  const { train, val } = splitStratified(await digits(30), 0.2, 1);
  const a = await trainModel(train, val, { ...base, augment: true });
  const b = await trainModel(train, val, { ...base, augment: true });
  assert.ok(a.model && b.model);
  assert.deepEqual(
    a.epochs.map((e) => e.loss),
    b.epochs.map((e) => e.loss),
    'same seed, same losses',
  );
  assert.deepEqual(weightsOf(a.model, true), weightsOf(b.model, true), 'same seed, same weights');
  assert.ok(a.epochs[1]!.loss < a.epochs[0]!.loss, 'the loss goes down');
  const bestAcc = Math.max(...a.epochs.map((e) => e.valAccuracy));
  assert.equal(a.metrics!.valAccuracy, bestAcc, 'the kept epoch has the best validation accuracy');
  assert.equal(a.epochs[a.bestEpoch! - 1]!.valAccuracy, bestAcc);
  a.model.dispose();
  b.model.dispose();
});

test('the kept epoch is the best by validation accuracy, ties broken by the lower loss', () => {
  // The base model's run: epoch 6 had the lowest loss, epoch 7 the higher accuracy; 7 is kept.
  assert.equal(isBetter({ loss: 0.1197, accuracy: 0.9955 }, { valLoss: 0.1174, valAccuracy: 0.9947 }), true);
  assert.equal(isBetter({ loss: 0.1174, accuracy: 0.9947 }, { valLoss: 0.1197, valAccuracy: 0.9955 }), false);
  assert.equal(isBetter({ loss: 0.1, accuracy: 0.99 }, { valLoss: 0.2, valAccuracy: 0.99 }), true);
  assert.equal(isBetter({ loss: 0.2, accuracy: 0.99 }, { valLoss: 0.1, valAccuracy: 0.99 }), false);
});

test('fine-tuning with frozen features leaves convolution weights unchanged and reports the baseline', async () => {
  await loadTf();
  const { train, val } = splitStratified(await digits(16), 0.2, 2);
  for (const arch of ['seed', 'default'] as const) {
    const first = await trainModel(train, val, { ...base, arch, epochs: 1 });
    const model = first.model!;
    const convBefore = weightsOf(model, true);
    const denseBefore = weightsOf(model, false);
    const tuned = await trainModel(train, val, { ...base, arch, epochs: 1, learningRate: 0.0005, freezeFeatures: true, seed: 9 }, {}, model);
    assert.equal(tuned.model, model, 'fine-tuning trains the given model');
    assert.deepEqual(weightsOf(model, true), convBefore, `${arch}: frozen convolution (and batch-norm) weights are unchanged`);
    assert.notDeepEqual(weightsOf(model, false), denseBefore, `${arch}: the classifier did train`);
    assert.equal(typeof tuned.metrics?.baselineValAccuracy, 'number');
    assert.ok(Math.abs(tuned.metrics!.baselineValAccuracy! - first.metrics!.valAccuracy) < 1e-9, 'baseline = base model on the same validation set');
    model.dispose();
  }
});

test('a huge learning rate is stopped as NaN/Inf with an explanation', async () => {
  await loadTf();
  const { train, val } = splitStratified(await digits(20), 0.2, 3);
  await assert.rejects(trainModel(train, val, { ...base, epochs: 3, learningRate: 1e6 }), (err: unknown) => {
    assert.ok(err instanceof TrainingDiverged);
    assert.match((err as Error).message, /NaN|infinite/);
    assert.match((err as Error).message, /learning rate/);
    return true;
  });
});

test('cancel stops within one batch and keeps the best weights so far', async () => {
  await loadTf();
  const { train, val } = splitStratified(await digits(20), 0.2, 4);
  const batchesPerEpoch = Math.ceil(train.count / 16);
  const steps: number[] = [];
  let epochsSeen = 0;
  let pollsInThirdEpoch = 0;
  let stopAnswered = false;
  let pollsAfterStop = 0;
  const r = await trainModel(train, val, { ...base, epochs: 20, batchSize: 16, batchReportMs: 0 }, {
    // batchReportMs 0: every batch is reported, so `steps` counts the batches that really ran.
    onBatch: (point) => steps.push(point.step),
    onEpoch: () => epochsSeen++,
    // Stop at the third poll of the third epoch: two batches of it have run by then.
    shouldStop: () => {
      if (stopAnswered) {
        pollsAfterStop++;
        return true;
      }
      if (epochsSeen < 2 || ++pollsInThirdEpoch < 3) return false;
      stopAnswered = true;
      return true;
    },
  });
  assert.equal(r.state, 'canceled');
  assert.ok(stopAnswered, 'the stop was asked for');
  assert.equal(steps.length, 2 * batchesPerEpoch + 2, 'two full epochs and the two batches before the stop, not one more');
  assert.deepEqual(steps, steps.map((_, i) => i + 1), 'each batch reported once, in order');
  assert.equal(pollsAfterStop, 0, 'nothing asks again after the stop');
  assert.ok(r.model, 'the best model so far is kept');
  assert.equal(r.epochs.length, 2, 'no further epoch ran');
  assert.ok(r.metrics && Number.isFinite(r.metrics.valLoss));
  r.model.dispose();
});

test('on cancel the best weights are kept without another validation pass, however large the validation set', async () => {
  await loadTf();
  // A validation set four times the training set: measuring it again after a cancel would be the
  // slowest thing left, and the process is killed if it takes too long.
  const { train, val } = splitStratified(await digits(50), 0.8, 4);
  assert.ok(val.count >= 4 * train.count - 10);
  let epochsSeen = 0;
  let polls = 0;
  let predictsAfterStop = 0;
  let stopped = false;
  const r = await trainModel(train, val, { ...base, epochs: 5, batchSize: 16 }, {
    onEpoch: () => epochsSeen++,
    // After the first epoch, count the model's predict calls: a validation pass makes them.
    afterEpoch: (model) => {
      if (epochsSeen !== 1) return false;
      const predict = model.predict.bind(model);
      model.predict = ((...a: Parameters<typeof predict>) => {
        if (stopped) predictsAfterStop++;
        return predict(...a);
      }) as typeof model.predict;
      return false;
    },
    // Stop a few batches into the second epoch.
    shouldStop: () => {
      if (epochsSeen < 1 || ++polls < 4) return false;
      stopped = true;
      return true;
    },
  });
  assert.equal(r.state, 'canceled');
  assert.equal(predictsAfterStop, 0, 'no validation pass after the cancel');
  assert.ok(r.model, 'the best model so far is kept');
  assert.equal(r.bestEpoch, 1, 'the best complete epoch, as measured');
  assert.equal(r.metrics!.valLoss, r.epochs[0]!.valLoss, 'its metrics are the ones measured at the end of that epoch');
  r.model.dispose();
});

test('cancelled before the first epoch ends: the partial weights are measured on a bounded part of the validation set', async () => {
  await loadTf();
  const { train, val } = splitStratified(await digits(150), 0.8, 4);
  assert.ok(val.count > CANCEL_VALIDATION_SAMPLES);
  let polls = 0;
  let measured = 0;
  const r = await trainModel(train, val, { ...base, epochs: 5, batchSize: 16 }, {
    shouldStop: () => ++polls > 3,
    onStatus: (m) => {
      const n = /on ([\d,]+) of ([\d,]+) validation samples/.exec(m);
      if (n) measured = Number(n[1]!.replace(/,/g, ''));
    },
  });
  assert.equal(r.state, 'canceled');
  assert.ok(r.model, 'three batches of training are kept');
  assert.ok(measured > 0 && measured <= CANCEL_VALIDATION_SAMPLES && measured < val.count, `measured on ${measured} of ${val.count}`);
  assert.equal(r.metricsValCount, measured);
  r.model.dispose();
});
