// `builtin` wherever the CLI takes a model folder: the shipped base model reads real digits at once
// (predict, evaluate), and `train --base builtin` fine-tunes it, replaying MNIST and reporting the
// MNIST test accuracy before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli, writeDigitPngs, writeTrainCsv } from '../../helpers/cli-fixtures';
import { builtinModelDir } from '../../../main/models/builtin-model';

test('predict and evaluate --model builtin use the shipped base model', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const wanted = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const images = await writeDigitPngs(dir, wanted);
    const p = await runCli(['predict', '--model', 'builtin', ...images, '--json']);
    assert.equal(p.code, 0, p.err.join('\n'));
    const right = p.out.map((l) => JSON.parse(l).digit).filter((d, k) => d === wanted[k]).length;
    assert.ok(right >= 9, `the base model reads real digits (${right}/10)`);

    const csv = path.join(dir, 'few.csv');
    await writeTrainCsv(csv, 10);
    const e = await runCli(['evaluate', '--model', 'builtin', '--data', csv, '--json']);
    assert.equal(e.code, 0, e.err.join('\n'));
    const r = JSON.parse(e.out.at(-1)!);
    assert.equal(r.count, 100);
    assert.ok(r.accuracy >= 0.9, `accuracy ${r.accuracy}`);
  } finally {
    await cleanup();
  }
});

test('train --base builtin fine-tunes with MNIST replayed, leaves the base model alone, and reports MNIST before/after', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const shipped = builtinModelDir()!;
    const before = await fs.readFile(path.join(shipped, 'weights.bin'));
    const csv = path.join(dir, 'mine.csv');
    await writeTrainCsv(csv, 5);
    const out = path.join(dir, 'tuned');
    const r = await runCli(['train', '--data', csv, '--base', 'builtin', '--out', out, '--epochs', '1', '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const s = JSON.parse(r.out.at(-1)!);
    assert.equal(s.state, 'succeeded');
    assert.ok(s.replayed >= 500, `MNIST digits replayed (${s.replayed})`);
    assert.equal(typeof s.baselineValAccuracy, 'number');
    assert.ok(s.baselineMnistTestAccuracy > 0.97, 'the base model measured on the MNIST test set first');
    assert.ok(s.mnistTestAccuracy > 0.9, `and after (${s.mnistTestAccuracy})`);
    assert.ok(r.err.some((l) => /\+ \d+ MNIST digits replayed/.test(l)), 'the status says so');
    assert.deepEqual(await fs.readFile(path.join(shipped, 'weights.bin')), before, 'the shipped model is untouched');
    await fs.access(path.join(out, 'weights.bin'));

    for (const target of ['builtin', shipped]) {
      const bad = await runCli(['train', '--data', csv, '--base', 'builtin', '--out', target, '--epochs', '1']);
      assert.equal(bad.code, 2);
      assert.match(bad.err[0]!, /read-only/);
    }
  } finally {
    await cleanup();
  }
});
