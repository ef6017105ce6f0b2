import { fake, FakeBrowserWindow } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMainWindow } from '../../../main/electron/window';
import { resolveAppPaths } from '../../../main/electron/paths';
import { DEFAULT_WINDOW_STATE } from '../../../main/electron/window-state';

const paths = resolveAppPaths({ appPath: '/opt/digit-studio/resources/app.asar', isPackaged: true });

test('the window is created with exactly the security options, our preload, and loads our page', () => {
  FakeBrowserWindow.instances.length = 0;
  const win = createMainWindow({ paths, state: DEFAULT_WINDOW_STATE, stateFile: '/nonexistent/ws.json', log: () => undefined }) as unknown as FakeBrowserWindow;
  assert.equal(FakeBrowserWindow.instances.length, 1);
  // Written out literally: a change to the security options must change this test too.
  assert.deepEqual(win.options.webPreferences, {
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: true, // a development run (the fake app is not packaged)
    preload: path.join('/opt/digit-studio/resources/app.asar', 'out', 'preload', 'index.js'),
  });
  assert.equal(win.options.show, false, 'shown only when ready, no white flash');
  assert.equal(win.loadedURL, 'digit-studio://app/index.html');
  assert.equal(win.shown, false);
  win.emit('ready-to-show');
  assert.equal(win.shown, true);
});

test('a packaged build has no DevTools at all (not just no menu item)', () => {
  fake.app.isPackaged = true;
  try {
    const win = createMainWindow({ paths, state: DEFAULT_WINDOW_STATE, stateFile: '/nonexistent/ws.json', log: () => undefined }) as unknown as FakeBrowserWindow;
    assert.equal(win.options.webPreferences.devTools, false);
  } finally {
    fake.app.isPackaged = false;
  }
});

test('size and position are restored, fitted to the displays, and saved atomically on close', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-window-'));
  try {
    const stateFile = path.join(dir, 'window-state.json');
    const win = createMainWindow({
      paths,
      state: { x: 100, y: 50, width: 1000, height: 700, maximized: true },
      stateFile,
      log: () => undefined,
    }) as unknown as FakeBrowserWindow;
    assert.equal(win.options.x, 100);
    assert.equal(win.options.y, 50);
    assert.equal(win.options.width, 1000);
    win.emit('ready-to-show');
    assert.equal(win.maximized, true);

    const offScreen = createMainWindow({
      paths,
      state: { x: 5000, y: 5000, width: 4000, height: 700, maximized: false },
      stateFile,
      log: () => undefined,
    }) as unknown as FakeBrowserWindow;
    assert.equal(offScreen.options.x, undefined, 'a position on a monitor no longer attached is dropped');
    assert.equal(offScreen.options.width, 1920, 'capped to the display');

    win.bounds = { x: 30, y: 40, width: 900, height: 650 };
    win.emit('close');
    let saved: unknown = null;
    for (let i = 0; i < 100 && saved === null; i++) {
      saved = await readFile(stateFile, 'utf8').then(JSON.parse, () => null);
      if (saved === null) await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(saved, { width: 900, height: 650, maximized: true, x: 30, y: 40 });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a crashed renderer is reloaded, but not forever', () => {
  const lines: string[] = [];
  const win = createMainWindow({ paths, state: DEFAULT_WINDOW_STATE, stateFile: '/nonexistent/ws.json', log: (l) => lines.push(l) }) as unknown as FakeBrowserWindow;
  for (let i = 0; i < 5; i++) win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
  assert.equal(win.webContents.reloads, 3);
  win.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
  assert.equal(win.webContents.reloads, 3);
  assert.equal(lines.filter((l) => l.includes('renderer gone')).length, 6);
  void fake;
});
