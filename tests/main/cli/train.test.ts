// `digit-studio train`: trains through the ML process from a Kaggle CSV, prints progress lines on
// stderr and a JSON summary last; fine-tunes from a base model; bad input exits 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli, writeTrainCsv } from '../../helpers/cli-fixtures';
import { expectedBackendKind } from '../../helpers/backend';

test('train --json trains, saves the model and reports; --base --freeze-features fine-tunes', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const csv = path.join(dir, 'train.csv');
    await writeTrainCsv(csv, 30);
    const out = path.join(dir, 'model');
    const r = await runCli(['train', '--data', csv, '--out', out, '--epochs', '3', '--model', 'seed', '--batch-size', '32', '--seed', '7', '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const summary = JSON.parse(r.out.at(-1)!);
    assert.equal(summary.state, 'succeeded');
    assert.equal(summary.model, out);
    assert.equal(summary.epochs, 3);
    assert.equal(summary.trainCount + summary.valCount, 300);
    assert.ok(summary.valAccuracy > 0.3, `learned something (${summary.valAccuracy})`);
    assert.equal(summary.backend.kind, expectedBackendKind());
    assert.ok(r.err.some((l) => /^epoch 1\/3: loss/.test(l)), 'progress lines on stderr');
    await fs.access(path.join(out, 'weights.bin'));

    const tuned = path.join(dir, 'tuned');
    const f = await runCli(['train', '--data', csv, '--base', out, '--freeze-features', '--out', tuned, '--epochs', '1', '--seed', '7', '--json']);
    assert.equal(f.code, 0, f.err.join('\n'));
    const s2 = JSON.parse(f.out.at(-1)!);
    // Same data, split and seed: the base model's accuracy before fine-tuning is the one its own run reported.
    assert.ok(Math.abs(s2.baselineValAccuracy - summary.valAccuracy) < 1e-9, `fine-tuning reports the base model accuracy (${s2.baselineValAccuracy} vs ${summary.valAccuracy})`);
    const meta = JSON.parse(await fs.readFile(path.join(tuned, 'metadata.json'), 'utf8'));
    assert.equal(meta.arch, 'seed');
    // The one recipe's method deskews (issue 11), and the fine-tuned model keeps its base model's input.
    assert.equal(summary.deskew, true);
    assert.equal(s2.deskew, true);
    assert.deepEqual(meta.input, { deskew: true });
  } finally {
    await cleanup();
  }
});

test('train --time-budget ends the run once the budget is used, like a finished run, and saves the model', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const csv = path.join(dir, 'train.csv');
    await writeTrainCsv(csv, 30);
    const out = path.join(dir, 'model');
    const r = await runCli(['train', '--data', csv, '--out', out, '--epochs', '200', '--model', 'seed', '--batch-size', '32', '--time-budget', '1', '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const summary = JSON.parse(r.out.at(-1)!);
    assert.equal(summary.state, 'succeeded');
    assert.equal(summary.stoppedEarly, true);
    assert.ok(summary.epochs >= 1 && summary.epochs < 200, `${summary.epochs} epochs`);
    await fs.access(path.join(out, 'weights.bin'));
  } finally {
    await cleanup();
  }
});

test('train: bad input exits 2 with a one-line message', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const csv = path.join(dir, 'train.csv');
    await writeTrainCsv(csv, 2);
    const cases: [string[], RegExp][] = [
      [['train', '--out', path.join(dir, 'm')], /needs --data/],
      [['train', '--data', csv], /needs --out/],
      [['train', '--data', csv, '--out', path.join(dir, 'm'), '--epochs', '0'], /--epochs must be/],
      [['train', '--data', csv, '--out', path.join(dir, 'm'), '--time-budget', '0'], /--time-budget must be/],
      [['train', '--data', csv, '--out', path.join(dir, 'm'), '--val-split', '0.9'], /--val-split must be/],
      [['train', '--data', csv, '--out', path.join(dir, 'm'), '--model', 'huge'], /--model must be/],
      [['train', '--data', csv, '--out', path.join(dir, 'm'), '--freeze-features'], /needs --base/],
      [['train', '--data', path.join(dir, 'missing.csv'), '--out', path.join(dir, 'm')], /missing\.csv/],
      [['train', '--data', csv, '--out', path.join(dir, 'm'), '--bogus'], /unknown option --bogus/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.err.join(' | ')}`);
      assert.equal(r.err.length, 1, `one line for ${argv.join(' ')}: ${r.err.join(' | ')}`);
      assert.match(r.err[0]!, pattern);
    }
  } finally {
    await cleanup();
  }
});
