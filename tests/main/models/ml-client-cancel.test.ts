// After a cancel, the client waits for the training process as long as it keeps making progress
// (saving the best model can take a while on a large set or a slow disk), and ends it only once it
// has been silent for the grace period, then says truthfully whether a model was saved. Mocked
// timers and a stand-in process: no wall-clock waits.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MlClient } from '../../../main/models/ml-client';
import type { MlProcessHandle } from '../../../main/models/spawner';
import type { TrainOutcome, TrainRequest } from '../../../main/ml-process/protocol';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { digitsFile, tempDir } from '../../helpers/ml-fixtures';

/** A stand-in training process the test drives by hand. */
function standIn() {
  const sent: { type: string; id?: number }[] = [];
  let listener: (m: unknown) => void = () => undefined;
  let onExit: (code: number | null, signal: string | null) => void = () => undefined;
  let killed = false;
  const handle: MlProcessHandle = {
    send: (m) => void sent.push(m as { type: string; id?: number }),
    onMessage: (l) => void (listener = l),
    onExit: (l) => void (onExit = l),
    kill: () => {
      if (killed) return;
      killed = true;
      onExit(null, 'SIGKILL');
    },
    pid: 4242,
  };
  const trainId = () => sent.find((m) => m.type === 'train')!.id!;
  return {
    handle,
    sent,
    killed: () => killed,
    status: (message: string) => listener({ type: 'event', id: trainId(), event: { runId: 'r', kind: 'status', message } }),
    finish: (value: Partial<TrainOutcome>) => listener({ type: 'result', id: trainId(), value }),
  };
}

const request = (outDir: string): TrainRequest => ({
  runId: 'r', datasetFiles: ['/x.dsb'], model: 'seed', valSplit: 0.5, epochs: 5, batchSize: 32, learningRate: 0.002,
  augment: false, seed: 1, earlyStopping: false, baseModelDir: null, baseModelId: null, freezeFeatures: false,
  outDir, name: 'm', trainedOn: 'x',
});

test('after a cancel, a process still reporting progress is waited for, past the grace period, and its save is kept', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
  const p = standIn();
  const client = new MlClient(() => p.handle, { cancelGraceMs: 5000 });
  const controller = new AbortController();
  const outcome = client.train(request('/tmp/none'), () => undefined, controller.signal);
  controller.abort();
  assert.ok(p.sent.some((m) => m.type === 'cancel'), 'the cancel was sent');
  // Stopping and saving on a large validation set: 12 s in all, a message every 3 s.
  for (const message of ['canceled: keeping the best model so far', 'saving the model', 'still saving', 'written']) {
    t.mock.timers.tick(3000);
    p.status(message);
  }
  assert.equal(p.killed(), false, 'not killed while it keeps reporting');
  p.finish({ state: 'canceled', modelSaved: true });
  const result = await outcome;
  assert.equal(result.state, 'canceled');
  assert.equal(result.modelSaved, true);
  await client.dispose();
});

test('a process silent for the grace period after a cancel is ended, and the message says whether a model was saved', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-cancel-'));
  try {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    for (const saved of [false, true]) {
      const out = path.join(dir, saved ? 'saved' : 'none');
      if (saved) {
        await mkdir(out);
        await writeFile(path.join(out, 'weights.bin'), 'w');
        await writeFile(path.join(out, 'model.json'), '{}');
      }
      const p = standIn();
      const client = new MlClient(() => p.handle, { cancelGraceMs: 5000 });
      const controller = new AbortController();
      const outcome = client.train(request(out), () => undefined, controller.signal);
      const rejected = assert.rejects(outcome, saved ? /was ended.*the model it had saved is kept/ : /was ended.*no model was saved/);
      controller.abort();
      t.mock.timers.tick(3000);
      p.status('saving the model');
      t.mock.timers.tick(4000);
      assert.equal(p.killed(), false, 'heard from 4 s ago: still within the grace period');
      t.mock.timers.tick(2000);
      assert.equal(p.killed(), true, 'silent for more than 5 s: ended');
      await rejected;
      await client.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('Ctrl-C on a large validation set: the real ML process stops and saves the best model at once, with its measured metrics', async () => {
  const { dir, cleanup } = await tempDir();
  // The client ends a process silent for 2.5 s after the cancel: far more than saving takes, not
  // enough to measure ~5,000 validation samples again (before the fix this run lost its model).
  const client = new MlClient(forkSpawner(), { cancelGraceMs: 2500 });
  try {
    const file = await digitsFile(dir, 1000); // 10,000 real digits: 5,000 for validation
    const out = path.join(dir, 'model');
    const controller = new AbortController();
    let epochs = 0;
    const statuses: string[] = [];
    const outcome = await client.train(
      { ...request(path.join(dir, 'none')), datasetFiles: [file], outDir: out, epochs: 3, batchSize: 128, valSplit: 0.5 },
      (e) => {
        if (e.kind === 'epoch') epochs++;
        if (e.kind === 'status') statuses.push(e.message);
        if (e.kind === 'batch' && epochs === 1) controller.abort();
      },
      controller.signal,
    );
    assert.ok(outcome.valCount > 4500, `a large validation set (${outcome.valCount})`);
    assert.equal(outcome.state, 'canceled');
    assert.equal(outcome.modelSaved, true, statuses.join(' | '));
    assert.equal(outcome.epochs.length, 1);
    assert.equal(outcome.metrics!.valLoss, outcome.epochs[0]!.valLoss, 'the metrics measured for the model kept');
    assert.ok(statuses.some((s) => /keeping the best model so far \(epoch 1\)/.test(s)), statuses.join(' | '));
    await fs.access(path.join(out, 'weights.bin'));
  } finally {
    await client.dispose();
    await cleanup();
  }
});
