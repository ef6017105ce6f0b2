// Batch prediction through the services, as the app runs it (issue 17): an imported Kaggle-style
// test.csv of real MNIST digits is read by a model as a 'predict' task, paged least sure first,
// a reading is corrected into the handwriting set through the usual addCustomSample path, and the
// readings are saved through the save dialog port in Kaggle's format and as full CSV.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { EventName, Events, Task } from '../../../preload/contract';
import { createServices } from '../../../main/services/create-services';
import type { Services } from '../../../main/services/ports';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { QueuedDialogs } from '../../harness/dialogs';
import { writeUntrainedModel } from '../../helpers/cli-fixtures';
import { writeKaggleTestCsv } from '../../helpers/kaggle-test-csv';

const ROWS = 200;
let dir: string;
let services: Services;
const dialogs = new QueuedDialogs();
const events: { name: EventName; payload: unknown }[] = [];
let testSetId: string;
let csvText: string;

function taskEnded(id: string, timeoutMs = 240_000): Promise<Task> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`task ${id} did not end in time`)), timeoutMs);
    const check = setInterval(() => {
      const hit = events.find((e) => e.name === 'task' && (e.payload as Task).id === id && (e.payload as Task).state !== 'running');
      if (hit) {
        clearTimeout(timer);
        clearInterval(check);
        resolve(hit.payload as Task);
      }
    }, 20);
  });
}

async function importFile(file: string): Promise<string> {
  dialogs.enqueue([file]);
  const task = await services.handlers.importWithDialog({ mode: 'files' });
  const done = await taskEnded(task!.id);
  assert.equal(done.state, 'succeeded', done.error ?? '');
  return done.resultId!;
}

async function readSet(datasetId: string): Promise<string> {
  const task = await services.handlers.predictDataset({ datasetId });
  assert.equal(task.kind, 'predict');
  const done = await taskEnded(task.id);
  assert.equal(done.state, 'succeeded', done.error ?? '');
  return done.resultId!;
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-batch-'));
  const dataDir = path.join(dir, 'data');
  await writeUntrainedModel(path.join(dataDir, 'models', 'm-20260101000000-abcdef'));
  services = await createServices({ dataDir, appVersion: '9.9.9', dialogs, emit: (name, payload) => events.push({ name, payload }), spawnMl: forkSpawner(), log: () => undefined });
  const csv = path.join(dir, 'test.csv');
  await writeKaggleTestCsv(csv, ROWS);
  csvText = await readFile(csv, 'utf8');
  testSetId = await importFile(csv);
});

