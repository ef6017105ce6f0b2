import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importPaths } from '../../../main/data/import';
import { UserError } from '../../../main/util/errors';
import { IMAGE_PIXELS, imageAt, type Dataset } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { CSV_HEADER_LABELLED, idxImages, idxLabels, kaggleCsv, tempDir } from '../../helpers/mnist-files';

let ds: Dataset;
const tmp = tempDir();
before(async () => {
  ds = await loadStarterDataset(12); // 120 real digits
});
after(tmp.cleanup);

const file = (name: string, data: string | Buffer): string => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, data);
  return p;
};

test('Kaggle train.csv: every row imported with its label and exact pixels, progress reported', async () => {
  const p = file('train.csv', kaggleCsv(ds));
  const events: { done: number; total: number; unit: string }[] = [];
  const r = await importPaths([p], { onProgress: (e) => events.push(e) });
  assert.equal(r.kind, 'csv');
  assert.equal(r.labelled, true);
  assert.equal(r.name, 'train.csv');
  assert.equal(r.report.count, ds.count);
  assert.deepEqual(r.report.perClass, new Array(10).fill(12));
  assert.equal(r.report.skippedCount, 0);
  for (const i of [0, 17, 119]) {
    assert.deepEqual(imageAt(r.dataset, i), imageAt(ds, i));
    assert.equal(r.dataset.labels[i], ds.labels[i]);
  }
  assert.equal(r.dataset.sources[4], 'train.csv:row 5');
  assert.ok(events.length >= 2, 'progress events');
  assert.equal(events.at(-1)!.done, ds.count);
  assert.equal(events.at(-1)!.unit, 'rows');
});

test('CRLF line ends, quotes and a missing final newline are fine', async () => {
  const text = kaggleCsv(ds, true, '\r\n').trimEnd().replace(/^label/, '"label"');
  const r = await importPaths([file('crlf.csv', text)]);
  assert.equal(r.report.count, ds.count);
  assert.deepEqual(imageAt(r.dataset, ds.count - 1), imageAt(ds, ds.count - 1));
});

test('test.csv (no label column) imports as unlabelled, label -1', async () => {
  const r = await importPaths([file('test.csv', kaggleCsv(ds, false))]);
  assert.equal(r.labelled, false);
  assert.equal(r.report.count, ds.count);
  assert.ok([...r.dataset.labels].every((l) => l === -1));
  assert.deepEqual(r.report.perClass, new Array(10).fill(0));
});

test('bad rows are skipped with reasons, the good rows imported', async () => {
  const good = kaggleCsv(ds).trimEnd().split('\n');
  const px = Array.from(imageAt(ds, 0));
  const rows = [
    good[0]!,
    good[1]!,
    `3,${px.slice(0, 500).join(',')}`, // truncated row
    `3,${px.map((v, i) => (i === 10 ? 300 : v)).join(',')}`, // out of range
    `3,${px.map((v, i) => (i === 20 ? 'abc' : v)).join(',')}`, // not a number
    `12,${px.join(',')}`, // label not a digit
    `3,${px.map((v, i) => (i === 5 ? -4 : v)).join(',')}`, // negative
    `3,${px.map((v, i) => (i === 5 ? '' : v)).join(',')}`, // empty field
    good[2]!,
    good[1]!, // duplicate of row 1
    `3,${px.slice(0, 300).join(',')}`, // truncated last row, no newline
  ];
  const r = await importPaths([file('bad-rows.csv', rows.join('\n'))]);
  assert.equal(r.report.count, 2);
  const reasons = r.report.skipped.map((s) => `${s.file} ${s.reason}`);
  assert.equal(r.report.skippedCount, 8, reasons.join('\n'));
  assert.match(reasons[0]!, /row 2 has 501 values, expected 785/);
  assert.match(reasons[1]!, /row 3 .*out of range 0–255/);
  assert.match(reasons[2]!, /row 4 .*not a whole number/);
  assert.match(reasons[3]!, /row 5 label 12 is not a digit/);
  assert.match(reasons[4]!, /row 6 .*out of range/);
  assert.match(reasons[5]!, /row 7 .*not a whole number/);
  assert.match(reasons[6]!, /row 9 duplicate of bad-rows.csv:row 1/);
  assert.match(reasons[7]!, /row 10 has 301 values/);
});

test('a CSV that is not MNIST-shaped is refused with a message naming the file', async () => {
  const p = file('iris.csv', 'sepal_length,sepal_width,species\n5.1,3.5,setosa\n');
  await assert.rejects(importPaths([p]), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /iris\.csv/);
    assert.match(err.message, /not an MNIST CSV/);
    return true;
  });
  await assert.rejects(importPaths([file('empty.csv', '')]), /empty/);
  await assert.rejects(importPaths([file('header-only.csv', CSV_HEADER_LABELLED + '\n')]), /nothing|no digits|header-only/);
});

