import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../../main/cli/cli';
import type { CliIo } from '../../../main/cli/io';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { imageAt, type Dataset } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { encodeGray, digitPhoto } from '../../helpers/digit-photos';
import { kaggleCsv, tempDir } from '../../helpers/mnist-files';
import { writeZip } from '../../helpers/zip-writer';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../../..');
const tmp = tempDir();
let ds: Dataset;
let csv: string;
let zip: string;
before(async () => {
  ds = await loadStarterDataset(3);
  csv = path.join(tmp.dir, 'train.csv');
  writeFileSync(csv, kaggleCsv(ds) + '1,2,3\n');
  const entries = [];
  for (let i = 0; i < ds.count; i++) {
    const g = digitPhoto(imageAt(ds, i), { width: 64, height: 64, digitSize: 44, at: { x: 10, y: 10 }, seed: i });
    entries.push({ name: `${ds.labels[i]}/${i}.png`, data: await encodeGray(g, 64, 64, 'png') });
  }
  entries.push({ name: '../evil.png', data: entries[0]!.data });
  zip = path.join(tmp.dir, 'mine.zip');
  writeFileSync(zip, writeZip(entries));
});
after(tmp.cleanup);

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l), isTty: false };
}

test('import --json: the last line is exactly {count, perClass, skipped}', async () => {
  const io = capture();
  const code = await main(['import', csv, zip, '--json'], io);
  assert.equal(code, 0, io.stderr.join('\n'));
  const last = JSON.parse(io.stdout.at(-1)!);
  assert.deepEqual(Object.keys(last), ['count', 'perClass', 'skipped']);
  assert.equal(last.count, 60);
  assert.deepEqual(last.perClass, new Array(10).fill(6));
  assert.equal(last.skipped.length, 2);
  for (const s of last.skipped) assert.deepEqual(Object.keys(s), ['file', 'reason']);
  assert.ok(last.skipped.some((s: { file: string; reason: string }) => s.file === 'train.csv:row 31' && /has 3 values/.test(s.reason)));
  assert.ok(last.skipped.some((s: { file: string; reason: string }) => s.file.endsWith('!../evil.png') && /outside/.test(s.reason)));
});

test('import without --json prints a readable report; --out saves a dataset file', async () => {
  const io = capture();
  const out = path.join(tmp.dir, 'out.dsb');
  assert.equal(await main(['import', csv, '--out', out], io), 0);
  const text = io.stdout.join('\n');
  assert.match(text, /Imported 30 digits from train\.csv/);
  assert.match(text, /Per digit: 0: 3 {2}1: 3/);
  assert.match(text, /Skipped 1:\n {2}train\.csv:row 31: has 3 values, expected 785/);
  assert.equal((await loadDatasetFile(out)).count, 30);
});

test('bad input: exit 2 and one line on stderr naming the file and the problem', async () => {
  const cases: [string[], RegExp][] = [
    [[path.join(tmp.dir, 'missing.csv')], /missing\.csv: not found/],
    [[tmp.dir], /no folders named 0–9/],
    [[], /needs at least one path/],
    [[csv, '--bogus'], /unknown option --bogus/],
  ];
  const bad = path.join(tmp.dir, 'iris.csv');
  writeFileSync(bad, 'a,b,c\n1,2,3\n');
  cases.push([[bad], /iris\.csv: not an MNIST CSV/]);
  for (const [args, pattern] of cases) {
    const io = capture();
    const code = await main(['import', ...args, '--json'], io);
    assert.equal(code, 2, `${args.join(' ')}: ${io.stderr.join('|')}`);
    assert.equal(io.stderr.length, 1, io.stderr.join('|'));
    assert.match(io.stderr[0]!, pattern);
    assert.equal(io.stdout.length, 0);
  }
});

test('through the real binary: node bin/digit-studio.js import (after the build)', async () => {
  await run(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root });
  assert.ok(existsSync(path.join(root, 'out/cli/cli.js')));
  const bin = path.join(root, 'bin/digit-studio.js');
  const ok = await run(process.execPath, [bin, 'import', csv, zip, '--json'], { cwd: tmp.dir });
  const last = JSON.parse(ok.stdout.trim().split('\n').at(-1)!);
  assert.equal(last.count, 60);
  await assert.rejects(run(process.execPath, [bin, 'import', path.join(tmp.dir, 'nope.zip')]), (err: unknown) => {
    const e = err as { code: number; stderr: string };
    assert.equal(e.code, 2);
    assert.equal(e.stderr.trim().split('\n').length, 1);
    assert.match(e.stderr, /nope\.zip: not found/);
    return true;
  });
});
