import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CUSTOM_NAME, DatasetLibrary, STARTER_ID } from '../../../main/data/library';
import { STARTER_NAME, loadStarterDataset } from '../../../main/data/starter';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { UserError } from '../../../main/util/errors';
import { imageAt, type Dataset } from '../../../main/data/dataset';
import { digitPhoto, encodeGray } from '../../helpers/digit-photos';
import { kaggleCsv, tempDir } from '../../helpers/mnist-files';
import { writeZip } from '../../helpers/zip-writer';

const tmp = tempDir();
let small: Dataset;
before(async () => {
  small = await loadStarterDataset(4);
});
after(tmp.cleanup);

test('open creates the starter dataset; reopening finds everything again', async () => {
  const dir = path.join(tmp.dir, 'a');
  const lib = await DatasetLibrary.open(dir);
  const list = lib.list();
  assert.equal(list.length, 1);
  assert.deepEqual(
    { id: list[0]!.id, kind: list[0]!.kind, name: list[0]!.name, origin: list[0]!.origin, count: list[0]!.count, included: list[0]!.included },
    { id: STARTER_ID, kind: 'starter', name: STARTER_NAME, origin: 'built-in', count: 10000, included: true },
  );
  assert.equal((await loadDatasetFile(lib.fileOf(STARTER_ID))).count, 10000);

  const csv = path.join(tmp.dir, 'train.csv');
  writeFileSync(csv, kaggleCsv(small));
  const s = await lib.importPaths([csv]);
  assert.equal(s.kind, 'csv');
  assert.equal(s.count, 40);
  assert.equal(s.origin, csv);
  assert.equal(s.included, true);
  assert.equal(s.report.count, 40);

  const again = await DatasetLibrary.open(dir);
  assert.deepEqual(again.list().map((x) => x.id), [STARTER_ID, s.id]);
  assert.deepEqual(again.get(s.id), s);
  const ds = await again.load(s.id);
  assert.deepEqual(imageAt(ds, 5), imageAt(small, 5));
});

test('samples pages by digit; sampleDetail re-reads the original picture from the zip when it is there', async () => {
  const dir = path.join(tmp.dir, 'b');
  const lib = await DatasetLibrary.open(dir);
  const entries = [];
  for (let i = 0; i < small.count; i++) {
    const g = digitPhoto(imageAt(small, i), { width: 80, height: 80, digitSize: 56, at: { x: 12, y: 12 }, seed: i });
    entries.push({ name: `${small.labels[i]}/p${i}.png`, data: await encodeGray(g, 80, 80, 'png') });
  }
  const zip = path.join(tmp.dir, 'mine.zip');
  writeFileSync(zip, writeZip(entries));
  const s = await lib.importPaths([zip]);
  assert.equal(s.count, 40);
  const page = await lib.samples({ datasetId: s.id, digit: 7, offset: 1, limit: 2 });
  assert.equal(page.total, 4);
  assert.equal(page.samples.length, 2);
  assert.ok(page.samples.every((x) => x.label === 7));
  assert.equal(Buffer.from(page.samples[0]!.pixels, 'base64').length, 784);
  const all = await lib.samples({ datasetId: s.id, digit: null, offset: 38, limit: 10 });
  assert.equal(all.total, 40);
  assert.equal(all.samples.length, 2);

  const detail = await lib.sampleDetail(s.id, 3);
  assert.match(detail.original ?? '', /^data:image\/png;base64,/);
  rmSync(zip);
  assert.equal((await lib.sampleDetail(s.id, 3)).original, null, 'gone: no original, no error');
  const starterDetail = await lib.sampleDetail(STARTER_ID, 0);
  assert.equal(starterDetail.original, null);
  await assert.rejects(lib.sampleDetail(s.id, 40), UserError);
  await assert.rejects(lib.samples({ datasetId: 'nope', digit: null, offset: 0, limit: 1 }), UserError);
});

