// `digit-studio predict` on whole sets (issue 17): a Kaggle-style test.csv of real MNIST digits
// round-trips in Kaggle's submission format (every id, in order, each label the model's reading of
// that row, the same readings `evaluate` counts), csv and json formats, folders and zips of
// unlabelled pictures, and rows or pictures that can't be read are named, never dropped silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli as runCliRaw, writeUntrainedModel } from '../../helpers/cli-fixtures';
import { mnistDigits, writeKaggleTestCsv } from '../../helpers/kaggle-test-csv';
import { writeZip } from '../../helpers/zip-writer';
import { MlClient } from '../../../main/models/ml-client';
import { forkSpawner } from '../../../main/models/fork-spawner';

/** Progress lines ("reading 19 of 19 rows"): printed every 3 s when stderr is no terminal, so a slow machine has more of them. */
const PROGRESS = /^(reading|predicting) [\d,]+ of [\d,]+/;

async function runCli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const r = await runCliRaw(argv);
  return { ...r, err: r.err.filter((line) => !PROGRESS.test(line)) };
}

const ROWS = 300;
let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
let model = '';
let testCsv = '';
let truth: Uint8Array;

before(async () => {
  ({ dir, cleanup } = await tempDir('ds-batch-'));
  model = path.join(dir, 'model');
  await writeUntrainedModel(model);
  testCsv = path.join(dir, 'test.csv');
  truth = await writeKaggleTestCsv(testCsv, ROWS);
});
after(() => cleanup());

const argmax = (p: number[]) => p.indexOf(Math.max(...p));

test('kaggle: ImageId,Label for every row in order; each label is the reading of that row, and evaluate counts the same readings', async () => {
  const out = path.join(dir, 'submission.csv');
  const r = await runCli(['predict', '--model', model, testCsv, '--format', 'kaggle', '--out', out]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.deepEqual(r.out, [], 'with --out nothing goes to stdout');
  assert.match(r.err.at(-1)!, /predicted 300 digits/);
  const lines = (await fs.readFile(out, 'utf8')).split('\n');
  assert.equal(lines.at(-1), '', 'ends with a newline');
  lines.pop();
  assert.equal(lines[0], 'ImageId,Label');
  assert.equal(lines.length, ROWS + 1);
  const labels: number[] = [];
  lines.slice(1).forEach((line, k) => {
    assert.match(line, /^\d+,\d$/);
    const [id, label] = line.split(',').map(Number) as [number, number];
    assert.equal(id, k + 1, 'ids are 1-based and in row order');
    labels.push(label);
  });

  // Row by row: the same digits predicted one call at a time give the same labels.
  const { pixels } = mnistDigits(ROWS);
  const client = new MlClient(forkSpawner());
  try {
    const probs = await client.predict(model, Array.from({ length: ROWS }, (_, k) => pixels.subarray(k * 784, (k + 1) * 784)));
    assert.deepEqual(labels, probs.map(argmax));
  } finally {
    await client.dispose();
  }

  // `evaluate` on the same digits with their labels: its confusion matrix is exactly the readings'.
  const trainCsv = path.join(dir, 'labelled.csv');
  const text = (await fs.readFile(testCsv, 'utf8')).split('\n');
  await fs.writeFile(trainCsv, ['label,' + text[0], ...text.slice(1, ROWS + 1).map((l, k) => `${truth[k]},${l}`)].join('\n') + '\n');
  const ev = await runCli(['evaluate', '--model', model, '--data', trainCsv, '--json']);
  assert.equal(ev.code, 0, ev.err.join('\n'));
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  labels.forEach((l, k) => confusion[truth[k]!]![l]!++);
  assert.deepEqual(JSON.parse(ev.out.at(-1)!).confusion, confusion);
});

test('csv and json formats: source, digit, confidence and ten probabilities per row', async () => {
  const csv = await runCli(['predict', '--model', model, testCsv, '--format', 'csv']);
  assert.equal(csv.code, 0, csv.err.join('\n'));
  assert.equal(csv.out[0], 'source,digit,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9');
  assert.equal(csv.out.length, ROWS + 1);
  const json = await runCli(['predict', '--model', model, testCsv, '--json']);
  assert.equal(json.code, 0);
  assert.equal(json.out.length, ROWS);
  csv.out.slice(1).forEach((line, k) => {
    const cells = line.split(',');
    assert.equal(cells.length, 13);
    assert.equal(cells[0], `test.csv:row ${k + 1}`);
    const p = cells.slice(3).map(Number);
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-3);
    // The digit is the most likely one; the printed probabilities are rounded to six significant
    // digits, so on a nearly flat (untrained) model two of them can print equal.
    assert.ok(p[Number(cells[1])]! >= Math.max(...p) - 1e-5, `digit ${cells[1]} is not the most likely in ${line}`);
    assert.equal(Number(cells[2]), Math.max(...p));
    const j = JSON.parse(json.out[k]!);
    assert.deepEqual(Object.keys(j), ['file', 'digit', 'confidence', 'probabilities']);
    assert.equal(j.file, `test.csv:row ${k + 1}`);
    assert.equal(j.digit, Number(cells[1]));
  });
  // --out without --format: csv (json for .json), written atomically.
  const out = path.join(dir, 'readings.json');
  const inferred = await runCli(['predict', '--model', model, testCsv, '--out', out]);
  assert.equal(inferred.code, 0);
  assert.equal((await fs.readFile(out, 'utf8')).trim().split('\n').length, ROWS);
});

