import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES, type CallName, type Handlers } from '../../../preload/contract';
import { createDispatcher } from '../../../main/ipc/dispatch';
import { UserError } from '../../../main/util/errors';
import { VALID_ARGS } from './call-examples';

/** Handlers that record what they were called with and answer with their own name. */
function recordingHandlers(): { handlers: Handlers; calls: { name: string; args: unknown[] }[] } {
  const calls: { name: string; args: unknown[] }[] = [];
  const handlers = Object.fromEntries(
    CALL_NAMES.map((name) => [
      name,
      async (...args: unknown[]) => {
        calls.push({ name, args });
        return { answeredBy: name };
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

test('every call reaches its handler with the validated arguments', async () => {
  const { handlers, calls } = recordingHandlers();
  const dispatch = createDispatcher(handlers, { log: () => undefined });
  for (const name of CALL_NAMES) {
    const result = await dispatch(name, VALID_ARGS[name] as unknown[]);
    assert.deepEqual(result, { ok: true, value: { answeredBy: name } });
  }
  assert.deepEqual(
    calls.map((c) => c.name),
    CALL_NAMES,
  );
  for (const c of calls) assert.deepEqual(c.args, VALID_ARGS[c.name as CallName]);
});

test('unknown call names are refused and never reach a handler', async () => {
  const { handlers, calls } = recordingHandlers();
  const lines: string[] = [];
  const dispatch = createDispatcher(handlers, { log: (l) => lines.push(l) });
  for (const name of ['nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'appInfo ']) {
    const result = await dispatch(name, []);
    assert.equal(result.ok, false, name);
    assert.match((result as { error: { message: string } }).error.message, /Unknown call/);
  }
  assert.equal(calls.length, 0);
  assert.equal(lines.length, 7);
});

test('bad arguments are refused with the validator message, logged, and the handler not run', async () => {
  const { handlers, calls } = recordingHandlers();
  const lines: string[] = [];
  const dispatch = createDispatcher(handlers, { log: (l) => lines.push(l) });
  const result = await dispatch('datasetSamples', [{ datasetId: '../../etc', digit: null, offset: 0, limit: 10 }]);
  assert.equal(result.ok, false);
  assert.match((result as { error: { message: string } }).error.message, /^datasetSamples: datasetId must be an id/);
  assert.equal(calls.length, 0);
  assert.match(lines[0]!, /refused datasetSamples/);
  const notArray = await dispatch('appInfo', 'oops' as unknown as unknown[]);
  assert.equal(notArray.ok, false);
});

test('a UserError reaches the renderer as it is; other errors are logged with their stack', async () => {
  const lines: string[] = [];
  const { handlers } = recordingHandlers();
  handlers.removeDataset = async () => {
    throw new UserError('digits.zip: the dataset is in use by a running training');
  };
  handlers.listModels = () => {
    throw new TypeError('Cannot read properties of undefined (reading "x")');
  };
  handlers.listRuns = async () => {
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/data/runs.json' });
  };
  handlers.listTasks = async () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw 'a bare string';
  };
  const dispatch = createDispatcher(handlers, { log: (l) => lines.push(l) });

  assert.deepEqual(await dispatch('removeDataset', [{ datasetId: 'ds' }]), {
    ok: false,
    error: { message: 'digits.zip: the dataset is in use by a running training' },
  });
  assert.equal(lines.length, 0, 'user errors are not bugs: not logged as failures');

  const internal = await dispatch('listModels', []);
  assert.equal(internal.ok, false);
  const message = (internal as { error: { message: string } }).error.message;
  assert.match(message, /^Something went wrong while listing the models/);
  assert.match(message, /log/);
  assert.ok(!message.includes('    at '), 'no stack trace for the renderer');
  assert.match(lines[0]!, /listModels failed: TypeError/);
  assert.match(lines[0]!, /    at /, 'the log has the stack');

  const disk = await dispatch('listRuns', []);
  assert.equal((disk as { error: { message: string } }).error.message, 'Something went wrong while listing the runs: /data/runs.json: the disk is full.');

  const bare = await dispatch('listTasks', []);
  assert.match((bare as { error: { message: string } }).error.message, /a bare string/);
});

test('a missing handler is reported, not crashed on', async () => {
  const { handlers } = recordingHandlers();
  delete (handlers as Partial<Handlers>).getRun;
  const dispatch = createDispatcher(handlers, { log: () => undefined });
  const result = await dispatch('getRun', [{ runId: 'r1' }]);
  assert.equal(result.ok, false);
  assert.match((result as { error: { message: string } }).error.message, /not available/);
});

test('sync handlers and undefined results are fine', async () => {
  const { handlers } = recordingHandlers();
  handlers.cancelTask = () => undefined;
  const dispatch = createDispatcher(handlers, { log: () => undefined });
  assert.deepEqual(await dispatch('cancelTask', [{ taskId: 't' }]), { ok: true, value: undefined });
});
