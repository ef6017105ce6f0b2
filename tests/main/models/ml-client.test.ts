// Training, evaluation and prediction through a forked ML process, as the CLI and the app run
// them, and the faults around it: cancel, a training process killed mid-epoch, NaN, a crashed
// inference process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TRAIN_SETTINGS, type TrainEvent } from '../../../preload/contract';
import { MlClient, type TrainRequest } from '../../../main/models/ml-client';
import { ModelLibrary } from '../../../main/models/model-library';
import { RunHistory } from '../../../main/models/run-history';
import { TrainingManager } from '../../../main/models/training-manager';
import { forkSpawner } from '../../../main/models/fork-spawner';
import type { MlProcessHandle, MlSpawner } from '../../../main/models/spawner';
import { UserError } from '../../../main/util/errors';
import { digits, digitsFile, tempDir } from '../../helpers/ml-fixtures';
import { writeUntrainedModel } from '../../helpers/cli-fixtures';
import { assertExpectedBackend } from '../../helpers/backend';

function request(file: string, outDir: string, over: Partial<TrainRequest> = {}): TrainRequest {
  return {
    runId: 'r-test',
    datasetFiles: [file],
    model: 'seed',
    valSplit: 0.2,
    epochs: 4,
    batchSize: 32,
    learningRate: 0.002,
    augment: false,
    seed: 1,
    earlyStopping: false,
    baseModelDir: null,
    baseModelId: null,
    freezeFeatures: false,
    outDir,
    name: 'test',
    trainedOn: 'test digits',
    ...over,
  };
}

/** A spawner that remembers its processes, so tests can kill them. */
function recordingSpawner(): { spawn: MlSpawner; handles: MlProcessHandle[] } {
  const inner = forkSpawner();
  const handles: MlProcessHandle[] = [];
  return {
    handles,
    spawn: () => {
      const h = inner();
      handles.push(h);
      return h;
    },
  };
}

test('trains on a few hundred real digits through the ML process, far beyond chance; evaluates and predicts', async () => {
  const { dir, cleanup } = await tempDir();
  const client = new MlClient(forkSpawner());
  try {
    const backend = await client.backend();
    assertExpectedBackend(backend);
    const file = await digitsFile(dir, 40);
    const out = path.join(dir, 'model');
    const events: TrainEvent[] = [];
    const outcome = await client.train(request(file, out, { epochs: 5 }), (e) => events.push(e));
    assert.equal(outcome.state, 'succeeded');
    assert.equal(outcome.modelSaved, true);
    assert.ok(outcome.metrics!.valAccuracy > 0.6, `validation accuracy ${outcome.metrics!.valAccuracy} is far beyond chance (0.1)`);
    assert.equal(events.filter((e) => e.kind === 'epoch').length, 5);
    const batch = events.find((e) => e.kind === 'batch');
    assert.ok(batch && batch.kind === 'batch' && batch.imagesPerSec > 0 && batch.progress.total === 5 * 10);
    for (const f of ['model.json', 'weights.bin', 'metadata.json']) await fs.access(path.join(out, f));
    const meta = JSON.parse(await fs.readFile(path.join(out, 'metadata.json'), 'utf8'));
    assert.equal(meta.backend, backend.label);
    assert.equal(meta.dataset.trainCount + meta.dataset.valCount, 400);

    const progress: [number, number][] = [];
    const evaluation = await client.evaluate(out, [file], { onProgress: (done, total) => progress.push([done, total]) });
    assert.deepEqual(progress, [[0, 400], [400, 400]], 'progress from nothing to everything');
    assert.equal(evaluation.count, 400);
    assert.ok(evaluation.accuracy > 0.6);
    assert.equal(evaluation.confusion.flat().reduce((a, b) => a + b, 0), 400);
    assert.equal(evaluation.misclassified.length, evaluation.misclassifiedCount);
    const m = evaluation.misclassified[0]!;
    assert.notEqual(m.label, m.predicted);
    // Correct readings for the diagonal: per digit at most 48, the least sure first.
    for (let d = 0; d < 10; d++) {
      const kept = evaluation.correct.filter((c) => c.label === d);
      assert.ok(kept.every((c) => c.predicted === d));
      assert.equal(kept.length, Math.min(48, evaluation.confusion[d]![d]!), `digit ${d}`);
      const sure = kept.map((c) => c.probabilities[d]!);
      assert.deepEqual(sure, [...sure].sort((a, b) => a - b), `digit ${d}: least sure first`);
    }
    assert.equal(m.probabilities.length, 10);

    const ds = await digits(1);
    const inputs = [0, 5, 9].map((d) => ds.pixels.slice(d * 784, d * 784 + 784));
    const probs = await client.predict(out, inputs);
    assert.equal(probs.length, 3);
    for (const p of probs) assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-4);
    assert.deepEqual(await client.predict(out, inputs), probs, 'the cached model predicts the same');
    await assert.rejects(client.predict(path.join(dir, 'nope'), inputs), UserError);
  } finally {
    await client.dispose();
    await cleanup();
  }
});

