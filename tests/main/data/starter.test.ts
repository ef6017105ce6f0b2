// The starter dataset ships prebuilt (out/starter/mnist-starter.dsb, made by the build from the
// `mnist` package): it must hold exactly the package's digits, and a damaged copy must not leave
// the app without its starter set.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { loadStarterDataset, loadStarterFromPackage } from '../../../main/data/starter';
import { tempDir } from '../../helpers/mnist-files';

const root = process.cwd();
const built = path.join(root, 'out', 'starter', 'mnist-starter.dsb');
const tmp = tempDir();
after(tmp.cleanup);

function ensureBuilt(): void {
  // npm test builds first; build here when run on its own.
  if (existsSync(built)) return;
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
}

test('the prebuilt starter file holds exactly the mnist package digits, in a fifth of the space', async () => {
  ensureBuilt();
  const fromFile = await loadDatasetFile(built);
  const fromPackage = await loadStarterFromPackage();
  assert.equal(fromFile.count, 10_000);
  assert.deepEqual(fromFile.labels, fromPackage.labels);
  assert.deepEqual(fromFile.pixels, fromPackage.pixels);
  assert.deepEqual(fromFile.sources, fromPackage.sources);
  assert.ok(readFileSync(built).length < 9_000_000);
});

test('loadStarterDataset reads the prebuilt file (all, or the first n of each digit) and falls back to the package when it is damaged', async () => {
  ensureBuilt();
  const all = await loadStarterDataset(Infinity, built);
  assert.equal(all.count, 10_000);
  const few = await loadStarterDataset(3, built);
  const fewFromPackage = await loadStarterFromPackage(3);
  assert.equal(few.count, 30);
  assert.deepEqual(few.pixels, fewFromPackage.pixels);
  assert.deepEqual(few.labels, fewFromPackage.labels);
  assert.deepEqual(few.sources, fewFromPackage.sources);

  const damaged = path.join(tmp.dir, 'damaged.dsb');
  copyFileSync(built, damaged);
  const bytes = readFileSync(damaged);
  bytes[5000] ^= 0xff;
  writeFileSync(damaged, bytes);
  await assert.rejects(loadDatasetFile(damaged), /checksum mismatch/);
  const rescued = await loadStarterDataset(3, damaged);
  assert.deepEqual(rescued.pixels, fewFromPackage.pixels);
});
