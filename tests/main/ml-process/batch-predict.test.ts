// Batch prediction in the ML process (predictFile): readings arrive block by block, in order, the
// same with the helper thread (a second core) as without it and as one-by-one predict() calls;
// a damaged dataset file is reported naming it; a cancel stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MlClient } from '../../../main/models/ml-client';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { PREDICT_BLOCK } from '../../../main/ml-process/batch-predict';
import { writeUntrainedModel } from '../../helpers/cli-fixtures';
import { digitsFile, tempDir } from '../../helpers/ml-fixtures';

async function readAll(helper: '0' | '1', model: string, file: string): Promise<{ probs: number[]; froms: number[]; helper: boolean }> {
  // The ML process reads the switch from its environment.
  const client = new MlClient(forkSpawner({ env: { DIGIT_STUDIO_PREDICT_HELPER: helper } }));
  try {
    const probs: number[] = [];
    const froms: number[] = [];
    const r = await client.predictFile(model, file, {
      onRows: (from, _total, p) => {
        froms.push(from);
        probs.push(...p);
      },
    });
    assert.equal(probs.length, r.count * 10);
    return { probs, froms, helper: r.helper };
  } finally {
    await client.dispose();
  }
}

test('with and without the helper thread: the same readings, in order, as predict() gives one by one', async () => {
  const { dir, cleanup } = await tempDir('ds-batch-ml-');
  try {
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const file = await digitsFile(dir, 210); // 2,100 digits: two blocks
    const alone = await readAll('0', model, file);
    const helped = await readAll('1', model, file);
    assert.equal(alone.helper, false);
    assert.equal(helped.helper, true, 'the helper thread ran');
    assert.deepEqual(alone.froms, [0, PREDICT_BLOCK]);
    assert.deepEqual(helped.froms, [0, PREDICT_BLOCK]);
    assert.equal(helped.probs.length, 21_000);
    helped.probs.forEach((p, i) => assert.ok(Math.abs(p - alone.probs[i]!) < 1e-5, `probability ${i}`));

    const ds = await loadDatasetFile(file);
    const client = new MlClient(forkSpawner());
    try {
      const one = await client.predict(model, Array.from({ length: ds.count }, (_, k) => ds.pixels.subarray(k * 784, (k + 1) * 784)));
      one.flat().forEach((p, i) => assert.ok(Math.abs(p - alone.probs[i]!) < 1e-5, `probability ${i} vs predict()`));
    } finally {
      await client.dispose();
    }
  } finally {
    await cleanup();
  }
});

test('a damaged file is named; a canceled read rejects and the process stays usable', async () => {
  const { dir, cleanup } = await tempDir('ds-batch-ml-');
  const client = new MlClient(forkSpawner());
  try {
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const file = await digitsFile(dir, 5);
    const bytes = await fs.readFile(file);
    bytes[40] ^= 0x55;
    const damaged = path.join(dir, 'damaged.dsb');
    await fs.writeFile(damaged, bytes);
    await assert.rejects(() => client.predictFile(model, damaged, { onRows: () => undefined }), /damaged\.dsb: not a usable dataset file \(checksum mismatch/);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(() => client.predictFile(model, file, { onRows: () => undefined, signal: controller.signal }));
    const ok = await client.predictFile(model, file, { onRows: () => undefined });
    assert.equal(ok.count, 50);
  } finally {
    await client.dispose();
    await cleanup();
  }
});
