import { fake } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES, EVENT_NAMES, MAX_DROPPED_PATHS, PRELOAD_ONLY_CALLS, callChannel, eventChannel } from '../../../preload/contract';
import '../../../preload/index';

const api = fake.contextBridge.exposed.get('digitStudio') as Record<string, (...a: any[]) => any>;
const ipc = fake.ipcRenderer;

function reset(answer: (channel: string, args: unknown[]) => Promise<unknown> = async () => ({ ok: true, value: 'v' })) {
  ipc.invocations.length = 0;
  ipc.answer = answer;
}

test('exactly one thing is exposed, with exactly the methods of the contract', () => {
  assert.deepEqual([...fake.contextBridge.exposed.keys()], ['digitStudio']);
  const expected = [
    ...CALL_NAMES.filter((n) => !PRELOAD_ONLY_CALLS.includes(n)),
    'on',
    'importDroppedFiles',
    'predictDroppedFile',
    'readNumberDroppedFile',
  ].sort();
  assert.deepEqual(Object.keys(api).sort(), expected);
  for (const key of Object.keys(api)) assert.equal(typeof api[key], 'function', key);
  for (const name of PRELOAD_ONLY_CALLS) assert.equal(api[name], undefined, `${name} is reachable only through the drop helpers`);
  for (const value of Object.values(api)) assert.notEqual(value, ipc as unknown, 'ipcRenderer is never exposed');
  assert.ok(!('invoke' in api) && !('send' in api) && !('ipcRenderer' in api));
});

test('each method invokes its own channel with its arguments and resolves to the value', async () => {
  for (const name of CALL_NAMES.filter((n) => !PRELOAD_ONLY_CALLS.includes(n))) {
    reset(async (channel) => ({ ok: true, value: `answer ${channel}` }));
    const arg = { probe: name };
    assert.equal(await api[name]!(arg), `answer ${callChannel(name)}`);
    assert.deepEqual(ipc.invocations, [{ channel: callChannel(name), args: [arg] }]);
  }
  reset();
  await api.appInfo!();
  assert.deepEqual(ipc.invocations[0]!.args, [], 'a call without arguments sends none');
});

test('errors from main arrive as Error objects with the readable message', async () => {
  reset(async () => ({ ok: false, error: { message: 'digits.csv: row 3 has 12 values, expected 785' } }));
  await assert.rejects(api.listDatasets!(), (err: unknown) => err instanceof Error && err.message === 'digits.csv: row 3 has 12 values, expected 785');
  reset(async () => undefined);
  await assert.rejects(api.listDatasets!(), /No answer from Digit Studio/);
  reset(async (channel) => {
    throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
  });
  await assert.rejects(api.listDatasets!(), (err: unknown) => err instanceof Error && err.message === `Digit Studio could not run "listDatasets": No handler registered for '${callChannel('listDatasets')}'`);
});

test('on() passes only the payload and returns a working unsubscribe', () => {
  const seen: unknown[] = [];
  const off = api.on!('task', (payload: unknown) => seen.push(payload));
  const channel = eventChannel('task');
  assert.equal(ipc.listenerCount(channel), 1);
  ipc.emit(channel, { sender: 'IpcRendererEvent' }, { id: 't1' });
  assert.deepEqual(seen, [{ id: 't1' }]);
  off();
  off();
  assert.equal(ipc.listenerCount(channel), 0);
  ipc.emit(channel, {}, { id: 't2' });
  assert.deepEqual(seen, [{ id: 't1' }]);
  for (const event of EVENT_NAMES) api.on!(event, () => undefined)();
  assert.throws(() => api.on!('nope', () => undefined), /Unknown event/);
  assert.throws(() => api.on!('task', 'not a function'), /listener/);
});

test('dropped files: real paths go to importPaths / predictPath; page-made files are refused', async () => {
  const real = new File(['x'], 'digits.zip');
  const real2 = new File(['y'], 'seven.png');
  const madeByPage = new File(['z'], 'fake.png');
  fake.webUtils.paths.set(real, '/home/ann/digits.zip');
  fake.webUtils.paths.set(real2, '/home/ann/seven.png');

  reset(async () => ({ ok: true, value: { id: 'task-1' } }));
  assert.deepEqual(await api.importDroppedFiles!([real, real2]), { id: 'task-1' });
  assert.deepEqual(ipc.invocations, [{ channel: callChannel('importPaths'), args: [{ paths: ['/home/ann/digits.zip', '/home/ann/seven.png'] }] }]);

  reset(async () => ({ ok: true, value: { digit: 7 } }));
  assert.deepEqual(await api.predictDroppedFile!(real2, {}), { digit: 7 });
  assert.deepEqual(ipc.invocations, [{ channel: callChannel('predictPath'), args: [{ path: '/home/ann/seven.png' }] }]);
  // The model chosen on the page reads the dropped picture, as with "Open image…".
  reset(async () => ({ ok: true, value: { digit: 7 } }));
  await api.predictDroppedFile!(real2, { modelId: 'model-2' });
  assert.deepEqual(ipc.invocations, [{ channel: callChannel('predictPath'), args: [{ path: '/home/ann/seven.png', modelId: 'model-2' }] }]);

  // Reading a whole number from a dropped picture goes the same way.
  reset(async () => ({ ok: true, value: { text: '42' } }));
  assert.deepEqual(await api.readNumberDroppedFile!(real2, { modelId: 'model-2' }), { text: '42' });
  assert.deepEqual(ipc.invocations, [{ channel: callChannel('readNumberPath'), args: [{ path: '/home/ann/seven.png', modelId: 'model-2' }] }]);

  reset();
  await assert.rejects(api.predictDroppedFile!(madeByPage), /"fake.png" was not dropped from your computer/);
  await assert.rejects(api.readNumberDroppedFile!(madeByPage, {}), /"fake.png" was not dropped from your computer/);
  await assert.rejects(api.importDroppedFiles!([real, madeByPage]), /fake.png/);
  await assert.rejects(api.importDroppedFiles!([]), /No files/);
  await assert.rejects(api.importDroppedFiles!('/etc/passwd' as never), /No files/);
  await assert.rejects(api.importDroppedFiles!(['/etc/passwd'] as never), /dropped from your computer/);
  await assert.rejects(api.predictDroppedFile!({ name: 'x', path: '/etc/passwd' } as never), /not dropped/);
  assert.equal(ipc.invocations.length, 0, 'nothing refused reached main');

  // The one limit on dropped paths (preload/contract.ts), the IPC rule's and the data service's.
  const many = Array.from({ length: MAX_DROPPED_PATHS + 1 }, () => real);
  await assert.rejects(api.importDroppedFiles!(many), new RegExp(`at most ${MAX_DROPPED_PATHS.toLocaleString('en-US')}`));
  assert.equal(ipc.invocations.length, 0);
  reset(async () => ({ ok: true, value: { id: 'task-2' } }));
  await api.importDroppedFiles!(many.slice(1));
  assert.equal((ipc.invocations[0]!.args[0] as { paths: string[] }).paths.length, MAX_DROPPED_PATHS);
});
