// `digit-studio evaluate`: the --json last line has exactly accuracy, count, perClass, confusion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli, writeTrainCsv, writeUntrainedModel } from '../../helpers/cli-fixtures';

test('evaluate --json prints accuracy, count, perClass and the confusion matrix', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const csv = path.join(dir, 'test.csv');
    await writeTrainCsv(csv, 5);
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const r = await runCli(['evaluate', '--model', model, '--data', csv, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const result = JSON.parse(r.out.at(-1)!);
    assert.deepEqual(Object.keys(result), ['accuracy', 'count', 'perClass', 'confusion']);
    assert.equal(result.count, 50);
    assert.equal(result.perClass.length, 10);
    assert.deepEqual(Object.keys(result.perClass[0]).sort(), ['precision', 'recall', 'support']);
    assert.equal(result.perClass[3].support, 5);
    assert.equal(result.confusion.length, 10);
    assert.equal(result.confusion.flat().reduce((a: number, b: number) => a + b, 0), 50);
    const correct = result.confusion.reduce((a: number, row: number[], i: number) => a + row[i]!, 0);
    assert.equal(result.accuracy, correct / 50);

    const human = await runCli(['evaluate', '--model', model, '--data', csv]);
    assert.equal(human.code, 0);
    assert.match(human.out[0]!, /^Accuracy: [\d.]+% on 50 samples/);

    await fs.writeFile(path.join(model, 'weights.bin'), Buffer.alloc(10));
    const bad = await runCli(['evaluate', '--model', model, '--data', csv, '--json']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err.length, 1);
    assert.match(bad.err[0]!, /weights\.bin: weights file has 10 bytes/);
    const noModel = await runCli(['evaluate', '--data', csv]);
    assert.equal(noModel.code, 2);
    assert.match(noModel.err[0]!, /needs --model/);
  } finally {
    await cleanup();
  }
});
