// The task registry: states, progress coalescing, cancel, errors, and listTasks for reattaching.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Task } from '../../../preload/contract';
import { TaskRegistry } from '../../../main/services/tasks';
import { UserError } from '../../../main/util/errors';

function registry(interval = 0) {
  const events: Task[] = [];
  const logs: string[] = [];
  const tasks = new TaskRegistry({ emit: (t) => events.push(t), log: (l) => logs.push(l), progressIntervalMs: interval });
  return { tasks, events, logs };
}

test('a task starts running, reports progress and succeeds with its result id', async () => {
  const { tasks, events } = registry();
  const first = tasks.start('import', 'Importing a.zip', async (c) => {
    c.progress({ done: 1, total: 4, unit: 'files' }, '1 of 4');
    c.progress({ done: 4, total: 4, unit: 'files' }, '4 of 4');
    return 'dataset-1';
  });
  assert.equal(first.state, 'running');
  assert.equal(first.kind, 'import');
  const done = await tasks.settled(first.id);
  assert.equal(done?.state, 'succeeded');
  assert.equal(done?.resultId, 'dataset-1');
  assert.ok(done?.endedAt);
  assert.deepEqual(done?.progress, { done: 4, total: 4, unit: 'files' });
  assert.equal(events[0]!.state, 'running');
  assert.equal(events.at(-1)!.state, 'succeeded');
  assert.ok(events.some((e) => e.message === '1 of 4'), 'progress is emitted');
  assert.deepEqual(tasks.list().map((t) => t.id), [first.id]);
});

test('a failing task keeps the error message; internal errors are logged, user errors are not', async () => {
  const { tasks, logs } = registry();
  const a = tasks.start('train', 'Training', async () => {
    throw new UserError('digits.zip: not a zip file');
  });
  const b = tasks.start('evaluate', 'Evaluating', async () => {
    throw new TypeError('x is undefined');
  });
  assert.equal((await tasks.settled(a.id))?.error, 'digits.zip: not a zip file');
  assert.equal((await tasks.settled(b.id))?.state, 'failed');
  assert.equal(tasks.get(b.id)?.error, 'x is undefined');
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /Evaluating failed/);
});

test('cancel aborts the signal and ends the task as canceled, keeping a result set early', async () => {
  const { tasks, events } = registry();
  let started!: () => void;
  const running = new Promise<void>((r) => (started = r));
  const t = tasks.start('train', 'Training', async (c) => {
    c.setResult('run-7');
    const aborted = new Promise<void>((resolve) => c.signal.addEventListener('abort', () => resolve()));
    started();
    await aborted;
    return null;
  });
  await running; // the work is under way, listening for the abort
  tasks.cancel(t.id);
  const done = await tasks.settled(t.id);
  assert.equal(done?.state, 'canceled');
  assert.equal(done?.resultId, 'run-7');
  assert.ok(events.some((e) => e.message === 'Canceling…'));
  // Canceling a finished task changes nothing; an unknown id is a readable error.
  tasks.cancel(t.id);
  assert.equal(tasks.get(t.id)?.state, 'canceled');
  assert.throws(() => tasks.cancel('nope'), UserError);
});

test('frequent progress is coalesced but the latest state always arrives', async (t) => {
  // The registry's clock and timers are mocked: the interval passes when the test says so.
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const { tasks, events } = registry(50);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let reported!: () => void;
  const allReported = new Promise<void>((r) => (reported = r));
  const task = tasks.start('import', 'Importing', async (c) => {
    for (let i = 1; i <= 1000; i++) c.progress({ done: i, total: 1000, unit: 'rows' });
    reported();
    await gate;
    return null;
  });
  await allReported;
  const progressEvents = () => events.filter((e) => e.id === task.id && e.state === 'running' && e.progress);
  assert.equal(progressEvents().length, 0, 'within 50 ms of the start event, progress waits');
  t.mock.timers.tick(49);
  assert.equal(progressEvents().length, 0, 'still within the interval');
  t.mock.timers.tick(1);
  assert.equal(progressEvents().length, 1, '1,000 updates coalesced into one event');
  assert.equal(progressEvents()[0]!.progress!.done, 1000, 'carrying the latest state');
  t.mock.timers.tick(1000);
  assert.equal(progressEvents().length, 1, 'nothing new, nothing sent');
  release();
  const done = await tasks.settled(task.id);
  assert.equal(done?.state, 'succeeded');
});

test('dispose cancels running tasks and waits for them', async () => {
  const { tasks } = registry();
  const t = tasks.start('import', 'Importing', (c) => new Promise((resolve) => c.signal.addEventListener('abort', () => resolve(null))));
  await tasks.dispose();
  assert.equal(tasks.get(t.id)?.state, 'canceled');
});

test('only the most recent finished tasks are kept', async () => {
  const events: Task[] = [];
  const tasks = new TaskRegistry({ emit: (t) => events.push(t), keepFinished: 3 });
  for (let i = 0; i < 6; i++) await tasks.settled(tasks.start('import', `t${i}`, async () => null).id);
  assert.deepEqual(tasks.list().map((t) => t.title), ['t3', 't4', 't5']);
});