test('the skipped list is capped at 1000 while skippedCount keeps the total', async () => {
  const lines = [CSV_HEADER_LABELLED, ...Array.from({ length: 1500 }, () => '1,2,3'), `${ds.labels[0]},${Array.from(imageAt(ds, 0)).join(',')}`];
  const r = await importPaths([file('many-bad.csv', lines.join('\n'))]);
  assert.equal(r.report.count, 1);
  assert.equal(r.report.skipped.length, 1000);
  assert.equal(r.report.skippedCount, 1500);
});

test('IDX images + labels (plain and gzipped) pair up and import exactly', async () => {
  const img = file('t10k-images-idx3-ubyte', idxImages(ds));
  const lab = file('t10k-labels-idx1-ubyte', idxLabels(ds));
  const r = await importPaths([img, lab]);
  assert.equal(r.kind, 'idx');
  assert.equal(r.report.count, ds.count);
  assert.deepEqual(imageAt(r.dataset, 33), imageAt(ds, 33));
  assert.equal(r.dataset.labels[33], ds.labels[33]);

  const gzImg = file('train-images-idx3-ubyte.gz', idxImages(ds, true));
  file('train-labels-idx1-ubyte.gz', idxLabels(ds, true));
  // Only the images file is given: its labels are found beside it.
  const g = await importPaths([gzImg]);
  assert.equal(g.report.count, ds.count);
  assert.equal(g.labelled, true);
  assert.deepEqual(g.report.perClass, new Array(10).fill(12));
});

test('EMNIST files (stored transposed) are turned upright; its letters split is refused, not taken for digits', async () => {
  // EMNIST writes each 28×28 image column by column: make such files from real digits.
  const transposed = new Uint8Array(ds.count * IMAGE_PIXELS);
  for (let i = 0; i < ds.count; i++) {
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) transposed[i * IMAGE_PIXELS + x * 28 + y] = ds.pixels[i * IMAGE_PIXELS + y * 28 + x]!;
  }
  const stored: Dataset = { ...ds, pixels: transposed };
  const img = file('emnist-digits-test-images-idx3-ubyte.gz', idxImages(stored, true));
  file('emnist-digits-test-labels-idx1-ubyte.gz', idxLabels(ds, true));
  const r = await importPaths([img]);
  assert.equal(r.report.count, ds.count);
  for (const i of [0, 57, 119]) assert.deepEqual(imageAt(r.dataset, i), imageAt(ds, i), `image ${i} is upright`);
  assert.deepEqual(r.report.perClass, new Array(10).fill(12));

  const letters = file('emnist-letters-test-images-idx3-ubyte', idxImages(stored));
  file('emnist-letters-test-labels-idx1-ubyte', idxLabels(ds));
  await assert.rejects(importPaths([letters]), (err: unknown) => err instanceof UserError && /letters a–z, not digits/.test(err.message));
});

test('IDX: images alone are unlabelled; mismatched counts and labels alone are refused', async () => {
  const lone = file('lone-images-idx3-ubyte', idxImages(ds));
  const r = await importPaths([lone]);
  assert.equal(r.labelled, false);
  const half: Dataset = { ...ds, count: 60 };
  const img = file('a-images-idx3-ubyte', idxImages(ds));
  const lab = file('a-labels-idx1-ubyte', idxLabels(half));
  await assert.rejects(importPaths([img, lab]), /120 images but 60 labels/);
  const onlyLabels = file('b-labels-idx1-ubyte', idxLabels(ds));
  await assert.rejects(importPaths([onlyLabels]), /labels file needs its images/);
  const cut = file('cut-images-idx3-ubyte', idxImages(ds).subarray(0, 5000));
  await assert.rejects(importPaths([cut]), (err: unknown) => err instanceof UserError && /cut-images-idx3-ubyte.*truncated/.test(err.message));
});

test('several files at once: one bad path is reported, the others imported', async () => {
  const good = file('good.csv', kaggleCsv(ds));
  const missing = path.join(tmp.dir, 'missing.csv');
  const r = await importPaths([good, missing]);
  assert.equal(r.report.count, ds.count);
  assert.equal(r.name, 'good.csv + 1 more');
  assert.ok(r.report.skipped.some((s) => s.file === missing && /not found/.test(s.reason)));
});

test('a missing path alone, an unknown binary format, and no paths fail with UserError naming the file', async () => {
  const missing = path.join(tmp.dir, 'nope.csv');
  await assert.rejects(importPaths([missing]), (err: unknown) => err instanceof UserError && err.message === `${missing}: not found`);
  const bin = file('blob.bin', Buffer.from([0, 1, 2, 3, 200, 201, 7, 7, 7]));
  await assert.rejects(importPaths([bin]), /blob\.bin: not a format Digit Studio can import/);
  await assert.rejects(importPaths([]), UserError);
});

test('an aborted import stops with an AbortError', async () => {
  const p = file('abort.csv', kaggleCsv(ds));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(importPaths([p], { signal: ac.signal }), (err: unknown) => (err as Error).name === 'AbortError');
});

