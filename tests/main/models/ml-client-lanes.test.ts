// Issue 12: a reading on the pad never waits behind long work. The ML process serves one request at
// a time, so the client gives pad readings a warm process of their own. First with stand-in
// processes that serve their requests in order, as ml-worker.ts does (an evaluation holds its
// process until the test lets it finish), then with real processes and a real evaluation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MlClient } from '../../../main/models/ml-client';
import { forkSpawner } from '../../../main/models/fork-spawner';
import type { MlProcessHandle, MlSpawner } from '../../../main/models/spawner';
import { PredictionService } from '../../../main/services/prediction-service';
import type { ModelLibrary } from '../../../main/models/model-library';
import type { ModelSummary } from '../../../preload/contract';
import { digits, digitsFile, tempDir } from '../../helpers/ml-fixtures';
import { writeUntrainedModel } from '../../helpers/cli-fixtures';

interface StandIn {
  handle: MlProcessHandle;
  /** Message types this process received, in order. */
  received: string[];
  /** Lets the evaluation this process is on finish. */
  finishEvaluation(): void;
}

/** Stand-in ML processes serving one request at a time, in order; an evaluation waits for the test. */
function standInSpawner(): { spawn: MlSpawner; processes: StandIn[] } {
  const processes: StandIn[] = [];
  let pid = 1000;
  const spawn: MlSpawner = () => {
    const queue: { type: string; id: number }[] = [];
    const received: string[] = [];
    let listener: (m: unknown) => void = () => undefined;
    let onExit: (code: number | null, signal: string | null) => void = () => undefined;
    let busy = false;
    let dead = false;
    let releaseEvaluation = (): void => undefined;
    const next = (): void => {
      if (busy || dead || queue.length === 0) return;
      const m = queue.shift()!;
      busy = true;
      const answer = (value: unknown): void => {
        if (dead) return;
        busy = false;
        listener({ type: 'result', id: m.id, value });
        next();
      };
      if (m.type === 'evaluate') releaseEvaluation = () => answer({ count: 1 });
      else setImmediate(() => answer(m.type === 'predict' ? [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]] : null));
    };
    const handle: MlProcessHandle = {
      send: (message) => {
        const m = message as { type: string; id: number };
        received.push(m.type);
        if (m.type === 'cancel' || m.type === 'exit') return;
        queue.push(m);
        next();
      },
      onMessage: (l) => void (listener = l),
      onExit: (l) => void (onExit = l),
      kill: () => {
        if (dead) return;
        dead = true;
        onExit(null, 'SIGKILL');
      },
      pid: pid++,
    };
    processes.push({ handle, received, finishEvaluation: () => releaseEvaluation() });
    return handle;
  };
  return { spawn, processes };
}

/**
 * Whether `p` settles before the stand-ins have nothing left to do. They answer within one
 * setImmediate, so 20 turns of the event loop are plenty; a call held behind the evaluation never
 * settles, and this says false instead of hanging (no wall-clock time involved).
 */
async function settlesWhileEvaluating(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(() => (settled = true), () => (settled = true));
  for (let turn = 0; turn < 20 && !settled; turn++) await new Promise((r) => setImmediate(r));
  return settled;
}

const input = new Uint8Array(784);

test('a pad reading asked during an evaluation is answered before it, by a process of its own; a bulk reading still queues', async () => {
  const { spawn, processes } = standInSpawner();
  const client = new MlClient(spawn);
  const evaluation = client.evaluate('/models/m', ['/data/set.dsb']);
  const pad = client.predict('/models/m', [input], { lane: 'pad' });
  const bulk = client.predict('/models/m', [input, input]);
  assert.equal(await settlesWhileEvaluating(pad), true, 'the pad reading was answered during the evaluation');
  assert.deepEqual(await pad, [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]);
  assert.equal(processes.length, 2);
  assert.deepEqual(processes[0]!.received, ['evaluate', 'predict'], 'the long lane: the evaluation, then the bulk reading');
  assert.deepEqual(processes[1]!.received, ['predict'], 'the pad lane had only the pad reading');
  // The stand-in serves in order: the bulk reading behind the evaluation is still waiting.
  assert.equal(await settlesWhileEvaluating(bulk), false, 'the bulk reading waits for the evaluation');
  processes[0]!.finishEvaluation();
  assert.deepEqual(await evaluation, { count: 1 });
  assert.equal(await settlesWhileEvaluating(bulk), true, 'then the bulk reading is answered');
  // Both lanes stay warm: no new process for the next calls.
  await client.predict('/models/m', [input], { lane: 'pad' });
  assert.equal(processes.length, 2);
  await client.dispose();
  assert.ok(processes.every((p) => p.received.at(-1) === 'exit'), 'both lanes were asked to exit');
});

test('a crashed pad process rejects its reading, leaves the evaluation running, and the next reading starts a fresh one', async () => {
  const { spawn, processes } = standInSpawner();
  const client = new MlClient(spawn);
  try {
    const evaluation = client.evaluate('/models/m', ['/data/set.dsb']);
    await client.predict('/models/m', [input], { lane: 'pad' });
    const padPid = client.lanePid('pad');
    const pending = client.predict('/models/m', [input], { lane: 'pad' });
    processes[1]!.handle.kill();
    await assert.rejects(pending, /the ML \(pad\) process stopped unexpectedly \(signal SIGKILL\)/);
    assert.equal(client.lanePid('pad'), undefined);
    assert.deepEqual(await client.predict('/models/m', [input], { lane: 'pad' }), [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]);
    assert.equal(processes.length, 3, 'a fresh pad process was started');
    assert.notEqual(client.lanePid('pad'), padPid);
    assert.deepEqual(processes[0]!.received, ['evaluate'], 'the long lane saw nothing of it');
    processes[0]!.finishEvaluation();
    assert.deepEqual(await evaluation, { count: 1 }, 'the evaluation was not disturbed');
  } finally {
    await client.dispose();
  }
});

