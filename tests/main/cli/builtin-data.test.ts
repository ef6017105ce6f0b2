// The CLI's data arguments beyond files: builtin:train / builtin:test name the app's built-in MNIST
// sets (no files of the user's needed), beside files; a folder holding IDX files is read as them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli, writeTrainCsv, writeUntrainedModel } from '../../helpers/cli-fixtures';
import { idxImages, idxLabels } from '../../helpers/mnist-files';
import { loadStarterDataset } from '../../../main/data/starter';

test('evaluate --data builtin:test measures on the 10,000 MNIST test digits, alone or with files', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-builtin-');
  try {
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const r = await runCli(['evaluate', '--model', model, '--data', 'builtin:test', '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const result = JSON.parse(r.out.at(-1)!);
    assert.equal(result.count, 10_000);
    assert.deepEqual(
      result.perClass.map((c: { support: number }) => c.support),
      [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
    );
    const csv = path.join(dir, 'mine.csv');
    await writeTrainCsv(csv, 5);
    const both = await runCli(['evaluate', '--model', model, '--data', 'builtin:test', csv, '--json']);
    assert.equal(both.code, 0, both.err.join('\n'));
    assert.equal(JSON.parse(both.out.at(-1)!).count, 10_050);
  } finally {
    await cleanup();
  }
});

test('an unknown builtin: name exits 2 with one line saying which there are', async () => {
  for (const command of [['evaluate', '--model', 'whatever'], ['train', '--out', 'whatever']]) {
    const r = await runCli([...command, '--data', 'builtin:everything']);
    assert.equal(r.code, 2);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0]!, /unknown built-in data "builtin:everything": use builtin:train \(MNIST training set \(60,000\)\) or builtin:test \(MNIST test set \(10,000\)\)/);
  }
});

test('import <folder of IDX files> pairs images with labels (gzipped here) instead of looking for digit folders', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-idx-folder-');
  try {
    const ds = await loadStarterDataset(3);
    const folder = path.join(dir, 'mnist');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'train-images-idx3-ubyte.gz'), idxImages(ds, true));
    writeFileSync(path.join(folder, 'train-labels-idx1-ubyte.gz'), idxLabels(ds, true));
    const r = await runCli(['import', folder, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const report = JSON.parse(r.out.at(-1)!);
    assert.equal(report.count, 30);
    assert.deepEqual(report.perClass, new Array(10).fill(3));
  } finally {
    await cleanup();
  }
});
