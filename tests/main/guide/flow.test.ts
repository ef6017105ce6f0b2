// The guided flow behind the contract, with the real services and ML process: collecting survives
// a restart in the middle, undo really removes the drawing from the handwriting set, the check and
// the before/after are computed on held-out samples the fine-tune never saw, a cancelled fine-tune
// leaves the base model active and the samples saved, and only "Use this model" changes the active model.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type EventName, type Events, type GuideState, type Task } from '../../../preload/contract';
import { createServices } from '../../../main/services/create-services';
import type { Services, ServicePorts } from '../../../main/services/ports';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { BUILTIN_MODEL_ID, builtinModelDir } from '../../../main/models/builtin-model';
import { loadStarterDataset } from '../../../main/data/starter';
import { imageAt, type Dataset } from '../../../main/data/dataset';
import { CUSTOM_ID } from '../../../main/data/library-ids';
import { QueuedDialogs } from '../../harness/dialogs';

let dir: string;
let services: Services;
let digits: Dataset;
const events: { name: EventName; payload: unknown }[] = [];
let baseId: string;

function ports(): ServicePorts {
  return {
    dataDir: path.join(dir, 'data'),
    appVersion: '9.9.9',
    dialogs: new QueuedDialogs(),
    emit: (name, payload) => events.push({ name, payload }),
    spawnMl: forkSpawner(),
    log: () => undefined,
    builtinModelDir: builtinModelDir(),
    // A tiny fine-tune: the flow's logic is under test here, not the recipe.
    guide: { recipe: { epochs: 2, batchSize: 16, augment: false, valSplit: 0.1 } },
  };
}

function waitFor<E extends EventName>(name: E, match: (p: Events[E]) => boolean, timeoutMs = 300_000): Promise<Events[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(check);
      reject(new Error(`no ${name} event matched in time`));
    }, timeoutMs);
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

/** Draws what the flow asks for with a real MNIST digit (the k-th of that digit). */
// From the 50th of each digit on: not the ones the small base model learnt from.
const used = Array.from({ length: 10 }, () => 50);
async function drawPrompt(state: GuideState): Promise<GuideState> {
  const d = state.prompt!;
  let seen = -1;
  for (let i = 0; i < digits.count; i++) {
    if (digits.labels[i] === d && ++seen === used[d]) {
      used[d]!++;
      const pixels = Buffer.from(imageAt(digits, i)).toString('base64');
      return services.handlers.guideAddDrawing({ width: 28, height: 28, pixels, label: d }) as Promise<GuideState>;
    }
  }
  throw new Error(`no digit ${d} left`);
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-guide-'));
  digits = await loadStarterDataset(90);
  services = await createServices(ports());
  // The flow starts from the shipped base model (the model library's built-in entry).
  assert.ok(builtinModelDir(), 'the base model ships in resources/base-model');
  baseId = BUILTIN_MODEL_ID;
  assert.equal((await services.handlers.listModels()).find((m) => m.active)?.id, baseId);
});

