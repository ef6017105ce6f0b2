// Imports as the app and the CLI run them: on a worker thread that saves the dataset file itself.
// The file must hold exactly what an in-process import makes; progress, cancel and errors must
// cross the thread boundary as they would in-process, and nothing may be left behind on failure.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importPaths } from '../../../main/data/import';
import { importInThread } from '../../../main/data/import-thread';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { imageAt } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { UserError } from '../../../main/util/errors';
import { digitPhoto, encodeGray } from '../../helpers/digit-photos';
import { tempDir } from '../../helpers/mnist-files';
import { writeZip, type ForgedEntry } from '../../helpers/zip-writer';

const tmp = tempDir();
let zip = '';
const PHOTOS = 120;
before(async () => {
  const ds = await loadStarterDataset(12);
  const entries: ForgedEntry[] = [];
  for (let i = 0; i < PHOTOS; i++) {
    const gray = digitPhoto(imageAt(ds, i), { width: 80, height: 80, digitSize: 56, at: { x: 8 + (i % 9), y: 10 }, seed: i });
    entries.push({ name: `mine/${ds.labels[i]}/p${i}.${i % 2 ? 'png' : 'jpg'}`, data: await encodeGray(gray, 80, 80, i % 2 ? 'png' : 'jpeg'), method: 0 });
  }
  entries.push({ name: 'mine/7/notes.png', data: Buffer.from('not a picture') });
  zip = path.join(tmp.dir, 'photos.zip');
  writeFileSync(zip, writeZip(entries));
});
after(tmp.cleanup);

test('on a worker thread, the saved file holds exactly what an in-process import makes', async () => {
  const out = path.join(tmp.dir, 'lib', 'a.dsb');
  const progress: number[] = [];
  const r = await importInThread({ paths: [zip], saveTo: out }, { onProgress: (p) => progress.push(p.done) });
  assert.equal(r.onThread, true, 'ran on its own thread, not the in-process fallback');
  const direct = await importPaths([zip]);
  assert.deepEqual(r.report, direct.report);
  assert.equal(r.kind, 'zip');
  assert.equal(r.labelled, true);
  assert.equal(r.report.count, PHOTOS);
  assert.deepEqual(r.report.skipped.map((s) => s.file), [`${zip}!mine/7/notes.png`]);
  const saved = await loadDatasetFile(out);
  assert.deepEqual(saved.pixels, direct.dataset.pixels);
  assert.deepEqual(saved.labels, direct.dataset.labels);
  assert.deepEqual(saved.sources, direct.dataset.sources);
  assert.ok(progress.length >= 2 && progress.at(-1) === PHOTOS + 1, `progress reached the end: ${progress.join(',')}`);
  assert.deepEqual(readdirSync(path.dirname(out)), ['a.dsb']);
});

test('without a file to save to, only the report comes back', async () => {
  const r = await importInThread({ paths: [zip], saveTo: null });
  assert.equal(r.report.count, PHOTOS);
});

test('bad input: the UserError crosses the thread with its file, and nothing is written', async () => {
  const dir = path.join(tmp.dir, 'bad');
  const missing = path.join(tmp.dir, 'no-such.zip');
  const err = await importInThread({ paths: [missing], saveTo: path.join(dir, 'b.dsb') }).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof UserError, String(err));
  assert.equal(err.message, `${missing}: not found`);
  assert.equal(err.file, missing);
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
});

test('cancel: the import stops, the promise rejects with the reason, and no file or temp file is left', async () => {
  const dir = path.join(tmp.dir, 'cancel');
  const controller = new AbortController();
  const reason = new Error('user canceled');
  const run = importInThread(
    { paths: [zip], saveTo: path.join(dir, 'c.dsb') },
    {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 1) controller.abort(reason);
      },
    },
  );
  await assert.rejects(run, (e) => e === reason);
  // The thread removes its temp file as it stops; give it the moment it needs.
  for (let i = 0; i < 50 && existsSync(dir) && readdirSync(dir).length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
});
