import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  MOVED_FOLDER_NAME,
  copyDataDir,
  defaultDataDir,
  folderTally,
  loadSettings,
  resolveDataDir,
  saveSettings,
} from '../../../main/electron/data-dir';
import { UserError } from '../../../main/util/errors';

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-datadir-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function fillData(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'datasets', 'ds-1'), { recursive: true });
  await mkdir(path.join(dir, 'models', 'm-1'), { recursive: true });
  await writeFile(path.join(dir, 'datasets', 'ds-1', 'data.bin'), Buffer.alloc(50_000, 3));
  await writeFile(path.join(dir, 'models', 'm-1', 'model.json'), '{"x":1}');
  await writeFile(path.join(dir, 'runs.json'), '[]');
}

test('the data folder defaults to <userData>/data; a chosen one is remembered', async () => {
  await withTemp(async (userData) => {
    assert.deepEqual(await loadSettings(userData), {});
    assert.equal(resolveDataDir(userData, {}), path.join(userData, 'data'));
    await saveSettings(userData, { dataDir: '/mnt/big/Digit Studio Data' });
    assert.equal(resolveDataDir(userData, await loadSettings(userData)), '/mnt/big/Digit Studio Data');
    for (const bad of ['{"dataDir": "relative/x"}', '{"dataDir": 5}', 'garbage', '{"dataDir": "/a\\u0000b"}']) {
      await writeFile(path.join(userData, 'settings.json'), bad);
      assert.equal(resolveDataDir(userData, await loadSettings(userData)), defaultDataDir(userData), bad);
    }
  });
});

test('moving copies everything, checks the copy, and leaves the original untouched', async () => {
  await withTemp(async (root) => {
    const from = path.join(root, 'old');
    await fillData(from);
    const before = await folderTally(from);
    const target = await copyDataDir(from, path.join(root, 'new place'));
    assert.equal(target, path.join(root, 'new place', MOVED_FOLDER_NAME));
    assert.deepEqual(await folderTally(target), before);
    assert.deepEqual(await folderTally(from), before, 'the original is kept');
    assert.equal(await readFile(path.join(target, 'models', 'm-1', 'model.json'), 'utf8'), '{"x":1}');
    assert.deepEqual(await readdir(path.join(root, 'new place')), [MOVED_FOLDER_NAME], 'no temp folder left behind');
  });
});

test('moving a data folder that does not exist yet gives an empty new one', async () => {
  await withTemp(async (root) => {
    const target = await copyDataDir(path.join(root, 'never-created'), root);
    assert.deepEqual(await readdir(target), []);
  });
});

test('moving refuses places that would lose or loop data, and never overwrites', async () => {
  await withTemp(async (root) => {
    const from = path.join(root, 'data');
    await fillData(from);
    await assert.rejects(copyDataDir(from, path.join(from, 'models')), (e: unknown) => e instanceof UserError && /inside the current data folder/.test(e.message));
    const occupied = path.join(root, 'occupied');
    await mkdir(path.join(occupied, MOVED_FOLDER_NAME), { recursive: true });
    await writeFile(path.join(occupied, MOVED_FOLDER_NAME, 'precious.txt'), 'keep me');
    await assert.rejects(copyDataDir(from, occupied), /already exists and is not empty/);
    assert.equal(await readFile(path.join(occupied, MOVED_FOLDER_NAME, 'precious.txt'), 'utf8'), 'keep me');
    const nested = path.join(root, 'outer');
    await fillData(path.join(nested, MOVED_FOLDER_NAME, 'x'));
    await assert.rejects(copyDataDir(path.join(nested, MOVED_FOLDER_NAME, 'x'), nested), /inside the new place/);
    await assert.rejects(copyDataDir(from, 'relative'), /absolute/);
  });
});

test('a copy that fails midway leaves no partial folder and a clear message', { skip: process.platform === 'win32' }, async () => {
  await withTemp(async (root) => {
    const from = path.join(root, 'data');
    await fillData(from);
    // A named pipe can't be copied: a failure injected in the middle of the copy, even as root.
    execFileSync('mkfifo', [path.join(from, 'models', 'pipe')]);
    const dest = path.join(root, 'dest');
    await mkdir(dest);
    await assert.rejects(copyDataDir(from, dest), (e: unknown) => e instanceof UserError && /Your data stays in/.test(e.message));
    assert.deepEqual(await readdir(dest), [], 'neither the target nor a temp folder is left');
    assert.equal((await folderTally(from)).files, 3, 'the original is untouched');
  });
});