test('cancel stops training and keeps the best model so far', async () => {
  const { dir, cleanup } = await tempDir();
  const client = new MlClient(forkSpawner());
  try {
    const file = await digitsFile(dir, 20);
    const out = path.join(dir, 'model');
    const controller = new AbortController();
    let epochs = 0;
    const outcome = await client.train(
      request(file, out, { epochs: 200 }),
      (e) => {
        if (e.kind === 'epoch' && ++epochs === 2) controller.abort();
      },
      controller.signal,
    );
    assert.equal(outcome.state, 'canceled');
    assert.equal(outcome.modelSaved, true);
    assert.ok(outcome.epochs.length >= 2 && outcome.epochs.length <= 3, `stopped promptly (${outcome.epochs.length} epochs)`);
    const p = await client.predict(out, [new Uint8Array(784)]);
    assert.equal(p[0]!.length, 10);
  } finally {
    await client.dispose();
    await cleanup();
  }
});

test('a huge learning rate stops with an explanation and saves nothing', async () => {
  const { dir, cleanup } = await tempDir();
  const client = new MlClient(forkSpawner());
  try {
    const file = await digitsFile(dir, 10);
    const out = path.join(dir, 'model');
    await assert.rejects(client.train(request(file, out, { learningRate: 1e6 }), () => undefined), (err: unknown) => {
      assert.ok(err instanceof UserError);
      assert.match((err as Error).message, /NaN|infinite/);
      return true;
    });
    await assert.rejects(fs.access(out), 'no model folder was written');
    const leftovers = (await fs.readdir(dir)).filter((n) => n.includes('model'));
    assert.deepEqual(leftovers, [], 'no temp folder either');
  } finally {
    await client.dispose();
    await cleanup();
  }
});

