import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveAppPaths, unpackedPath } from '../../../main/electron/paths';
import { workerEntryPath } from '../../../main/util/ml-entry';

const root = process.cwd();

test('development layout: everything under the project folder, WASM files in node_modules', () => {
  const p = resolveAppPaths({ appPath: root, isPackaged: false });
  assert.equal(p.preload, path.join(root, 'out', 'preload', 'index.js'));
  assert.equal(p.rendererIndex, path.join(root, 'out', 'renderer', 'index.html'));
  assert.equal(p.workerEntry, path.join(root, 'out', 'main', 'ml-worker.js'));
  assert.equal(p.mainDir, path.join(root, 'out', 'main'));
  // The real files are where we say (the WASM files come with the installed package).
  for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    assert.ok(existsSync(path.join(p.wasmDir, name)), name);
  }
  // The same folder the ML side resolves for itself.
  assert.equal(p.wasmDir, path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')));
});

test('packaged layout (Linux/macOS): code inside app.asar, WASM unpacked beside it', () => {
  const appPath = '/opt/Digit Studio/resources/app.asar';
  const p = resolveAppPaths({ appPath, isPackaged: true });
  assert.equal(p.preload, '/opt/Digit Studio/resources/app.asar/out/preload/index.js');
  assert.equal(p.rendererDir, '/opt/Digit Studio/resources/app.asar/out/renderer');
  assert.equal(p.workerEntry, '/opt/Digit Studio/resources/app.asar/out/main/ml-worker.js');
  assert.equal(p.wasmDir, '/opt/Digit Studio/resources/app.asar.unpacked/node_modules/@tensorflow/tfjs-backend-wasm/dist');
  assert.equal(p.resourcesDir, '/opt/Digit Studio/resources/app.asar/resources');
  assert.equal(p.workerEntry, workerEntryPath(p.mainDir), "the ML side's own rule agrees");
});

test('packaged layout (Windows paths)', () => {
  const appPath = 'C:\\Program Files\\Digit Studio\\resources\\app.asar';
  const p = resolveAppPaths({ appPath, isPackaged: true, pathApi: path.win32 });
  assert.equal(p.workerEntry, 'C:\\Program Files\\Digit Studio\\resources\\app.asar\\out\\main\\ml-worker.js');
  assert.equal(p.preload, 'C:\\Program Files\\Digit Studio\\resources\\app.asar\\out\\preload\\index.js');
  assert.equal(p.wasmDir, 'C:\\Program Files\\Digit Studio\\resources\\app.asar.unpacked\\node_modules\\@tensorflow\\tfjs-backend-wasm\\dist');
});

test('unpackedPath rewrites only the app.asar segment', () => {
  assert.equal(unpackedPath('/a/app.asar/x'), '/a/app.asar.unpacked/x');
  assert.equal(unpackedPath('/a/my-app.asar/x'), '/a/my-app.asar/x');
  assert.equal(unpackedPath('/a/app.asarx/x'), '/a/app.asarx/x');
  assert.equal(unpackedPath('/plain/dir'), '/plain/dir');
});

test('a fake packaged tree on disk: the resolved files exist where electron-builder puts them', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-layout-'));
  try {
    // app.asar is a file in reality; here a folder stands in for its contents.
    const asar = path.join(dir, 'resources', 'app.asar');
    const unpacked = path.join(dir, 'resources', 'app.asar.unpacked');
    const files = [
      path.join(asar, 'out', 'main', 'index.js'),
      path.join(asar, 'out', 'main', 'ml-worker.js'),
      path.join(asar, 'out', 'preload', 'index.js'),
      path.join(asar, 'out', 'renderer', 'index.html'),
      path.join(unpacked, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', 'tfjs-backend-wasm.wasm'),
    ];
    for (const f of files) {
      await mkdir(path.dirname(f), { recursive: true });
      await writeFile(f, '');
    }
    const p = resolveAppPaths({ appPath: asar, isPackaged: true });
    for (const f of [p.workerEntry, p.preload, p.rendererIndex, path.join(p.wasmDir, 'tfjs-backend-wasm.wasm')]) assert.ok(existsSync(f), f);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