test('include/exclude, remove (not the starter), unlabelled data cannot be included', async () => {
  const dir = path.join(tmp.dir, 'c');
  const lib = await DatasetLibrary.open(dir);
  const test = path.join(tmp.dir, 'test.csv');
  writeFileSync(test, kaggleCsv(small, false));
  const s = await lib.importPaths([test]);
  assert.equal(s.labelled, false);
  assert.equal(s.included, false);
  await assert.rejects(lib.setIncluded(s.id, true), /no labels/);
  assert.equal((await lib.setIncluded(STARTER_ID, false)).included, false);
  assert.equal((await DatasetLibrary.open(dir)).get(STARTER_ID).included, false, 'persisted');
  await assert.rejects(lib.remove(STARTER_ID), /can’t be removed/);
  await lib.remove(s.id);
  assert.equal(existsSync(path.join(dir, 'datasets', `${s.id}.dsb`)), false);
  assert.throws(() => lib.get(s.id), UserError);
  await assert.rejects(lib.remove(s.id), UserError);
  assert.throws(() => lib.fileOf('../../etc/passwd'), UserError);
});

test('custom handwriting: created on first use, appended after, survives reopening', async () => {
  const dir = path.join(tmp.dir, 'd');
  const lib = await DatasetLibrary.open(dir);
  const a = await lib.addCustomSample(imageAt(small, 0), 3);
  assert.equal(a.name, CUSTOM_NAME);
  assert.equal(a.kind, 'custom');
  assert.equal(a.count, 1);
  const b = await lib.addCustomSample(imageAt(small, 1), 5);
  assert.equal(b.id, a.id);
  assert.equal(b.count, 2);
  assert.deepEqual(b.perClass, [0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
  const again = await DatasetLibrary.open(dir);
  const ds = await again.load(a.id);
  assert.deepEqual(imageAt(ds, 1), imageAt(small, 1));
  assert.equal(ds.labels[1], 5);
  await assert.rejects(lib.addCustomSample(new Uint8Array(10), 3), /784/);
  await assert.rejects(lib.addCustomSample(imageAt(small, 0), 10), /not a digit/);
  // Concurrent additions are serialised: none is lost.
  await Promise.all([1, 2, 3, 4].map((d) => lib.addCustomSample(imageAt(small, d), d)));
  assert.equal(lib.get(a.id).count, 6);
});

test('a damaged folder opens anyway: stale temps removed, bad index set aside, lost entries reported', async () => {
  const dir = path.join(tmp.dir, 'e');
  const lib = await DatasetLibrary.open(dir);
  const csv = path.join(tmp.dir, 'train2.csv');
  writeFileSync(csv, kaggleCsv(small));
  const s = await lib.importPaths([csv]);
  const dsDir = path.join(dir, 'datasets');
  writeFileSync(path.join(dsDir, '.tmp-index.json-deadbeef'), 'half written');
  writeFileSync(path.join(dsDir, 'index.json'), '{ "version": 1, "datasets": [ {"id": "zz"');
  const reopened = await DatasetLibrary.open(dir);
  assert.ok(reopened.problems.some((p) => /damaged/.test(p)), reopened.problems.join('\n'));
  // The dataset files were found again.
  assert.deepEqual(reopened.list().map((x) => x.id).sort(), [s.id, STARTER_ID].sort());
  assert.equal((await reopened.load(s.id)).count, 40);
  assert.ok(!readdirSync(dsDir).some((n) => n.startsWith('.tmp-')), 'temp files cleaned');
  // A dataset file that went missing is dropped from the list, with a problem reported.
  rmSync(path.join(dsDir, `${s.id}.dsb`));
  const third = await DatasetLibrary.open(dir);
  assert.deepEqual(third.list().map((x) => x.id), [STARTER_ID]);
  assert.ok(third.problems.some((p) => p.includes(s.id)));
  // A corrupt dataset file fails to load with a UserError naming it; the starter is rebuilt instead.
  const csv3 = path.join(tmp.dir, 'train3.csv');
  writeFileSync(csv3, kaggleCsv(small));
  const s3 = await third.importPaths([csv3]);
  writeFileSync(path.join(dsDir, `${s3.id}.dsb`), 'garbage');
  writeFileSync(path.join(dsDir, 'starter.dsb'), 'garbage');
  const fourth = await DatasetLibrary.open(dir);
  await assert.rejects(fourth.load(s3.id), (e: unknown) => e instanceof UserError && e.message.includes(`${s3.id}.dsb`));
  assert.equal((await fourth.load(STARTER_ID)).count, 10000);
  assert.ok(fourth.problems.some((p) => /starter dataset was rebuilt/.test(p)));
  assert.equal(JSON.parse(readFileSync(path.join(dsDir, 'index.json'), 'utf8')).datasets.length, 2);
});