test('warm(pad) starts the pad process ahead of the first stroke; after dispose it starts nothing', async () => {
  const { spawn, processes } = standInSpawner();
  const client = new MlClient(spawn);
  await client.warm('pad');
  assert.equal(processes.length, 1);
  assert.deepEqual(processes[0]!.received, ['backend']);
  assert.equal(client.lanePid('pad'), processes[0]!.handle.pid);
  assert.equal(client.lanePid('long'), undefined, 'the long lane was not started by it');
  await client.predict('/models/m', [input], { lane: 'pad' });
  assert.equal(processes.length, 1, 'the first reading used the warmed process');
  await client.dispose();
  await client.warm('pad');
  assert.equal(processes.length, 1, 'nothing started after dispose');
});

test('the pad (predictDrawing) reads on the pad lane, so it is answered while an evaluation holds the long lane', async () => {
  const { spawn, processes } = standInSpawner();
  const client = new MlClient(spawn);
  const model = { id: 'm1', name: 'm1', arch: 'seed', createdAt: '', valAccuracy: null, trainedOn: '', backend: 'wasm', baseModelId: null, active: true } as ModelSummary;
  const models = { list: () => [model], dirOf: () => '/models/m1' } as unknown as ModelLibrary;
  const service = new PredictionService({ dialogs: { openPaths: async () => null } } as never, client, models);
  try {
    const evaluation = client.evaluate('/models/m1', ['/data/set.dsb']);
    const pixels = Buffer.alloc(40 * 40);
    for (let y = 5; y < 35; y++) pixels[y * 40 + 20] = 255;
    const drawing = service.predictDrawing({ width: 40, height: 40, pixels: pixels.toString('base64') });
    assert.equal(await settlesWhileEvaluating(drawing), true);
    assert.equal((await drawing).digit, 3);
    const reread = service.predictInput({ input: (await drawing).input });
    assert.equal(await settlesWhileEvaluating(reread), true);
    assert.deepEqual(processes[0]!.received, ['evaluate']);
    processes[0]!.finishEvaluation();
    await evaluation;
  } finally {
    await client.dispose();
  }
});

test('real processes: a pad reading asked while a real evaluation runs is answered before the evaluation ends', async () => {
  const { dir, cleanup } = await tempDir();
  const client = new MlClient(forkSpawner());
  try {
    // 20,000 real digits: ten steps of ~2,000 on the long lane.
    const file = await digitsFile(dir, 2000);
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const seven = (await digits(1)).pixels.subarray(7 * 784, 8 * 784);
    // Warm the pad lane first (its process starts and loads the model once), as the pad does on its first stroke.
    const before = await client.predict(model, [seven], { lane: 'pad' });
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let settled = false;
    const controller = new AbortController();
    const evaluation = client
      .evaluate(model, [file], { signal: controller.signal, onProgress: (done) => done > 0 && started() })
      .finally(() => (settled = true));
    evaluation.catch(() => undefined);
    // Once the evaluation has done its first step, it is computing the rest: read on the pad now.
    await running;
    const during = await client.predict(model, [seven], { lane: 'pad' });
    assert.equal(settled, false, 'the pad reading came back while the evaluation was still running');
    assert.deepEqual(during, before, 'the same reading as before');
    assert.notEqual(client.lanePid('pad'), client.lanePid('long'));
    controller.abort();
    await assert.rejects(evaluation, /canceled/);
  } finally {
    await client.dispose();
    await cleanup();
  }
});

/** A process's nice value (Linux: its main thread's), from /proc. */
async function niceOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which is in parentheses and may hold spaces): nice is field 19.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
}

test('with backgroundLongWork (the app), training and the long lane run at below-normal priority, the pad lane at normal', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const { dir, cleanup } = await tempDir();
  const client = new MlClient(forkSpawner(), { backgroundLongWork: true });
  try {
    const own = os.getPriority();
    const file = await digitsFile(dir, 20);
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    await client.backend();
    await client.predict(model, [input], { lane: 'pad' });
    assert.ok((await niceOf(client.lanePid('long')!)) > own, 'the long lane runs below normal');
    assert.equal(await niceOf(client.lanePid('pad')!), own, 'the pad lane runs at normal priority');
    let trainingNice: Promise<number> | null = null;
    const outcome = await client.train(
      { runId: 'r', datasetFiles: [file], model: 'seed', valSplit: 0.2, epochs: 1, batchSize: 32, learningRate: 0.002, augment: false, seed: 1,
        earlyStopping: false, baseModelDir: null, baseModelId: null, freezeFeatures: false, outDir: path.join(dir, 'trained'), name: 't', trainedOn: 't' },
      () => void (trainingNice ??= niceOf(client.trainingPids()[0]!)),
    );
    assert.equal(outcome.state, 'succeeded');
    assert.ok(trainingNice, 'the training process reported');
    assert.ok((await trainingNice) > own, 'the training process runs below normal');
  } finally {
    await client.dispose();
    await cleanup();
  }
});