test('training process killed mid-epoch: clear error, last good model and run history intact, next run starts cleanly', async () => {
  const { dir, cleanup } = await tempDir();
  const { spawn, handles } = recordingSpawner();
  const client = new MlClient(spawn);
  try {
    const file = await digitsFile(dir, 20);
    const dataDir = path.join(dir, 'data');
    const library = await ModelLibrary.open(dataDir);
    const history = await RunHistory.open(dataDir);
    const manager = new TrainingManager(client, library, history);
    const settings = { ...DEFAULT_TRAIN_SETTINGS, datasetIds: ['x'], model: 'seed' as const, epochs: 2, batchSize: 32, augment: false };

    const first = await manager.start(settings, { files: [file], trainedOn: 'test' });
    const good = await first.done;
    assert.equal(good.state, 'succeeded', good.error ?? '');
    assert.ok(good.modelId && library.active()?.id === good.modelId);

    let killed = false;
    const second = await manager.start({ ...settings, epochs: 50 }, { files: [file], trainedOn: 'test' }, (e) => {
      if (!killed && e.kind === 'batch' && e.point.epoch === 2) {
        killed = true;
        handles[handles.length - 1]!.kill(); // SIGKILL, mid-epoch
      }
    });
    const failed = await second.done;
    assert.ok(killed);
    assert.equal(failed.state, 'failed');
    assert.match(failed.error ?? '', /the training process stopped unexpectedly \(signal SIGKILL\)/);
    assert.equal(failed.modelId, null);

    // The last good model is still the active one and still predicts.
    assert.equal(library.active()?.id, good.modelId);
    const p = await client.predict(library.dirOf(good.modelId!), [new Uint8Array(784)]);
    assert.equal(p[0]!.length, 10);
    // The run history on disk says what happened, and survives a reopen.
    const reopened = await RunHistory.open(dataDir);
    assert.equal(reopened.get(good.id).state, 'succeeded');
    const detail = reopened.get(failed.id);
    assert.equal(detail.state, 'failed');
    assert.ok(detail.epochs.length >= 1, 'the completed epoch was recorded');
    const lib2 = await ModelLibrary.open(dataDir);
    assert.deepEqual(lib2.list().map((m) => m.id), [good.modelId]);
    assert.deepEqual(lib2.problems(), []);

    // A new run starts cleanly.
    const third = await (await manager.start(settings, { files: [file], trainedOn: 'test' })).done;
    assert.equal(third.state, 'succeeded', third.error ?? '');
  } finally {
    await client.dispose();
    await cleanup();
  }
});

test('a crashed inference process rejects the pending call and the next call starts a fresh one', async () => {
  const { dir, cleanup } = await tempDir();
  const { spawn, handles } = recordingSpawner();
  const client = new MlClient(spawn);
  try {
    const file = await digitsFile(dir, 20);
    await client.backend();
    const evaluating = client.evaluate(path.join(dir, 'missing-model'), [file]);
    handles[0]!.kill();
    await assert.rejects(evaluating, /the ML process stopped unexpectedly \(signal SIGKILL\)/);
    assertExpectedBackend(await client.backend());
    await assert.rejects(client.evaluate(path.join(dir, 'missing-model'), [file]), UserError);
    assert.ok(handles.length >= 2, 'a new process was started');
  } finally {
    await client.dispose();
    await cleanup();
  }
});

test('evaluation reports progress step by step, and cancel stops the computation in the ML process, which stays warm', async () => {
  const { dir, cleanup } = await tempDir();
  const { spawn, handles } = recordingSpawner();
  const client = new MlClient(spawn);
  try {
    const file = await digitsFile(dir, 800); // 8,000 digits: four steps of 2,048
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const seen: number[] = [];
    const full = await client.evaluate(model, [file], { onProgress: (done, total) => (assert.equal(total, 8000), seen.push(done)) });
    assert.deepEqual(seen, [0, 2048, 4096, 6144, 8000]);
    assert.equal(full.count, 8000);

    const controller = new AbortController();
    const reached: number[] = [];
    const canceled = client.evaluate(model, [file], {
      signal: controller.signal,
      onProgress: (done) => {
        reached.push(done);
        if (done > 0) controller.abort();
      },
    });
    await assert.rejects(canceled, (err: unknown) => err instanceof UserError && /the evaluation was canceled/.test(err.message));
    assert.ok(reached.at(-1)! < 8000, `stopped before the end (reached ${reached.join(', ')})`);
    // The same warm process answers the next call: cancel did not kill it.
    const again = await client.evaluate(model, [file]);
    assert.equal(again.count, 8000);
    assert.equal(handles.length, 1, 'no new process was started');
    await assert.rejects(client.evaluate(model, [file], { signal: AbortSignal.abort() }));
  } finally {
    await client.dispose();
    await cleanup();
  }
});
