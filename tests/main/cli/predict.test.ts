// `digit-studio predict`: one JSON object per image with all ten probabilities; bad images and
// models exit 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli, writeDigitPngs, writeUntrainedModel } from '../../helpers/cli-fixtures';

test('predict --json gives file, digit, confidence and ten probabilities per image', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-');
  try {
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const images = await writeDigitPngs(dir, [3, 7]);
    const r = await runCli(['predict', '--model', model, ...images, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.equal(r.out.length, 2);
    r.out.forEach((line, k) => {
      const p = JSON.parse(line);
      assert.deepEqual(Object.keys(p), ['file', 'digit', 'confidence', 'probabilities']);
      assert.equal(p.file, images[k]);
      assert.equal(p.probabilities.length, 10);
      assert.ok(Math.abs(p.probabilities.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-4);
      assert.equal(p.confidence, Math.max(...p.probabilities));
      assert.equal(p.digit, p.probabilities.indexOf(p.confidence));
    });

    const notImage = path.join(dir, 'notes.png');
    await fs.writeFile(notImage, 'hello');
    const bad = await runCli(['predict', '--model', model, notImage]);
    assert.equal(bad.code, 2);
    assert.equal(bad.err.length, 1);
    assert.match(bad.err[0]!, /notes\.png/);
    const missing = await runCli(['predict', '--model', path.join(dir, 'nope'), images[0]!]);
    assert.equal(missing.code, 2);
    assert.match(missing.err[0]!, /nope: not found/);
    const none = await runCli(['predict', '--model', model]);
    assert.equal(none.code, 2);
    assert.match(none.err[0]!, /at least one image/);
  } finally {
    await cleanup();
  }
});