after(async () => {
  await services?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('collect, undo, restart in the middle of collecting: nothing collected is lost', async () => {
  let state = await services.handlers.guideState();
  assert.equal(state.step, 'intro');
  await assert.rejects(async () => services.handlers.guideAddDrawing({ width: 1, height: 1, pixels: 'AA==', label: 1 }), /Collecting is over/);
  state = await services.handlers.guideStart({ perDigit: 3, fresh: false });
  assert.equal(state.step, 'collect');
  assert.equal(state.baseModelId, baseId);
  for (let i = 0; i < 12; i++) state = await drawPrompt(state);
  assert.equal(state.drawn, 12);
  assert.equal(state.counts.reduce((a, b) => a + b, 0), 12);
  const custom = () => Promise.resolve(services.handlers.listDatasets()).then((l) => l.find((d) => d.id === CUSTOM_ID)!);
  assert.equal((await custom()).count, 12, 'each drawing is in the handwriting set at once');

  // Undo: out of the flow and out of the handwriting set, and its digit is asked for again.
  const before = state;
  state = await services.handlers.guideUndo();
  assert.equal(state.drawn, 11);
  assert.equal((await custom()).count, 11);
  const undone = before.counts.findIndex((n, d) => n !== state.counts[d]);
  assert.equal(state.prompt, undone);

  // Skip moves on to another digit.
  const skipped = state.prompt;
  state = await services.handlers.guideSkip();
  assert.notEqual(state.prompt, skipped);

  // Restart: the services (the app) close and open again on the same data folder.
  const counts = state.counts;
  const prompt = state.prompt;
  await services.dispose();
  services = await createServices(ports());
  state = await services.handlers.guideState();
  assert.equal(state.step, 'collect');
  assert.equal(state.drawn, 11);
  assert.deepEqual(state.counts, counts);
  assert.equal(state.prompt, prompt);
  while (state.prompt !== null) state = await drawPrompt(state);
  assert.equal(state.drawn, 30);
  assert.ok(state.counts.every((n) => n === 3));
  const saved = JSON.parse(await readFile(path.join(dir, 'data', 'guide', 'state.json'), 'utf8')) as { samples: unknown[] };
  assert.equal(saved.samples.length, 30);
  // Asking for more of each digit later keeps everything and asks again.
  state = await services.handlers.guideStart({ perDigit: 4, fresh: false });
  assert.equal(state.drawn, 30);
  assert.notEqual(state.prompt, null);
});

test('check, a cancelled fine-tune, a finished one: before/after on held-out samples only, the base model active until chosen', async () => {
  const check = await services.handlers.guideCheck();
  const checked = await taskEnded(check.id);
  assert.equal(checked.state, 'succeeded', checked.error ?? '');
  let state = await services.handlers.guideState();
  assert.equal(state.step, 'check');
  assert.equal(state.heldOut, 10, 'one of every three samples of each digit (20%, at least one)');
  assert.equal(state.check!.count, 10);
  assert.equal(state.check!.modelId, baseId);
  const heldKeys = state.check!.readings.map((r) => r.key).sort();
  const right = state.check!.readings.filter((r) => r.predicted === r.label).length;
  assert.equal(state.check!.accuracy, right / 10);

  // Cancel a fine-tune as soon as it trains: the base model stays active, the samples stay saved.
  const first = await services.handlers.guideFineTune();
  await waitFor('train', (e) => e.kind === 'batch');
  await services.handlers.cancelTask({ taskId: first.id });
  await taskEnded(first.id);
  state = await services.handlers.guideState();
  assert.equal(state.step, 'check');
  assert.deepEqual(state.note, { kind: 'cancelled', model: state.baseModelName });
  assert.equal(state.phase, null, 'no task runs, so no phase');
  assert.equal((await services.handlers.listModels()).find((m) => m.active)!.id, baseId);
  assert.equal(state.drawn, 30);

  const second = await services.handlers.guideFineTune();
  const tuned = await taskEnded(second.id);
  assert.equal(tuned.state, 'succeeded', tuned.error ?? '');
  state = await services.handlers.guideState();
  assert.equal(state.step, 'result');
  const result = state.result!;
  // Before and after read exactly the held-out samples, and the fine-tune learnt from the other 20.
  assert.deepEqual(result.before.readings.map((r) => r.key).sort(), heldKeys);
  assert.deepEqual(result.after.readings.map((r) => r.key).sort(), heldKeys);
  assert.equal(result.trainCount, 20);
  const model = (await services.handlers.listModels()).find((m) => m.id === result.modelId)!;
  assert.match(model.trainedOn, /^20 samples/);
  assert.equal(model.baseModelId, baseId);
  for (const k of result.fixed) {
    assert.notEqual(result.before.readings.find((r) => r.key === k)!.predicted, result.before.readings.find((r) => r.key === k)!.label);
  }
  // Not active until the user says so.
  assert.equal(result.active, false);
  assert.equal((await services.handlers.listModels()).find((m) => m.active)!.id, baseId);
  state = await services.handlers.guideUseModel();
  assert.equal(state.result!.active, true);
  assert.equal((await services.handlers.listModels()).find((m) => m.active)!.id, result.modelId);
});
