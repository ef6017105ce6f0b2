// `digit-studio read`: one JSON object per picture {"file","text","confidence","digits":[{"digit",
// "confidence","box"}]}; bad input exits 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/ml-fixtures';
import { runCli, writeUntrainedModel } from '../../helpers/cli-fixtures';
import { composeNumber, mnistDigits, renderPhoto } from '../../helpers/number-photos';

test('read --json gives file, text, confidence and a box per digit; bad input exits 2', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-read-');
  try {
    const model = path.join(dir, 'model');
    await writeUntrainedModel(model);
    const { labels } = mnistDigits('test');
    const indices = [2, 0, 2, 6].map((d) => labels.findIndex((l) => l === d));
    const number = composeNumber({ indices, spacing: 'gap', broken: false, seed: 1 });
    const photo = await renderPhoto(number, 2.5, 2);
    const file = path.join(dir, 'number.jpg');
    await fs.writeFile(file, photo.buffer);
    const r = await runCli(['read', '--model', model, file, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.equal(r.out.length, 1);
    const p = JSON.parse(r.out[0]!);
    assert.deepEqual(Object.keys(p), ['file', 'text', 'confidence', 'digits']);
    assert.equal(p.file, file);
    // An untrained model reads nonsense, but the four digits are still found, left to right.
    assert.equal(p.digits.length, 4);
    assert.equal(p.text, p.digits.map((d: { digit: number }) => d.digit).join(''));
    for (const d of p.digits) {
      assert.deepEqual(Object.keys(d), ['digit', 'confidence', 'box']);
      assert.equal(d.box.length, 4);
      assert.ok(d.box.every((v: number) => Number.isInteger(v) && v >= 0));
      assert.ok(d.confidence > 0 && d.confidence <= 1);
    }
    const xs = p.digits.map((d: { box: number[] }) => d.box[0]);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
    photo.boxes.forEach((t, k) => {
      const b = p.digits[k].box;
      assert.ok(Math.abs(b[0] + b[2] / 2 - (t[0] + t[2] / 2)) < t[3] / 4, `box ${k}`);
    });

    const blank = path.join(dir, 'blank.png');
    await fs.writeFile(blank, await (await import('sharp')).default({ create: { width: 200, height: 80, channels: 3, background: '#ffffff' } }).png().toBuffer());
    const empty = await runCli(['read', '--model', model, blank, '--json']);
    assert.equal(empty.code, 2);
    assert.equal(empty.err.length, 1);
    assert.match(empty.err[0]!, /blank\.png: no ink found/);
    const notImage = path.join(dir, 'notes.png');
    await fs.writeFile(notImage, 'hello');
    const bad = await runCli(['read', '--model', model, notImage]);
    assert.equal(bad.code, 2);
    assert.match(bad.err[0]!, /notes\.png/);
    const noModel = await runCli(['read', '--model', path.join(dir, 'nope'), file]);
    assert.equal(noModel.code, 2);
    assert.match(noModel.err[0]!, /nope: not a model folder/);
    const none = await runCli(['read', '--model', model]);
    assert.equal(none.code, 2);
    assert.match(none.err[0]!, /at least one picture/);
  } finally {
    await cleanup();
  }
});

test('read --model builtin --json reads a photographed 5-digit number of MNIST test digits, two pairs touching, right', async () => {
  const { dir, cleanup } = await tempDir('ds-cli-read-builtin-');
  try {
    const { labels } = mnistDigits('test');
    // The 3rd test digit of each of 4, 0, 7, 2, 9; 4|0 and 7|2 overlap by 2 px and 1 px.
    const indices = [4, 0, 7, 2, 9].map((d) => labels.findIndex((l, i) => l === d && labels.slice(0, i).filter((x) => x === d).length === 2));
    const number = composeNumber({ indices, spacing: 'touch', broken: false, seed: 3, gaps: [-2, 4, -1, 5] });
    const photo = await renderPhoto(number, 2.6, 5);
    const file = path.join(dir, 'touching.jpg');
    await fs.writeFile(file, photo.buffer);
    const r = await runCli(['read', '--model', 'builtin', file, '--json']);
    assert.equal(r.code, 0, r.err.join('\n'));
    const p = JSON.parse(r.out[0]!);
    assert.equal(p.text, '40729');
    assert.equal(p.digits.length, 5);
    photo.boxes.forEach((t, k) => {
      const b = p.digits[k].box;
      assert.ok(Math.abs(b[0] + b[2] / 2 - (t[0] + t[2] / 2)) < t[3] / 3, `box ${k}: ${b} vs ${t}`);
    });
  } finally {
    await cleanup();
  }
});