test('a malformed row: kaggle stops naming the row and writes nothing; csv predicts the rest and names it', async () => {
  const bad = path.join(dir, 'bad-test.csv');
  const lines = (await fs.readFile(testCsv, 'utf8')).split('\n').slice(0, 21);
  lines[7] = lines[7]!.split(',').slice(0, 700).join(','); // data row 7: 700 values
  await fs.writeFile(bad, lines.join('\n') + '\n');
  const out = path.join(dir, 'kept.csv');
  await fs.writeFile(out, 'an earlier submission\n');
  const k = await runCli(['predict', '--model', model, bad, '--format', 'kaggle', '--out', out]);
  assert.equal(k.code, 2);
  assert.equal(k.err.length, 1, k.err.join('\n'));
  assert.match(k.err[0]!, /bad-test\.csv:row 7: has 700 values, expected 784/);
  assert.match(k.err[0]!, /nothing was written/);
  assert.equal(await fs.readFile(out, 'utf8'), 'an earlier submission\n', 'the old file is untouched');
  assert.deepEqual((await fs.readdir(dir)).filter((f) => f.startsWith('.tmp-')), [], 'no temp file left');

  const c = await runCli(['predict', '--model', model, bad, '--format', 'csv']);
  assert.equal(c.code, 0);
  assert.equal(c.out.length, 1 + 19);
  assert.ok(!c.out.some((l) => l.startsWith('bad-test.csv:row 7,')));
  assert.ok(c.err.some((l) => /not read: bad-test\.csv:row 7: has 700 values/.test(l)), c.err.join('\n'));
  assert.match(c.err.at(-1)!, /predicted 19 digits, 1 could not be read/);
});

test('repeated rows are all predicted, in place (Kaggle needs every ImageId)', async () => {
  const dup = path.join(dir, 'dup-test.csv');
  const lines = (await fs.readFile(testCsv, 'utf8')).split('\n');
  await fs.writeFile(dup, [lines[0], lines[1], lines[2], lines[1], lines[1]].join('\n') + '\n');
  const r = await runCli(['predict', '--model', model, dup, '--format', 'kaggle']);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.deepEqual(r.out.map((l) => l.split(',')[0]), ['ImageId', '1', '2', '3', '4']);
  assert.equal(r.out[1]!.split(',')[1], r.out[3]!.split(',')[1]);
});

test('a folder and a zip of unlabelled pictures; an unreadable picture is named with its reason', async () => {
  const { pixels } = mnistDigits(4);
  const png = (k: number) => sharp(Buffer.from(pixels.subarray(k * 784, (k + 1) * 784)), { raw: { width: 28, height: 28, channels: 1 } }).png().toBuffer();
  const folder = path.join(dir, 'scans');
  await fs.mkdir(folder);
  for (let k = 0; k < 3; k++) await fs.writeFile(path.join(folder, `scan-${k}.png`), await png(k));
  await fs.writeFile(path.join(folder, 'notes.png'), 'not a picture');
  const zip = path.join(dir, 'more.zip');
  await fs.writeFile(zip, writeZip([{ name: 'a.png', data: await png(3) }, { name: 'inner/b.png', data: await png(0) }]));

  const r = await runCli(['predict', '--model', model, folder, zip, '--format', 'csv']);
  assert.equal(r.code, 0, r.err.join('\n'));
  const sources = r.out.slice(1).map((l) => l.split(',')[0]);
  assert.deepEqual(sources.slice(0, 3), [0, 1, 2].map((k) => path.join(folder, `scan-${k}.png`)));
  assert.deepEqual(sources.slice(3).sort(), [`${zip}!a.png`, `${zip}!inner/b.png`]);
  assert.ok(r.err.some((l) => l.startsWith(`not read: ${path.join(folder, 'notes.png')}: `)), r.err.join('\n'));
  // The same picture reads the same from a folder and from a zip.
  const digitOf = (src: string) => r.out.find((l) => l.startsWith(src + ','))!.split(',')[1];
  assert.equal(digitOf(path.join(folder, 'scan-0.png')), digitOf(`${zip}!inner/b.png`));

  const k = await runCli(['predict', '--model', model, folder, '--format', 'kaggle']);
  assert.equal(k.code, 2);
  assert.match(k.err[0]!, /notes\.png: .*kaggle format needs a reading for every row/);
});

test('usage errors exit 2 with one line', async () => {
  const fmt = await runCli(['predict', '--model', model, testCsv, '--format', 'xml']);
  assert.equal(fmt.code, 2);
  assert.match(fmt.err[0]!, /--format must be kaggle, csv or json/);
  // `builtin` is the shipped base model (tests/main/cli/builtin.test.ts): it reads the file.
  const builtin = await runCli(['predict', '--model', 'builtin', testCsv]);
  assert.equal(builtin.code, 0, builtin.err.join('\n'));
  assert.ok(!existsSync(path.join(dir, 'nope')));
});
