// The file rules drop TensorFlow.js's browser bundles, tests, docs and source maps from
// node_modules. This proves the trimmed packages still load and compute: a node_modules holding
// only what electron-builder's own matcher keeps of @tensorflow/* (hard links, so nothing is
// copied) runs a WASM-backend computation in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, link, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';

/* eslint-disable @typescript-eslint/no-require-imports */
const yaml = require('js-yaml') as { load(text: string): unknown };
const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  getNodeModuleFileMatcher(...args: unknown[]): { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const root = process.cwd();

test('TensorFlow.js still loads and computes on WASM from the trimmed node_modules', async () => {
  const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
  const keep = getNodeModuleFileMatcher(root, '/dest', (s: string) => s, {}, { config, debugLogger: { isEnabled: false } }).createFilter();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-trimmed-'));
  try {
    const nm = path.join(dir, 'node_modules');
    await mkdir(path.join(nm, '@tensorflow'), { recursive: true });
    // Everything but @tensorflow is linked as it is; @tensorflow/* holds only the kept files.
    for (const name of await readdir(path.join(root, 'node_modules'))) {
      if (name === '@tensorflow' || name.startsWith('.')) continue;
      await symlink(path.join(root, 'node_modules', name), path.join(nm, name));
    }
    let kept = 0;
    let dropped = 0;
    let droppedBytes = 0;
    const copyKept = async (from: string, to: string): Promise<void> => {
      for (const entry of await readdir(from, { withFileTypes: true })) {
        const src = path.join(from, entry.name);
        const dst = path.join(to, entry.name);
        if (entry.isDirectory()) {
          await copyKept(src, dst);
        } else if (keep(src, { isDirectory: () => false })) {
          await mkdir(to, { recursive: true });
          await link(src, dst);
          kept++;
        } else {
          dropped++;
          droppedBytes += (await stat(src)).size;
        }
      }
    };
    await copyKept(path.join(root, 'node_modules', '@tensorflow'), path.join(nm, '@tensorflow'));
    assert.ok(dropped > 0 && kept > 0);

    const script = `
      const tf = require('@tensorflow/tfjs');
      const wasm = require('@tensorflow/tfjs-backend-wasm');
      wasm.setWasmPaths(require('path').dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + require('path').sep);
      tf.setBackend('wasm').then(async (ok) => {
        if (!ok) throw new Error('no wasm');
        const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' })] });
        const out = await model.predict(tf.tensor2d([[1, 2, 3]])).data();
        console.log(JSON.stringify({ backend: tf.getBackend(), out: Array.from(out), from: require.resolve('@tensorflow/tfjs') }));
      }).catch((e) => { console.error(e); process.exit(1); });`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    assert.equal(result.backend, 'wasm');
    assert.deepEqual(result.out, [6, 6]);
    assert.ok(result.from.startsWith(dir), `loaded from the trimmed copy (${result.from})`);
    console.log(`trimmed @tensorflow: ${kept} files kept, ${dropped} dropped (${(droppedBytes / 1e6).toFixed(1)} MB)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
