import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cleanStaleTemps,
  isTempName,
  recoverDir,
  writeDirAtomic,
  writeFileAtomic,
  writeJsonAtomic,
} from '../../../main/util/atomic-file';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'ds-atomic-'));
}

test('writeFileAtomic replaces a file whole and leaves no temp behind', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'sub', 'a.json');
  await writeJsonAtomic(file, { v: 1 });
  await writeFileAtomic(file, JSON.stringify({ v: 2 }));
  assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')), { v: 2 });
  assert.deepEqual(await fs.readdir(path.dirname(file)), ['a.json']);
  await fs.rm(dir, { recursive: true });
});

test('writeFileAtomic that fails keeps the old file and removes its temp', async () => {
  const dir = await tempDir();
  const file = path.join(dir, 'a.txt');
  await writeFileAtomic(file, 'old');
  // A folder where the file should go makes the final rename fail after the temp was written.
  const blocked = path.join(dir, 'blocked');
  await fs.mkdir(path.join(blocked, 'x'), { recursive: true });
  await assert.rejects(writeFileAtomic(blocked, 'new'));
  assert.equal(await fs.readFile(file, 'utf8'), 'old');
  assert.deepEqual((await fs.readdir(dir)).sort(), ['a.txt', 'blocked']);
  await fs.rm(dir, { recursive: true });
});

test('writeDirAtomic replaces a whole folder; a failing fill leaves the old one', async () => {
  const dir = await tempDir();
  const target = path.join(dir, 'model');
  await writeDirAtomic(target, async (t) => fs.writeFile(path.join(t, 'v'), '1'));
  await writeDirAtomic(target, async (t) => fs.writeFile(path.join(t, 'v'), '2'));
  assert.equal(await fs.readFile(path.join(target, 'v'), 'utf8'), '2');
  await assert.rejects(
    writeDirAtomic(target, async () => {
      throw new Error('disk full');
    }),
    /disk full/,
  );
  assert.equal(await fs.readFile(path.join(target, 'v'), 'utf8'), '2');
  assert.deepEqual(await fs.readdir(dir), ['model']);
  await fs.rm(dir, { recursive: true });
});

test('a replacement killed between its two renames is recovered, not deleted', async () => {
  const dir = await tempDir();
  const target = path.join(dir, 'model');
  // The state a kill leaves: the old folder moved aside, the new one still a temp, no target.
  await fs.mkdir(path.join(dir, '.old-model-0123abcd'));
  await fs.writeFile(path.join(dir, '.old-model-0123abcd', 'v'), 'old');
  await fs.mkdir(path.join(dir, '.tmp-model-89abcdef'));
  assert.ok(isTempName('.old-model-0123abcd') && isTempName('.tmp-model-89abcdef'));

  assert.equal(await recoverDir(target), true);
  assert.equal(await fs.readFile(path.join(target, 'v'), 'utf8'), 'old');
  assert.equal(await recoverDir(target), false, 'nothing to do once the target exists');

  // The same state again, tidied by cleanStaleTemps (what the libraries run on open).
  await fs.rename(target, path.join(dir, '.old-model-0123abcd'));
  await cleanStaleTemps(dir);
  assert.deepEqual(await fs.readdir(dir), ['model']);
  assert.equal(await fs.readFile(path.join(target, 'v'), 'utf8'), 'old');

  // An aside whose target exists is a finished replacement's leftover: removed.
  await fs.mkdir(path.join(dir, '.old-model-fedcba98'));
  assert.equal(await cleanStaleTemps(dir), 1);
  assert.deepEqual(await fs.readdir(dir), ['model']);
  // A folder whose name merely starts like another's aside is never taken for it.
  await fs.mkdir(path.join(dir, '.old-model-x-0123abcd'));
  await fs.rm(target, { recursive: true });
  assert.equal(await recoverDir(target), false);
  await fs.rm(dir, { recursive: true });
});