after(async () => {
  await services?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('an unlabelled test.csv is read as a task; readings come least sure first, each with its pixels and row', async () => {
  const summary = (await services.handlers.listDatasets()).find((d) => d.id === testSetId)!;
  assert.equal(summary.labelled, false);
  assert.equal(summary.count, ROWS);
  const batchId = await readSet(testSetId);
  const progress = events.filter((e) => e.name === 'task' && (e.payload as Task).kind === 'predict').map((e) => (e.payload as Task).progress);
  assert.ok(progress.some((p) => p?.total === ROWS && p.unit === 'images'));

  const info = await services.handlers.getBatchPrediction({ batchId });
  assert.equal(info.count, ROWS);
  assert.equal(info.datasetId, testSetId);
  assert.equal(info.perDigit.reduce((a, b) => a + b, 0), ROWS);

  const seen = new Set<number>();
  let last = 0;
  for (let offset = 0; offset < ROWS; offset += 64) {
    const page = await services.handlers.batchReadings({ batchId, offset, limit: 64 });
    assert.equal(page.total, ROWS);
    for (const r of page.readings) {
      assert.ok(r.confidence >= last, 'least confident first');
      last = r.confidence;
      assert.equal(r.confidence, Math.max(...r.probabilities));
      assert.equal(r.digit, r.probabilities.indexOf(r.confidence));
      assert.equal(r.source, `test.csv:row ${r.index + 1}`);
      assert.equal(r.label, -1);
      seen.add(r.index);
    }
  }
  assert.equal(seen.size, ROWS, 'every sample once');
  const first = (await services.handlers.batchReadings({ batchId, offset: 0, limit: 1 })).readings[0]!;
  const detail = await services.handlers.sampleDetail({ datasetId: testSetId, index: first.index });
  assert.equal(first.pixels, detail.pixels);
  // The row's own pixels, as written in the CSV.
  const row = csvText.split('\n')[first.index + 1]!.split(',').map(Number);
  assert.deepEqual([...Buffer.from(first.pixels, 'base64')], row);

  // "That's wrong": the reading goes into the handwriting set through the usual path.
  const custom = await services.handlers.addCustomSample({ pixels: first.pixels, label: (first.digit + 1) % 10 });
  assert.equal(custom.count, 1);

  // Saved in Kaggle's format: every id in order, each label the reading of that row.
  const kaggleFile = path.join(dir, 'out', 'submission.csv');
  dialogs.enqueue([kaggleFile]);
  assert.equal(await services.handlers.saveBatchPrediction({ batchId, format: 'kaggle' }), 'submission.csv');
  const request = dialogs.requests.at(-1)!;
  assert.equal(request.mode, 'save');
  const lines = (await readFile(kaggleFile, 'utf8')).trim().split('\n');
  assert.equal(lines[0], 'ImageId,Label');
  assert.equal(lines.length, ROWS + 1);
  lines.slice(1).forEach((l, k) => assert.equal(l.split(',')[0], String(k + 1)));
  assert.equal(lines[first.index + 1], `${first.index + 1},${first.digit}`);

  const fullFile = path.join(dir, 'out', 'full.csv');
  dialogs.enqueue([fullFile]);
  assert.equal(await services.handlers.saveBatchPrediction({ batchId, format: 'csv' }), 'full.csv');
  const full = (await readFile(fullFile, 'utf8')).trim().split('\n');
  assert.equal(full[0], 'source,digit,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9');
  assert.equal(full.length, ROWS + 1);
  assert.ok(full[first.index + 1]!.startsWith(`test.csv:row ${first.index + 1},${first.digit},`));

  dialogs.enqueue(null);
  assert.equal(await services.handlers.saveBatchPrediction({ batchId, format: 'csv' }), null, 'canceled dialog: nothing saved');
});

test('a labelled set is read too (labels shown, not used); kaggle refuses a set whose import skipped a row', async () => {
  const lines = csvText.split('\n');
  const labelled = path.join(dir, 'labelled.csv');
  await writeFile(labelled, ['label,' + lines[0], ...lines.slice(1, 41).map((l) => `7,${l}`)].join('\n') + '\n');
  const batchId = await readSet(await importFile(labelled));
  const page = await services.handlers.batchReadings({ batchId, offset: 0, limit: 1000 });
  assert.equal(page.readings.length, 40);
  assert.ok(page.readings.every((r) => r.label === 7));

  const broken = path.join(dir, 'broken-test.csv');
  const rows = lines.slice(0, 31);
  rows[5] = '1,2,3';
  await writeFile(broken, rows.join('\n') + '\n');
  const brokenBatch = await readSet(await importFile(broken));
  assert.equal((await services.handlers.getBatchPrediction({ batchId: brokenBatch })).count, 29);
  const before = dialogs.requests.length;
  await assert.rejects(async () => services.handlers.saveBatchPrediction({ batchId: brokenBatch, format: 'kaggle' }), /broken-test\.csv:row 5 .*has 3 values/);
  assert.equal(dialogs.requests.length, before, 'refused before any dialog opened');
  await assert.rejects(async () => services.handlers.batchReadings({ batchId: 'batch-gone', offset: 0, limit: 1 }), /no longer kept/);
});

test('a canceled read ends canceled and keeps nothing', async () => {
  const task = await services.handlers.predictDataset({ datasetId: testSetId });
  await services.handlers.cancelTask({ taskId: task.id });
  const done = await taskEnded(task.id);
  assert.equal(done.state, 'canceled');
  assert.equal(done.resultId, null);
});
