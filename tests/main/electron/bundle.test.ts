// The built bundles (out/), not the sources: the main bundle is loaded with Electron mocked at the
// module boundary and runs the real services; the scheme serves the real built renderer with the
// policy; the renderer bundle needs no eval (the CSP forbids it). npm test builds before testing;
// run alone, the Node entries are built here and the renderer checks need `npm run build`.
import { fake, FakeBrowserWindow, FakeUtilityProcess } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { APP_INDEX_URL, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../../../main/electron/app-protocol';
import { callChannel } from '../../../preload/contract';

const root = process.cwd();
const rendererIndex = path.join(root, 'out', 'renderer', 'index.html');
const noRenderer = existsSync(rendererIndex) ? false : 'out/renderer is not built (npm run build)';

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('the built main bundle starts: real services behind IPC, the ML process forked as a utilityProcess', async () => {
  if (!existsSync(path.join(root, 'out', 'main', 'index.js')) || !existsSync(path.join(root, 'out', 'main', 'ml-worker.js'))) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  }
  const userData = await mkdtemp(path.join(os.tmpdir(), 'ds-bundle-'));
  const log = console.log;
  console.log = () => undefined;
  try {
    fake.app.paths.userData = userData;
    fake.app.appPath = root;
    const argv = process.argv;
    process.argv = [process.execPath]; // no file arguments for this launch
    try {
      require(path.join(root, 'out', 'main', 'index.js'));
    } finally {
      process.argv = argv;
    }
    assert.deepEqual(fake.app.lockData, { files: [] });
    assert.ok(fake.protocol.privileged.some((p: any) => p.scheme === APP_SCHEME));
    fake.app.readyResolve();
    await until('the window', () => FakeBrowserWindow.instances.length === 1);
    const win = FakeBrowserWindow.instances[0]!;
    assert.equal(win.loadedURL, APP_INDEX_URL);
    assert.ok(existsSync(win.options.webPreferences.preload), 'the preload bundle the window names exists');
    win.webContents.emit('did-finish-load');

    // A call through the registered IPC handler reaches the real services.
    const invoke = (name: string, ...args: unknown[]): Promise<any> =>
      Promise.resolve(fake.ipcMain.handlers.get(callChannel(name as never))!({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, ...args));
    await until('IPC registered', () => fake.ipcMain.handlers.size > 0);
    let info: any = null;
    for (let i = 0; i < 200 && !info?.ok; i++) {
      info = await invoke('appInfo');
      if (!info.ok) await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(info.ok, true, JSON.stringify(info));
    assert.equal(info.value.version, '0.1.0-test');
    assert.equal(info.value.dataDir, path.join(userData, 'data'));
    const refused = await invoke('removeDataset', { datasetId: '../../etc' });
    assert.equal(refused.ok, false);
    assert.match(refused.error.message, /datasetId/);

    // Quit: the real services are disposed, then the app quits.
    fake.app.quitCalls = 0;
    fake.app.emit('before-quit', { preventDefault: () => undefined });
    await until('quit', () => fake.app.quitCalls === 1);
    for (const { entry } of FakeUtilityProcess.forks) assert.equal(entry, path.join(root, 'out', 'main', 'ml-worker.js'));
  } finally {
    console.log = log;
    await rm(userData, { recursive: true, force: true });
  }
});

test('the scheme serves the built renderer: every asset the page names, with the policy and a module MIME type', { skip: noRenderer }, async () => {
  const { serveRenderer } = await import('../../../main/electron/security');
  const session = fake.session.defaultSession;
  serveRenderer(session as never, path.join(root, 'out', 'renderer'), () => undefined);
  const handler = session.protocolHandlers.get(APP_SCHEME)!;
  const index = await handler({ url: APP_INDEX_URL });
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
  const html = await index.text();
  const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  assert.ok(refs.some((r) => r.endsWith('.js')), 'the page loads a script');
  for (const ref of refs) {
    const url = new URL(ref, APP_INDEX_URL).href;
    assert.ok(url.startsWith('digit-studio://app/'), `${ref} stays on our scheme`);
    const res = await handler({ url });
    assert.equal(res.status, 200, url);
    if (url.endsWith('.js')) assert.equal(res.headers.get('content-type'), 'text/javascript; charset=utf-8');
    if (url.endsWith('.css')) assert.equal(res.headers.get('content-type'), 'text/css; charset=utf-8');
  }
});

test('the built renderer needs no eval, which the policy forbids', { skip: noRenderer }, () => {
  const dir = path.join(root, 'out', 'renderer', 'assets');
  const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));
  assert.ok(scripts.length > 0);
  for (const file of scripts) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    assert.doesNotMatch(text, /(?<![\w$.])eval\(|new Function\(/, file);
    assert.doesNotMatch(text, /https?:\/\/(?!www\.w3\.org)[\w.-]+\.[a-z]{2,}\/[\w/.-]*\.(?:js|css|woff2?)\b/, `${file} loads nothing remote`);
  }
});
