// Where the ML process entry is found: the TypeScript source under tsx, else the bundle's
// out/main/ml-worker.js, reached from out/main (Electron) and out/cli (the CLI) alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { resolveWorkerEntry, workerEntryPath } from '../../../main/util/ml-entry';
import { setWasmDir, unpackedPath, wasmDir } from '../../../main/ml-process/backend';

test('workerEntryPath finds out/main/ml-worker.js from either bundle folder, packaged or not', () => {
  assert.equal(workerEntryPath(path.join('/app', 'out', 'main')), path.join('/app', 'out', 'main', 'ml-worker.js'));
  assert.equal(workerEntryPath(path.join('/app', 'out', 'cli')), path.join('/app', 'out', 'main', 'ml-worker.js'));
  const asar = path.join('/opt', 'Digit Studio', 'resources', 'app.asar', 'out', 'main');
  assert.equal(workerEntryPath(asar), path.join(asar, 'ml-worker.js'));
});

test('from sources the worker is the .ts file, run with tsx', () => {
  const here = path.join(__dirname, '..', '..', '..', 'main', 'util');
  const r = resolveWorkerEntry(here);
  assert.equal(r.entry, path.join(here, '..', 'ml-process', 'ml-worker.ts'));
  assert.deepEqual(r.execArgv, ['--import', 'tsx']);
  const bundled = resolveWorkerEntry(path.join('/nowhere', 'out', 'cli'));
  assert.equal(bundled.entry, path.join('/nowhere', 'out', 'main', 'ml-worker.js'));
  assert.deepEqual(bundled.execArgv, []);
});

test('wasmDir points at the package dist folder, maps app.asar to app.asar.unpacked, and can be overridden', () => {
  assert.match(wasmDir(), /tfjs-backend-wasm[\\/]dist$/);
  setWasmDir('/custom/wasm');
  assert.equal(wasmDir(), '/custom/wasm');
  setWasmDir(null);
  assert.match(wasmDir(), /tfjs-backend-wasm[\\/]dist$/);
  assert.equal(
    unpackedPath('/opt/D/resources/app.asar/node_modules/@tensorflow/tfjs-backend-wasm/dist'),
    '/opt/D/resources/app.asar.unpacked/node_modules/@tensorflow/tfjs-backend-wasm/dist',
  );
  assert.equal(unpackedPath('C:\\D\\app.asar\\node_modules'), 'C:\\D\\app.asar.unpacked\\node_modules');
  assert.equal(unpackedPath('/home/me/app.asarx/y'), '/home/me/app.asarx/y');
});
