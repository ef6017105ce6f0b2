// The whole services layer, as the app and the harness build it: a temp data folder, the real ML
// process (forkSpawner), a small zip of real MNIST digits. Proves the calls work end to end, that
// training streams events and keeps its points for reattaching, and that a killed training
// process fails its run clearly without harming anything, after which a new run starts cleanly.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_TRAIN_SETTINGS, type EventName, type Events, type Task, type TrainSettings } from '../../../preload/contract';
import { createServices } from '../../../main/services/create-services';
import type { Services } from '../../../main/services/ports';
import { forkSpawner } from '../../../main/worker/fork-spawner';
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
  await assert.rejects(services.handlers.predictDrawing({ width: 100, height: 100, pixels }), /Train a model first/);
  assert.equal(await services.handlers.currentRun(), null);
});

test('a short training run streams events, keeps its points and yields the active model', async () => {
  const task = await services.handlers.startTraining(settings({ name: 'first' }));
  assert.equal(task.kind, 'train');
  await assert.rejects(async () => services.handlers.startTraining(settings()), /already going/);
  const batch = await waitFor('train', (e) => e.kind === 'batch');
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

  // Evaluation runs as a task and its result is fetched by id.
  const evalTask = await services.handlers.evaluate({ modelId: run.modelId!, datasetIds: [datasetId] });
  const evalDone = await taskEnded(evalTask.id);
  assert.equal(evalDone.state, 'succeeded', evalDone.error ?? '');
  const evaluation = await services.handlers.getEvaluation({ evaluationId: evalDone.resultId! });
  assert.equal(evaluation.count, 300);
  assert.equal(evaluation.confusion.flat().reduce((a, b) => a + b, 0), 300);
  assert.ok(evaluation.misclassified.every((m) => m.datasetId === datasetId));
});

test('a killed training process fails the run clearly; the history and model survive; the next run starts cleanly', async () => {
  const modelsBefore = await services.handlers.listModels();
  const runsBefore = await services.handlers.listRuns();
  const task = await services.handlers.startTraining(settings({ name: 'doomed', epochs: 30 }));
  const batch = await waitFor('train', (e) => e.kind === 'batch' && e.runId !== runsBefore[0]?.id);
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
  await waitFor('train', (e) => e.kind === 'batch' && events.some((t) => t.name === 'task' && (t.payload as Task).id === task.id && (t.payload as Task).resultId === e.runId));
  await services.handlers.cancelTask({ taskId: task.id });
  const done = await taskEnded(task.id);
  assert.equal(done.state, 'canceled');
  const run = await services.handlers.getRun({ runId: done.resultId! });
  assert.equal(run.state, 'canceled');
});
