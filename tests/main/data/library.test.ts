import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatasetLibrary } from '../../../main/data/library';
import { CUSTOM_NAME, MNIST_TEST_ID, STARTER_ID } from '../../../main/data/library-ids';
import { loadStarterDataset } from '../../../main/data/starter';
import { countPerClass } from '../../../main/data/dataset';
import { loadDatasetFile, saveDatasetFile } from '../../../main/data/dataset-file';
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

test('open lists the built-in MNIST training and test sets (the test set not in training); reopening finds everything again', async () => {
  const dir = path.join(tmp.dir, 'a');
  const lib = await DatasetLibrary.open(dir);
  const list = lib.list();
  const brief = (d: (typeof list)[number]) => ({ id: d.id, kind: d.kind, name: d.name, origin: d.origin, count: d.count, included: d.included, role: d.role });
  assert.deepEqual(list.map(brief), [
    { id: STARTER_ID, kind: 'starter', name: 'MNIST training set (60,000)', origin: 'built-in', count: 60_000, included: true, role: undefined },
    { id: MNIST_TEST_ID, kind: 'starter', name: 'MNIST test set (10,000)', origin: 'built-in', count: 10_000, included: false, role: 'test' },
  ]);
  // Nothing was copied into the data folder: the built-in files are read where they ship.
  assert.deepEqual(readdirSync(path.join(dir, 'datasets')), ['index.json']);
  const train = await loadDatasetFile(lib.fileOf(STARTER_ID));
  assert.equal(train.count, 60_000);
  assert.deepEqual(countPerClass(train), list[0]!.perClass);
  assert.deepEqual(list[0]!.perClass, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  const testSet = await lib.load(MNIST_TEST_ID);
  assert.equal(testSet.count, 10_000);
  assert.deepEqual(countPerClass(testSet), [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);

  const csv = path.join(tmp.dir, 'train.csv');
  writeFileSync(csv, kaggleCsv(small));
  const s = await lib.importPaths([csv]);
  assert.equal(s.kind, 'csv');
  assert.equal(s.count, 40);
  assert.equal(s.origin, csv);
  assert.equal(s.included, true);
  assert.equal(s.report.count, 40);

  const again = await DatasetLibrary.open(dir);
  assert.deepEqual(again.list().map((x) => x.id), [STARTER_ID, MNIST_TEST_ID, s.id]);
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
  await assert.rejects(lib.remove(MNIST_TEST_ID), /can’t be removed/);
  // The test set can be included on purpose, and that is remembered too.
  assert.equal((await lib.setIncluded(MNIST_TEST_ID, true)).included, true);
  assert.equal((await DatasetLibrary.open(dir)).get(MNIST_TEST_ID).included, true, 'persisted');
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
  assert.deepEqual(reopened.list().map((x) => x.id).sort(), [s.id, STARTER_ID, MNIST_TEST_ID].sort());
  assert.equal((await reopened.load(s.id)).count, 40);
  assert.ok(!readdirSync(dsDir).some((n) => n.startsWith('.tmp-')), 'temp files cleaned');
  // A dataset file that went missing is dropped from the list, with a problem reported.
  rmSync(path.join(dsDir, `${s.id}.dsb`));
  const third = await DatasetLibrary.open(dir);
  assert.deepEqual(third.list().map((x) => x.id), [STARTER_ID, MNIST_TEST_ID]);
  assert.ok(third.problems.some((p) => p.includes(s.id)));
  // A corrupt dataset file fails to load with a UserError naming it; a stray starter.dsb (garbage
  // here) is never taken for a dataset, and goes.
  const csv3 = path.join(tmp.dir, 'train3.csv');
  writeFileSync(csv3, kaggleCsv(small));
  const s3 = await third.importPaths([csv3]);
  writeFileSync(path.join(dsDir, `${s3.id}.dsb`), 'garbage');
  writeFileSync(path.join(dsDir, 'starter.dsb'), 'garbage');
  const fourth = await DatasetLibrary.open(dir);
  await assert.rejects(fourth.load(s3.id), (e: unknown) => e instanceof UserError && e.message.includes(`${s3.id}.dsb`));
  assert.equal((await fourth.load(STARTER_ID)).count, 60_000);
  assert.equal(existsSync(path.join(dsDir, 'starter.dsb')), false);
  assert.equal(JSON.parse(readFileSync(path.join(dsDir, 'index.json'), 'utf8')).datasets.length, 3);
});

test('a data folder from before (the 10,000-digit starter copied in) moves over: nothing of the user’s is lost', async () => {
  // The layout the previous version wrote: index.json with the starter (excluded by the user here)
  // and an imported dataset, starter.dsb holding the 10,000 digits, and the import's file.
  const dir = path.join(tmp.dir, 'old');
  const dsDir = path.join(dir, 'datasets');
  mkdirSync(dsDir, { recursive: true });
  const starter = await loadStarterDataset();
  await saveDatasetFile(path.join(dsDir, 'starter.dsb'), starter);
  await saveDatasetFile(path.join(dsDir, 'ds-old-1.dsb'), small);
  const report = (n: number, perClass: number[]) => ({ count: n, perClass, skipped: [], skippedCount: 0 });
  const created = '2026-01-02T03:04:05.000Z';
  writeFileSync(
    path.join(dsDir, 'index.json'),
    JSON.stringify({
      version: 1,
      datasets: [
        { id: 'starter', name: 'MNIST starter (10,000 digits)', kind: 'starter', origin: 'built-in', count: 10000, perClass: countPerClass(starter), labelled: true, included: false, createdAt: created, report: report(10000, countPerClass(starter)) },
        { id: 'ds-old-1', name: 'mine.csv', kind: 'csv', origin: '/somewhere/mine.csv', count: 40, perClass: countPerClass(small), labelled: true, included: true, createdAt: created, report: report(40, countPerClass(small)) },
      ],
    }),
  );
  const lib = await DatasetLibrary.open(dir);
  assert.deepEqual(lib.problems, []);
  assert.deepEqual(lib.list().map((d) => [d.id, d.count, d.included]), [
    [STARTER_ID, 60_000, false], // the user's choice is kept
    [MNIST_TEST_ID, 10_000, false],
    ['ds-old-1', 40, true],
  ]);
  assert.equal(lib.get(STARTER_ID).name, 'MNIST training set (60,000)');
  assert.equal(lib.get(STARTER_ID).createdAt, created);
  assert.deepEqual(imageAt(await lib.load('ds-old-1'), 7), imageAt(small, 7));
  // The old copy is gone (its digits are the first 10,000 of the training set); the index says so.
  assert.equal(existsSync(path.join(dsDir, 'starter.dsb')), false);
  const index = JSON.parse(readFileSync(path.join(dsDir, 'index.json'), 'utf8')) as { datasets: { id: string; count: number }[] };
  assert.deepEqual(index.datasets.map((d) => [d.id, d.count]).sort(), [['ds-old-1', 40], [MNIST_TEST_ID, 10_000], [STARTER_ID, 60_000]].sort());
  // Run history that named "starter" still finds a dataset to train on.
  assert.match(lib.fileOf(STARTER_ID), /mnist-train\.dsb$/);
});
