// The whole services layer, as the app and the harness build it: a temp data folder, the real ML
// process (forkSpawner), a small zip of real MNIST digits. Proves the calls work end to end, that
// training streams events and keeps its points for reattaching, and that a killed training
// process fails its run clearly without harming anything, after which a new run starts cleanly.
import { deskew } from '../../../main/data/deskew';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_TRAIN_SETTINGS, type EventName, type Events, type Task, type TrainSettings } from '../../../preload/contract';
import { createServices } from '../../../main/services/create-services';
import type { Services } from '../../../main/services/ports';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { QueuedDialogs } from '../../harness/dialogs';
import { makeDigitZip } from '../../e2e/fixtures';

let dir: string;
let services: Services;
const dialogs = new QueuedDialogs();
const events: { name: EventName; payload: unknown }[] = [];
let datasetId: string;

function waitFor<E extends EventName>(name: E, match: (p: Events[E]) => boolean, timeoutMs = 240_000): Promise<Events[E]> {
  const seen = events.find((e) => e.name === name && match(e.payload as Events[E]));
  if (seen) return Promise.resolve(seen.payload as Events[E]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} event matched in time`)), timeoutMs);
    const check = setInterval(() => {
      const hit = events.find((e) => e.name === name && match(e.payload as Events[E]));
      if (hit) {
        clearTimeout(timer);
        clearInterval(check);
        resolve(hit.payload as Events[E]);
      }
    }, 20);
  });
}

const taskEnded = (id: string) => waitFor('task', (t: Task) => t.id === id && t.state !== 'running');

/** The first batch event of the run that task `taskId` drives. */
async function firstBatchOf(taskId: string): Promise<Events['train']> {
  const task = await waitFor('task', (t: Task) => t.id === taskId && t.resultId !== null);
  return waitFor('train', (e) => e.kind === 'batch' && e.runId === task.resultId);
}

function settings(over: Partial<TrainSettings> = {}): TrainSettings {
  return { ...DEFAULT_TRAIN_SETTINGS, model: 'seed', epochs: 1, batchSize: 32, augment: false, earlyStopping: false, datasetIds: [datasetId], ...over };
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-services-'));
  services = await createServices({
    dataDir: path.join(dir, 'data'),
    appVersion: '9.9.9',
    dialogs,
    emit: (name, payload) => events.push({ name, payload }),
    spawnMl: forkSpawner(),
    log: () => undefined,
  });
  const { file } = await makeDigitZip(dir, 30);
  dialogs.enqueue([file]);
  const task = await services.handlers.importWithDialog({ mode: 'files' });
  const done = await taskEnded(task!.id);
  assert.equal(done.state, 'succeeded', done.error ?? '');
  datasetId = done.resultId!;
});

after(async () => {
  await services?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('appInfo answers at once, and the backend follows as an event', async () => {
  const info = await services.handlers.appInfo();
  assert.equal(info.name, 'Digit Studio');
  assert.equal(info.version, '9.9.9');
  assert.ok(info.credits.some((c) => c.includes('LeCun')));
  const backend = await waitFor('backend', () => true);
  assert.ok(['tensorflow', 'wasm', 'cpu'].includes(backend.kind));
  assert.ok(backend.label.length > 0 && backend.reason.length > 0);
  assert.deepEqual((await services.handlers.appInfo()).backend, backend);
});

test('predicting before any model exists says to train one first', async () => {
  const pixels = Buffer.alloc(100 * 100, 0).toString('base64');
  await assert.rejects(async () => services.handlers.predictDrawing({ width: 100, height: 100, pixels }), /Train a model first/);
  assert.equal(await services.handlers.currentRun(), null);
});

test('a short training run streams events, keeps its points and yields the active model', async () => {
  const task = await services.handlers.startTraining(settings({ name: 'first' }));
  assert.equal(task.kind, 'train');
  await assert.rejects(async () => services.handlers.startTraining(settings()), /already going/);
  const batch = await firstBatchOf(task.id);
  const live = await services.handlers.currentRun();
  assert.ok(live, 'currentRun is there while training');
  assert.equal(live.id, batch.runId);
  const done = await taskEnded(task.id);
  assert.equal(done.state, 'succeeded', done.error ?? '');
  assert.equal(done.resultId, batch.runId);

  const run = await services.handlers.getRun({ runId: batch.runId });
  assert.equal(run.state, 'succeeded');
  assert.ok(run.batches.length > 0 && run.epochs.length === 1);
  const streamed = events.filter((e) => e.name === 'train' && (e.payload as Events['train']).kind === 'batch').length;
  const current = (await services.handlers.currentRun())!;
  assert.equal(current.batches.length, streamed, 'every streamed batch point is kept for reattaching');
  assert.ok(run.modelId);
  const models = await services.handlers.listModels();
  assert.equal(models.find((m) => m.id === run.modelId)?.active, true);
  assert.ok(events.some((e) => e.name === 'modelsChanged'));

  // The model reads a real digit drawn at another size.
  const page = await services.handlers.datasetSamples({ datasetId, digit: 1, offset: 0, limit: 1 });
  const prediction = await services.handlers.predictDrawing({ width: 28, height: 28, pixels: page.samples[0]!.pixels });
  assert.equal(prediction.probabilities.length, 10);
  assert.ok(Math.abs(prediction.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-3);
  assert.equal(prediction.modelId, run.modelId);
  // Trained by the one recipe's method, the model deskews its input (issue 11): its card says so, the
  // prediction shows what it read (the saved `input` stays plain), and Under the hood looks at the same pixels.
  assert.equal(models.find((m) => m.id === run.modelId)?.deskew, true);
  const plainInput = Buffer.from(prediction.input, 'base64');
  assert.equal(prediction.seen, Buffer.from(deskew(new Uint8Array(plainInput))).toString('base64'));
  const inspection = await services.handlers.inspectInput({ input: prediction.input, modelId: run.modelId! });
  assert.equal(inspection.input, prediction.input);
  assert.equal(inspection.seen, prediction.seen);

  // Evaluation runs as a task and its result is fetched by id.
  const evalTask = await services.handlers.evaluate({ modelId: run.modelId!, datasetIds: [datasetId] });
  const evalDone = await taskEnded(evalTask.id);
  assert.equal(evalDone.state, 'succeeded', evalDone.error ?? '');
  const evaluation = await services.handlers.getEvaluation({ evaluationId: evalDone.resultId! });
  assert.equal(evaluation.count, 300);
  assert.equal(evaluation.confusion.flat().reduce((a, b) => a + b, 0), 300);
  // One epoch on 240 digits makes mistakes; each kept one names the dataset it came from.
  assert.ok(evaluation.misclassified.length > 0, 'a one-epoch model makes mistakes to show');
  assert.ok(evaluation.misclassified.every((m) => m.datasetId === datasetId));
  // A deskewing model's mistakes show what it read; `pixels` stay the sample as stored.
  for (const m of evaluation.misclassified) assert.equal(m.seen, Buffer.from(deskew(new Uint8Array(Buffer.from(m.pixels, 'base64')))).toString('base64'));
});

test('pictures are read through the dialog port; bad drawings are refused with a reason', async () => {
  // A real digit as a PNG, dark ink on white paper, larger than 28×28.
  const page = await services.handlers.datasetSamples({ datasetId, digit: 3, offset: 0, limit: 1 });
  const ink = Buffer.from(page.samples[0]!.pixels, 'base64');
  const png = await sharp(Buffer.from(ink.map((v) => 255 - v)), { raw: { width: 28, height: 28, channels: 1 } })
    .resize(84, 84)
    .png()
    .toBuffer();
  const file = path.join(dir, 'three.png');
  await writeFile(file, png);
  dialogs.enqueue([file]);
  const result = await services.handlers.predictImageWithDialog({});
  assert.ok(result);
  assert.equal(result.file, 'three.png');
  assert.match(result.preview, /^data:image\/png;base64,/);
  assert.equal(Buffer.from(result.input, 'base64').length, 784);
  assert.equal(dialogs.requests.at(-1)!.mode, 'files');
  dialogs.enqueue(null);
  assert.equal(await services.handlers.predictImageWithDialog({}), null);

  await assert.rejects(async () => services.handlers.predictDrawing({ width: 10, height: 10, pixels: Buffer.alloc(99).toString('base64') }), /10×10 needs 100 bytes/);
  await assert.rejects(async () => services.handlers.predictDrawing({ width: 0, height: 10, pixels: '' }), /between 1×1/);
  await assert.rejects(async () => services.handlers.predictDrawing({ width: 28, height: 28, pixels: ink.toString('base64'), modelId: 'm-nope' }), /m-nope/);
});

test("fine-tuning reports the base model's accuracy before and after", async () => {
  const base = (await services.handlers.listModels()).find((m) => m.active)!;
  const task = await services.handlers.startTraining(settings({ name: 'fine-tune', baseModelId: base.id, freezeFeatures: true }));
  const done = await taskEnded(task.id);
  assert.equal(done.state, 'succeeded', done.error ?? '');
  const run = await services.handlers.getRun({ runId: done.resultId! });
  assert.equal(run.settings.baseModelId, base.id);
  const tuned = (await services.handlers.listModels()).find((m) => m.id === run.modelId)!;
  assert.equal(tuned.baseModelId, base.id);
  // Before: the base model measured on this run's validation digits. The base model was trained on
  // the same dataset with the same split and seed, so that is the accuracy its own run recorded.
  assert.ok(base.valAccuracy !== null && run.metrics && run.metrics.baselineValAccuracy !== null);
  assert.ok(
    Math.abs(run.metrics.baselineValAccuracy - base.valAccuracy) < 1e-9,
    `before ${run.metrics.baselineValAccuracy} = the base model's own validation accuracy ${base.valAccuracy}`,
  );
  // After: the tuned model's validation accuracy, as its one epoch measured it and its model records.
  assert.equal(run.epochs.length, 1);
  assert.equal(run.metrics.valAccuracy, run.epochs[0]!.valAccuracy);
  assert.equal(tuned.valAccuracy, run.metrics.valAccuracy);
  await services.handlers.setActiveModel({ modelId: base.id });
  assert.equal((await services.handlers.listModels()).find((m) => m.active)?.id, base.id);
  await assert.rejects(async () => services.handlers.startTraining(settings({ baseModelId: 'm-gone' })), /no longer exists/);
});