test('a number with a space inside ("1 2") is refused, not read as 12; the file and row are named', async () => {
  const good = kaggleCsv(ds).trimEnd().split('\n');
  const px = Array.from(imageAt(ds, 0));
  const rows = [
    good[0]!,
    `3,${px.map((v, i) => (i === 7 ? '1 2' : v)).join(',')}`,
    `3,${px.map((v, i) => (i === 9 ? '"2\t5"' : v)).join(',')}`,
    `1 ,${px.map((v, i) => (i === 0 ? ' 7 ' : v)).join(',')}`, // spaces around a number are fine
    `3 4,${px.join(',')}`, // in the label too
  ];
  const r = await importPaths([file('spaced.csv', rows.join('\n') + '\n')]);
  const reasons = r.report.skipped.map((s) => `${s.file} ${s.reason}`);
  assert.equal(r.report.count, 1, reasons.join('\n'));
  assert.equal(r.report.skippedCount, 3, reasons.join('\n'));
  assert.match(reasons[0]!, /spaced\.csv:row 1 .*column 9 .*space inside a number/);
  assert.match(reasons[1]!, /spaced\.csv:row 2 .*column 11 .*space inside a number/);
  assert.match(reasons[2]!, /spaced\.csv:row 4 .*column 1 .*space inside a number/);
  assert.equal(r.dataset.labels[0], 1);
  assert.equal(imageAt(r.dataset, 0)[0], 7);

  // The same holds when the stream splits the field between chunks.
  const { MnistCsvParser } = await import('../../../main/data/csv-parse');
  const { DatasetBuilder } = await import('../../../main/data/dataset-builder');
  const builder = new DatasetBuilder(4);
  const parser = new MnistCsvParser('chunks.csv', builder);
  const bytes = Buffer.from(rows.join('\n') + '\n');
  for (let i = 0; i < bytes.length; i += 3) parser.push(bytes.subarray(i, i + 3));
  parser.end();
  assert.equal(builder.report().count, 1);
  assert.equal(builder.report().skippedCount, 3);
});

test('a folder holding IDX files imports them, paired: plain or gzipped, at its top or below (torchvision’s MNIST/raw)', async () => {
  const { mkdirSync } = await import('node:fs');
  const half = { ...ds, count: 60, sources: ds.sources.slice(0, 60) };
  const rest: Dataset = { count: 60, pixels: ds.pixels.slice(60 * IMAGE_PIXELS, 120 * IMAGE_PIXELS), labels: ds.labels.slice(60, 120), sources: ds.sources.slice(60) };
  // As downloaded from LeCun's page: four gzipped files in one folder.
  const dl = path.join(tmp.dir, 'mnist-download');
  mkdirSync(dl);
  writeFileSync(path.join(dl, 'train-images-idx3-ubyte.gz'), idxImages(half, true));
  writeFileSync(path.join(dl, 'train-labels-idx1-ubyte.gz'), idxLabels(half, true));
  writeFileSync(path.join(dl, 't10k-images-idx3-ubyte.gz'), idxImages(rest, true));
  writeFileSync(path.join(dl, 't10k-labels-idx1-ubyte.gz'), idxLabels(rest, true));
  writeFileSync(path.join(dl, 'README.txt'), 'not an IDX file, not looked at');
  const r = await importPaths([dl]);
  assert.equal(r.kind, 'idx');
  assert.equal(r.labelled, true);
  assert.equal(r.report.count, 120);
  assert.equal(r.report.skippedCount, 0);
  // Paired by name (t10k with t10k, train with train): every label is the right one.
  const byImage = new Map<string, number>();
  for (let i = 0; i < ds.count; i++) byImage.set(Buffer.from(imageAt(ds, i)).toString('base64'), ds.labels[i]!);
  for (let i = 0; i < r.dataset.count; i++) assert.equal(r.dataset.labels[i], byImage.get(Buffer.from(imageAt(r.dataset, i)).toString('base64')));

  // torchvision's layout: <root>/MNIST/raw/ with each file both plain and gzipped: taken once.
  const raw = path.join(tmp.dir, 'data', 'MNIST', 'raw');
  mkdirSync(raw, { recursive: true });
  for (const gz of [false, true]) {
    const ext = gz ? '.gz' : '';
    writeFileSync(path.join(raw, `train-images-idx3-ubyte${ext}`), idxImages(half, gz));
    writeFileSync(path.join(raw, `train-labels-idx1-ubyte${ext}`), idxLabels(half, gz));
  }
  // A file named like IDX that isn't one is reported, not fatal.
  writeFileSync(path.join(raw, 'broken-images-idx3-ubyte'), 'hello');
  const t = await importPaths([path.join(tmp.dir, 'data')]);
  assert.equal(t.report.count, 60);
  assert.equal(t.report.skippedCount, 1);
  assert.match(t.report.skipped[0]!.file, /broken-images-idx3-ubyte$/);
  assert.match(t.report.skipped[0]!.reason, /not a usable IDX file/);
  assert.deepEqual(imageAt(t.dataset, 59), imageAt(half, 59));

  // A folder with neither digit folders nor IDX files says both.
  const empty = path.join(tmp.dir, 'nothing-here');
  mkdirSync(empty);
  writeFileSync(path.join(empty, 'notes.txt'), 'hi');
  await assert.rejects(importPaths([empty]), (err: unknown) => err instanceof UserError && /no folders named 0–9 found.*no IDX files/.test(err.message));
});
