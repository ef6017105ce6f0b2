// Dataset exports run on a worker thread (so the app's main thread stays free): the file written
// there is byte for byte the one written in-process, and a UserError comes back as one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { exportDataset } from '../../../main/export/dataset-export';
import { exportDatasetInThread } from '../../../main/export/dataset-export-thread';
import { loadStarterDataset } from '../../../main/data/starter';
import { UserError } from '../../../main/util/errors';
import { tempDir } from '../../helpers/ml-fixtures';

test('on its thread, the same bytes as in-process; errors cross as UserError', async () => {
  const { dir, cleanup } = await tempDir('export-thread-');
  try {
    const ds = await loadStarterDataset(5);
    for (const format of ['csv', 'zip'] as const) {
      const threaded = await exportDatasetInThread(ds, format, path.join(dir, `t.${format}`));
      assert.equal(threaded.onThread, true);
      assert.equal(threaded.count, 50);
      const local = await exportDataset(ds, format, path.join(dir, `l.${format}`));
      assert.equal(threaded.bytes, local.bytes);
      if (format === 'csv') assert.deepEqual(await fs.readFile(path.join(dir, 't.csv')), await fs.readFile(path.join(dir, 'l.csv')));
    }
    const unlabelled = { ...ds, labels: new Int8Array(ds.count).fill(-1) };
    await assert.rejects(exportDatasetInThread(unlabelled, 'zip', path.join(dir, 'u.zip')), (e: Error) => e instanceof UserError && /no labels/.test(e.message));
  } finally {
    await cleanup();
  }
});