test('a killed training process fails the run clearly; the history and model survive; the next run starts cleanly', async () => {
  const modelsBefore = await services.handlers.listModels();
  const runsBefore = await services.handlers.listRuns();
  const task = await services.handlers.startTraining(settings({ name: 'doomed', epochs: 30 }));
  const batch = await firstBatchOf(task.id);
  const pids = services.ml!.trainingPids();
  assert.equal(pids.length, 1);
  process.kill(pids[0]!, 'SIGKILL');

  const done = await taskEnded(task.id);
  assert.equal(done.state, 'failed');
  assert.match(done.error ?? '', /stopped unexpectedly/);
  const appError = await waitFor('appError', () => true);
  assert.match(appError.message, /training process stopped unexpectedly/);
  const run = await services.handlers.getRun({ runId: batch.runId });
  assert.equal(run.state, 'failed');
  assert.ok(run.error);
  // Nothing else was touched: the earlier run and the active model are as they were.
  assert.deepEqual(await services.handlers.listModels(), modelsBefore);
  assert.equal((await services.handlers.getRun({ runId: runsBefore[0]!.id })).state, 'succeeded');

  const again = await services.handlers.startTraining(settings({ name: 'after the crash' }));
  const end = await taskEnded(again.id);
  assert.equal(end.state, 'succeeded', end.error ?? '');
  assert.equal((await services.handlers.listModels()).length, modelsBefore.length + 1);
});

test('canceling a run ends it as canceled', async () => {
  const task = await services.handlers.startTraining(settings({ name: 'canceled', epochs: 30 }));
  await firstBatchOf(task.id);
  await services.handlers.cancelTask({ taskId: task.id });
  const done = await taskEnded(task.id);
  assert.equal(done.state, 'canceled');
  const run = await services.handlers.getRun({ runId: done.resultId! });
  assert.equal(run.state, 'canceled');
});
