// tests/run.mjs itself: its counts come from Node's own summary, whatever the length of the output,
// and it exits non-zero on any failure, including a file that doesn't even load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const runner = path.join(__dirname, 'run.mjs');

async function fixtureDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'run-mjs-'));
  for (const [name, text] of Object.entries(files)) await fs.writeFile(path.join(dir, name), text);
  return dir;
}

function run(dir: string, ...extra: string[]): { status: number | null; stdout: string; last: string } {
  const r = spawnSync(process.execPath, [runner, `--dir=${dir}`, '--backend=wasm', ...extra], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = r.stdout.trimEnd().split('\n');
  return { status: r.status, stdout: r.stdout, last: lines[lines.length - 1]! };
}

// 40 failures, each printing ~10 KB of assertion output: the old runner, which read the counts from
// the last 4,000 characters, lost them.
const MANY_FAILURES = `
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
for (let i = 0; i < 40; i++) {
  test('fails ' + i, () => assert.equal('x'.repeat(5000) + i, 'y'.repeat(5000)));
}
for (let i = 0; i < 7; i++) test('passes ' + i, () => {});
test('skipped', { skip: 'not here' }, () => {});
test('todo', { todo: true }, () => {});
describe('a suite', () => {
  test('inside passes', () => {});
  test('inside fails', () => { throw new Error('z'.repeat(20000)); });
});
// A test's own diagnostic that looks like a summary line must not be read as one.
test('talks like a summary', (t) => { t.diagnostic('pass 999'); t.diagnostic('fail 0'); });
`;

const ALL_PASS = `
import { test } from 'node:test';
test('one', () => {});
test('two', async (t) => { await t.test('nested', () => {}); });
console.log('-'.repeat(50000));
`;

test('counts come from the runner summary however long the output, and failures make it exit 1', async () => {
  const dir = await fixtureDir({ 'many.test.mjs': MANY_FAILURES, 'fine.test.mjs': ALL_PASS });
  try {
    const r = run(dir);
    assert.ok(r.stdout.length > 400_000, `the output is long (${r.stdout.length} characters)`);
    // many: 7 + 1 + 1 passes, 41 failures, 1 skipped + 1 todo; fine: one, two, nested.
    assert.equal(r.last, '12 passed, 41 failed, 2 skipped');
    assert.equal(r.status, 1);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('an all-green run exits 0; filters pick files', async () => {
  const dir = await fixtureDir({ 'many.test.mjs': MANY_FAILURES, 'fine.test.mjs': ALL_PASS });
  try {
    const r = run(dir, 'fine');
    assert.equal(r.last, '3 passed, 0 failed, 0 skipped');
    assert.equal(r.status, 0);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a file that fails to load is a failure, and so is a filter that matches nothing', async () => {
  const dir = await fixtureDir({ 'broken.test.mjs': 'this is not ( javascript', 'fine.test.mjs': ALL_PASS });
  try {
    const r = run(dir);
    assert.equal(r.last, '3 passed, 1 failed, 0 skipped');
    assert.equal(r.status, 1);
    const none = run(dir, 'no-such-file');
    assert.equal(none.last, '0 passed, 1 failed, 0 skipped');
    assert.equal(none.status, 1);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a process that exits mid-run without a failing test is still a failure', async () => {
  const dir = await fixtureDir({ 'exits.test.mjs': "import { test } from 'node:test';\ntest('ok', () => {});\ntest('exits', () => process.exit(3));\n" });
  try {
    const r = run(dir);
    assert.match(r.last, /^\d+ passed, [1-9]\d* failed, 0 skipped$/);
    assert.equal(r.status, 1);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('an unknown backend is refused', () => {
  const r = spawnSync(process.execPath, [runner, '--backend=gpu'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stdout, /--backend must be wasm, tensorflow or cpu/);
  assert.match(r.stdout.trimEnd(), /0 passed, 1 failed, 0 skipped$/);
});
