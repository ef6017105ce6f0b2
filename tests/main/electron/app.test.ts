import { fake, FakeBrowserWindow } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CALL_NAMES, callChannel, eventChannel, type Handlers } from '../../../preload/contract';
import type { ServicePorts } from '../../../main/services/ports';
import { runApp, IMAGE_OPENED_CHANNEL } from '../../../main/electron/app';
import { APP_SCHEME } from '../../../main/electron/app-protocol';

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('the app starts services on the data folder, opens a hardened window, wires IPC, menu and opened files', async () => {
  const userData = await mkdtemp(path.join(os.tmpdir(), 'ds-app-'));
  const seven = path.join(userData, 'seven.png');
  const csv = path.join(userData, 'train.csv');
  await writeFile(seven, 'png');
  await writeFile(csv, 'label,pixel0');
  const argv = process.argv;
  const log = console.log;
  console.log = () => undefined;
  try {
    fake.app.listeners.clear();
    fake.app.lockAvailable = true;
    fake.app.paths.userData = userData;
    fake.app.appPath = process.cwd();
    fake.ipcMain.handlers.clear();
    FakeBrowserWindow.instances.length = 0;

    const calls: [string, unknown[]][] = [];
    let ports: ServicePorts | null = null;
    let disposed = 0;
    const createServices = async (p: ServicePorts) => {
      ports = p;
      const handlers = Object.fromEntries(
        CALL_NAMES.map((n) => [
          n,
          // The stored language is read once at start (issue 15): answered, but not counted as a user call.
          async (...args: unknown[]) =>
            n === 'uiSettings' ? { language: 'bn', digits: null } : (calls.push([n, args]), n === 'predictPath' ? { digit: 7 } : { id: 't' }),
        ]),
      ) as unknown as Handlers;
      return { handlers, dispose: async () => void disposed++ };
    };

    process.argv = ['electron', '.', seven];
    (process as { defaultApp?: boolean }).defaultApp = true;
    runApp({ createServices });
    process.argv = argv;
    assert.deepEqual(fake.app.lockData, { files: [seven] });
    assert.ok(fake.protocol.privileged.some((p: any) => p.scheme === APP_SCHEME), 'scheme registered before ready');

    fake.app.readyResolve();
    await until('the window', () => FakeBrowserWindow.instances.length === 1);
    const win = FakeBrowserWindow.instances[0]!;
    assert.equal(win.options.webPreferences.sandbox, true);
    assert.equal(win.options.webPreferences.contextIsolation, true);
    assert.equal(win.options.webPreferences.preload, path.join(process.cwd(), 'out', 'preload', 'index.js'));
    assert.ok(win.webContents.windowOpenHandler, 'web contents hardened on creation');
    assert.deepEqual([...fake.ipcMain.handlers.keys()].sort(), CALL_NAMES.map(callChannel).sort());
    assert.ok(fake.Menu.current, 'menu set');
    assert.ok(fake.session.defaultSession.protocolHandlers.has(APP_SCHEME));
    await until('services', () => ports !== null);
    assert.equal(ports!.dataDir, path.join(userData, 'data'), 'data under userData by default');
    assert.equal(ports!.appVersion, '0.1.0-test');

    // The launch file is opened once the page has loaded.
    assert.equal(calls.length, 0);
    win.webContents.emit('did-finish-load');
    await until('the launch file', () => calls.length === 1);
    assert.deepEqual(calls[0], ['predictPath', [{ path: seven }]]);
    await until('the prediction shown', () => win.webContents.sent.length === 1);
    assert.deepEqual(win.webContents.sent[0], [IMAGE_OPENED_CHANNEL, { digit: 7 }]);

    // A later launch with a CSV: imported in this instance.
    fake.app.emit('second-instance', {}, [], userData, { files: [csv] });
    await until('the import', () => calls.length === 2);
    assert.deepEqual(calls[1], ['importPaths', [{ paths: [csv] }]]);

    // An IPC call from the window goes through; events reach it.
    const answer = await fake.ipcMain.handlers.get(callChannel('listModels'))!({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
    assert.deepEqual(answer, { ok: true, value: { id: 't' } });
    ports!.emit('appError', { message: 'ML process stopped' });
    assert.deepEqual(win.webContents.sent.at(-1), [eventChannel('appError'), { message: 'ML process stopped' }]);

    // Opened files are remembered for File ▸ Open Recent, and the menu lists them.
    await until('recent files in the menu', () => JSON.stringify(fake.Menu.current).includes('train.csv'));
    const recentOnDisk = async () => readFile(path.join(userData, 'recent-files.json'), 'utf8').then(JSON.parse, () => null);
    let saved: unknown = null;
    for (let i = 0; i < 200 && JSON.stringify(saved) !== JSON.stringify([csv, seven]); i++) {
      saved = await recentOnDisk();
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(saved, [csv, seven]);
    assert.ok((await readdir(userData)).includes('logs'));

    // macOS keeps running without windows: a file opened then gets a new window first.
    const callsBefore = calls.length;
    win.destroyed = true;
    win.emit('closed');
    fake.app.emit('second-instance', {}, [], userData, { files: [seven] });
    await until('a new window', () => FakeBrowserWindow.instances.length === 2);
    const second = FakeBrowserWindow.instances[1]!;
    assert.equal(calls.length, callsBefore, 'nothing opened before the new page has loaded');
    second.webContents.emit('did-finish-load');
    await until('the prediction in the new window', () => second.webContents.sent.some(([channel]) => channel === IMAGE_OPENED_CHANNEL));
    assert.deepEqual(calls.at(-1), ['predictPath', [{ path: seven }]]);

    // Quit: services disposed first, then the real quit.
    let prevented = false;
    fake.app.quitCalls = 0;
    fake.app.emit('before-quit', { preventDefault: () => (prevented = true) });
    assert.equal(prevented, true);
    await until('quit after dispose', () => fake.app.quitCalls === 1);
    assert.equal(disposed, 1);
    let preventedAgain = false;
    fake.app.emit('before-quit', { preventDefault: () => (preventedAgain = true) });
    assert.equal(preventedAgain, false, 'the second before-quit goes through');
  } finally {
    process.argv = argv;
    console.log = log;
    await rm(userData, { recursive: true, force: true });
  }
});
