import { fake, FakeWebContents } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES, callChannel, eventChannel, type Handlers } from '../../../preload/contract';
import { createDispatcher } from '../../../main/ipc/dispatch';
import { broadcast, createSenderCheck, registerIpc, REFUSED_MESSAGE } from '../../../main/electron/ipc';
import { VALID_ARGS } from '../ipc/call-examples';

function setup() {
  fake.ipcMain.handlers.clear();
  const calls: string[] = [];
  const handlers = Object.fromEntries(CALL_NAMES.map((n) => [n, async () => (calls.push(n), `value of ${n}`)])) as unknown as Handlers;
  const ours = new FakeWebContents();
  ours.mainFrame.url = 'digit-studio://app/index.html';
  const lines: string[] = [];
  const dispatch = createDispatcher(handlers, { log: (l) => lines.push(l) });
  const unregister = registerIpc(fake.ipcMain as never, dispatch, createSenderCheck((c) => c.id === ours.id), (l) => lines.push(l));
  const invoke = (name: string, sender: FakeWebContents, frame: unknown, args: unknown[]): Promise<any> =>
    Promise.resolve(fake.ipcMain.handlers.get(callChannel(name as never))!({ sender, senderFrame: frame }, ...args));
  return { calls, ours, lines, invoke, unregister };
}

test('every contract call is registered on its channel, and nothing else', () => {
  const { unregister } = setup();
  assert.deepEqual([...fake.ipcMain.handlers.keys()].sort(), CALL_NAMES.map(callChannel).sort());
  unregister();
  assert.equal(fake.ipcMain.handlers.size, 0);
});

test('calls from our window reach the handlers, with arguments checked', async () => {
  const { calls, ours, invoke } = setup();
  for (const name of CALL_NAMES) {
    const answer = await invoke(name, ours, ours.mainFrame, VALID_ARGS[name] as unknown[]);
    assert.deepEqual(answer, { ok: true, value: `value of ${name}` });
  }
  assert.deepEqual(calls, CALL_NAMES);
  const bad = await invoke('startTraining', ours, ours.mainFrame, [{ epochs: 1e9 }]);
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /^startTraining: /);
  assert.equal(calls.length, CALL_NAMES.length, 'refused arguments never reach a handler');
});

test('foreign senders are refused and logged, and never reach a handler', async () => {
  const { calls, ours, invoke, lines } = setup();
  const stranger = new FakeWebContents();
  stranger.mainFrame.url = 'digit-studio://app/index.html';
  const navigated = { url: 'https://evil.example/' };
  const subFrame = { url: 'digit-studio://app/index.html' };
  const cases: [string, FakeWebContents, unknown][] = [
    ['another web contents', stranger, stranger.mainFrame],
    ['a sub-frame of our window', ours, subFrame],
    ['a frame showing a remote page', ours, navigated],
    ['no frame', ours, null],
  ];
  for (const [label, sender, frame] of cases) {
    if (frame === navigated) ours.mainFrame.url = navigated.url;
    const answer = await invoke('listDatasets', sender, frame === navigated ? ours.mainFrame : frame, []);
    ours.mainFrame.url = 'digit-studio://app/index.html';
    assert.deepEqual(answer, { ok: false, error: { message: REFUSED_MESSAGE } }, label);
  }
  for (const url of ['file:///home/x/index.html', 'http://127.0.0.1:5173/', 'digit-studio://evil/index.html', 'about:blank', '']) {
    ours.mainFrame.url = url;
    const answer = await invoke('appInfo', ours, ours.mainFrame, []);
    assert.equal(answer.ok, false, url);
  }
  ours.destroyed = true;
  ours.mainFrame.url = 'digit-studio://app/index.html';
  assert.equal((await invoke('appInfo', ours, ours.mainFrame, [])).ok, false, 'destroyed');
  const throwing = { get url(): string { throw new Error('frame disposed'); } };
  ours.destroyed = false;
  assert.equal((await invoke('appInfo', ours, throwing, [])).ok, false, 'a frame that throws');
  assert.equal(calls.length, 0);
  assert.equal(lines.filter((l) => l.startsWith('security: refused IPC call')).length, 11);
});

test('events go to our pages only', () => {
  const page = new FakeWebContents();
  page.mainFrame.url = 'digit-studio://app/index.html';
  const elsewhere = new FakeWebContents();
  elsewhere.mainFrame.url = 'https://evil.example/';
  const gone = new FakeWebContents();
  gone.mainFrame.url = 'digit-studio://app/index.html';
  gone.destroyed = true;
  broadcast([page, elsewhere, gone] as never[], 'appError', { message: 'x' });
  assert.deepEqual(page.sent, [[eventChannel('appError'), { message: 'x' }]]);
  assert.deepEqual(elsewhere.sent, []);
  assert.deepEqual(gone.sent, []);
});
