// Run history: atomic per-run files, downsampled batch points, and runs cut short by a crash are
// marked failed on the next open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS } from '../../../preload/contract';
import { INTERRUPTED, MAX_BATCH_POINTS, RunHistory } from '../../../main/models/run-history';
import { tempDir } from '../../helpers/ml-fixtures';

const settings = { ...DEFAULT_TRAIN_SETTINGS, datasetIds: ['d1'] };

test('records runs, keeps files small, and marks interrupted runs failed on reopen', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const h = await RunHistory.open(dir);
    const run = await h.create(settings, 'WASM');
    for (let step = 1; step <= 5000; step++) h.addBatch(run.id, { step, epoch: 1 + Math.floor(step / 1000), loss: 1 / step, accuracy: 0.5 });
    await h.addEpoch(run.id, { epoch: 1, loss: 0.5, accuracy: 0.8, valLoss: 0.6, valAccuracy: 0.79, imagesPerSec: 900, seconds: 10 });
    await h.flush();
    const detail = h.get(run.id);
    assert.ok(detail.batches.length <= MAX_BATCH_POINTS, `${detail.batches.length} points kept`);
    assert.equal(detail.batches[0]!.step, 1);
    assert.equal(detail.batches.at(-1)!.step, 5000, 'the latest point is always kept');
    const size = (await fs.stat(path.join(dir, 'runs', `${run.id}.json`))).size;
    assert.ok(size < 64 * 1024, `run file is ${size} bytes`);

    const done = await h.create(settings, 'WASM');
    await h.finish(done.id, { state: 'succeeded', modelId: 'm-1', metrics: null });

    // Reopen as after a crash: the running one is failed with the reason, the finished one untouched.
    const again = await RunHistory.open(dir);
    assert.equal(again.get(run.id).state, 'failed');
    assert.equal(again.get(run.id).error, INTERRUPTED);
    assert.equal(again.get(run.id).epochs.length, 1);
    assert.equal(again.get(done.id).state, 'succeeded');
    assert.equal(again.list().length, 2);
    assert.equal(again.latest()?.id, again.list()[0]!.id);

    // A damaged run file is skipped, not fatal.
    await fs.writeFile(path.join(dir, 'runs', 'r-broken.json'), '{"id":');
    assert.equal((await RunHistory.open(dir)).list().length, 2);
    assert.throws(() => again.get('r-nope'), /no training run/);
  } finally {
    await cleanup();
  }
});
