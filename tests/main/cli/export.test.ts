// `digit-studio export` and `export-data`: each format is written where --out says, --json reports
// it; bad input exits 2 with one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli, writeTrainCsv } from '../../helpers/cli-fixtures';
import { saveArchModel } from '../../helpers/export-fixtures';
import { tempDir } from '../../helpers/ml-fixtures';

test('export writes ONNX, a TF.js zip and a web page; --json says where and how big', async () => {
  const { dir, cleanup } = await tempDir('cli-export-');
  try {
    const model = await saveArchModel(dir, 'seed');
    for (const [format, name] of [['onnx', 'm.onnx'], ['tfjs', 'm.zip'], ['web', 'm.html']] as const) {
      const out = path.join(dir, name);
      const r = await runCli(['export', '--model', model, '--format', format, '--out', out, '--json']);
      assert.equal(r.code, 0, r.err.join('\n'));
      const j = JSON.parse(r.out.at(-1)!);
      assert.equal(j.format, format);
      assert.equal(j.path, out);
      assert.equal(j.bytes, (await fs.stat(out)).size);
    }
    const plain = await runCli(['export', '--model', model, '--format', 'onnx', '--out', path.join(dir, 'p.onnx')]);
    assert.match(plain.out[0]!, /^Exported ONNX to .*p\.onnx \(/);
  } finally {
    await cleanup();
  }
});

test('export and export-data refuse bad input with exit 2 and one line', async () => {
  const { dir, cleanup } = await tempDir('cli-export-');
  try {
    const model = await saveArchModel(dir, 'seed');
    const cases: [string[], RegExp][] = [
      [['export', '--format', 'onnx', '--out', 'x.onnx'], /needs --model/],
      [['export', '--model', model, '--format', 'pdf', '--out', 'x'], /--format onnx\|tfjs\|web/],
      [['export', '--model', model, '--format', 'onnx'], /needs --out/],
      [['export', '--model', path.join(dir, 'missing'), '--format', 'onnx', '--out', path.join(dir, 'x.onnx')], /not found/],
      [['export', '--model', dir, '--format', 'onnx', '--out', path.join(dir, 'x.onnx')], /model\.json/],
      [['export-data', '--format', 'csv', '--out', 'x.csv'], /needs one dataset/],
      [['export-data', path.join(dir, 'nope.csv'), '--format', 'csv', '--out', path.join(dir, 'y.csv')], /not found/],
      [['export-data', 'a.csv', '--format', 'xls', '--out', 'y'], /--format csv\|zip/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err.join('\n')}`);
      assert.equal(r.err.length, 1, r.err.join('\n'));
      assert.match(r.err[0]!, message);
    }
    await assert.rejects(fs.stat(path.join(dir, 'x.onnx')));
  } finally {
    await cleanup();
  }
});

test('export-data: a CSV in, CSV and zip out, both re-importable with the same counts', async () => {
  const { dir, cleanup } = await tempDir('cli-export-');
  try {
    const csv = path.join(dir, 'train.csv');
    await writeTrainCsv(csv, 4);
    for (const format of ['csv', 'zip']) {
      const out = path.join(dir, `again.${format}`);
      const r = await runCli(['export-data', csv, '--format', format, '--out', out, '--json']);
      assert.equal(r.code, 0, r.err.join('\n'));
      assert.equal(JSON.parse(r.out.at(-1)!).count, 40);
      const back = await runCli(['import', out, '--json']);
      assert.equal(back.code, 0, back.err.join('\n'));
      assert.deepEqual(JSON.parse(back.out.at(-1)!).perClass, new Array(10).fill(4));
    }
    // The built-in MNIST test set by name.
    const builtin = await runCli(['export-data', 'builtin:test', '--format', 'csv', '--out', path.join(dir, 'test.csv'), '--json']);
    assert.equal(builtin.code, 0, builtin.err.join('\n'));
    assert.equal(JSON.parse(builtin.out.at(-1)!).count, 10_000);
    assert.equal((await runCli(['export-data', 'builtin:nope', '--format', 'csv', '--out', path.join(dir, 'n.csv')])).code, 2);
    if (process.platform !== 'win32') {
      const same = await runCli(['export-data', csv, '--format', 'csv', '--out', csv]);
      assert.equal(same.code, 2);
    }
  } finally {
    await cleanup();
  }
});
