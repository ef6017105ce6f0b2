// After a cancel, the client waits for the training process as long as it keeps making progress
// (saving the best model can take a while on a large set or a slow disk), and ends it only once it
// has been silent for the grace period, then says truthfully whether a model was saved. Mocked
// timers and a stand-in process: no wall-clock waits.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MlClient } from '../../../main/models/ml-client';
import type { MlProcessHandle } from '../../../main/models/spawner';
import type { TrainOutcome, TrainRequest } from '../../../main/ml-process/protocol';

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
