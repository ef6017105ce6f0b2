// The gradient replica (main/ml-process/replica.ts, batch-step.ts): training with a second thread
// gives the same weights as on one thread (batch norm, dropout and shift augmentation included),
// and a replica that dies mid-run is survived: training finishes on one thread, with the same
// weights, and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LayersModel } from '@tensorflow/tfjs';
import { loadTf } from '../../../main/ml-process/backend';
import { trainModel, type TrainConfig } from '../../../main/ml-process/trainer';
import { splitStratified } from '../../../main/data/dataset-ops';
import { digits } from '../../helpers/ml-fixtures';

const config: TrainConfig = {
  arch: 'default',
  epochs: 1,
  batchSize: 64,
  learningRate: 0.003,
  augment: true,
  augmentStyle: 'shift',
  schedule: 'onecycle',
  labelSmoothing: 0.1,
  seed: 3,
  freezeFeatures: false,
  earlyStopping: false,
};

async function trainWith(replica: '0' | '1', crashAfter = 0): Promise<{ model: LayersModel; statuses: string[]; losses: number[] }> {
  const saved = { replica: process.env.DIGIT_STUDIO_REPLICA, crash: process.env.DIGIT_STUDIO_TEST_REPLICA_CRASH_AFTER };
  process.env.DIGIT_STUDIO_REPLICA = replica;
  process.env.DIGIT_STUDIO_TEST_REPLICA_CRASH_AFTER = String(crashAfter);
  try {
    // 24 per digit: 192 to train on, 3 batches of 64, each split in two halves of 32.
    const { train, val } = splitStratified(await digits(24), 0.2, 4);
    const statuses: string[] = [];
    const r = await trainModel(train, val, config, { onStatus: (m) => statuses.push(m) });
    assert.ok(r.model, 'a model comes back');
    assert.equal(r.state, 'succeeded');
    return { model: r.model, statuses, losses: r.epochs.map((e) => e.loss) };
  } finally {
    for (const [k, v] of [
      ['DIGIT_STUDIO_REPLICA', saved.replica],
      ['DIGIT_STUDIO_TEST_REPLICA_CRASH_AFTER', saved.crash],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function assertSameWeights(a: LayersModel, b: LayersModel, what: string): void {
  const wa = a.getWeights();
  const wb = b.getWeights();
  assert.equal(wa.length, wb.length);
  let changed = false;
  wa.forEach((w, i) => {
    const x = w.dataSync();
    const y = wb[i]!.dataSync();
    let scale = 1e-3;
    for (const v of y) scale = Math.max(scale, Math.abs(v));
    for (let k = 0; k < x.length; k++) {
      assert.ok(Math.abs(x[k]! - y[k]!) <= 1e-4 * scale, `${what}: weight ${i}[${k}] ${x[k]} vs ${y[k]}`);
    }
  });
  // The runs did train (batch-norm moving statistics moved off their start of 0 and 1).
  for (const w of a.getWeights()) if (w.dataSync().some((v) => v !== 0 && v !== 1)) changed = true;
  assert.ok(changed);
}

test('training with the replica thread gives the same weights as on one thread', async () => {
  await loadTf();
  const one = await trainWith('0');
  const two = await trainWith('1');
  assert.ok(!two.statuses.some((s) => s.includes('one core')), `the replica ran: ${two.statuses.join('; ')}`);
  assertSameWeights(two.model, one.model, 'replica vs one thread');
  assert.ok(Math.abs(two.losses[0]! - one.losses[0]!) < 1e-4, `losses ${two.losses} vs ${one.losses}`);
  // The non-trainable state really is batch-norm statistics (the default model has batch norm).
  assert.ok(one.model.nonTrainableWeights.some((w) => w.name.includes('moving_mean')));
  one.model.dispose();
  two.model.dispose();
});

test('a replica that dies mid-run is survived: training finishes on one thread with the same result', async () => {
  await loadTf();
  const one = await trainWith('0');
  const crashed = await trainWith('1', 1);
  assert.ok(
    crashed.statuses.some((s) => /continues on one core/.test(s) && /replica/.test(s)),
    `a status says what happened: ${crashed.statuses.join('; ')}`,
  );
  assertSameWeights(crashed.model, one.model, 'crashed replica vs one thread');
  one.model.dispose();
  crashed.model.dispose();
});
