// Fault tests (issue 7), data side:
// - a process saving a dataset (or adding handwriting samples through the library) is SIGKILLed at
//   random moments; the file always loads afterwards as the old or the new version, never half;
// - a full disk and a read-only data folder (real ones: small tmpfs mounts) give a clear UserError
//   and leave no partial files; what was there before still loads.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { loadDatasetFile, saveDatasetFile } from '../../../main/data/dataset-file';
import { DatasetLibrary } from '../../../main/data/library';
import { CUSTOM_ID } from '../../../main/data/library-ids';
import { IMAGE_PIXELS } from '../../../main/data/dataset';
import { UserError } from '../../../main/util/errors';
import { rng } from '../../helpers/digit-photos';
import { kaggleCsv, tempDir } from '../../helpers/mnist-files';
import { loadStarterDataset } from '../../../main/data/starter';
import { writeFileSync } from 'node:fs';

const CHILD = path.join(__dirname, '../../helpers/save-loop-child.ts');
const tmp = tempDir();
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  tmp.cleanup();
});

/** Starts the child; resolves after it has printed `lines` lines, then kills it `delayMs` later. */
function runAndKill(args: string[], lines: number, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString().split('\n').filter(Boolean).length;
      if (seen >= lines && !timer) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
    });
  });
}

test('SIGKILL while saving a dataset: the file always loads as the old or the new version', async (t) => {
  const dir = path.join(tmp.dir, 'kill-dataset');
  mkdirSync(dir);
  const file = path.join(dir, 'data.dsb');
  const r = rng(99);
  const runs = 12;
  let leftovers = 0;
  const seenVersions = new Set<number>();
  for (let k = 0; k < runs; k++) {
    await runAndKill(['dataset', file], 1 + Math.floor(r() * 3), Math.floor(r() * 120));
    const temps = readdirSync(dir).filter((n) => n.startsWith('.tmp-'));
    if (temps.length) leftovers++;
    const ds = await loadDatasetFile(file); // never throws: never half written
    assert.ok(
      (ds.count === 12_000 && ds.pixels.every((v) => v === 1) && ds.labels.every((l) => l === 1)) ||
        (ds.count === 8_000 && ds.pixels.every((v) => v === 2) && ds.labels.every((l) => l === 2)),
      `run ${k}: a mix of versions (count ${ds.count})`,
    );
    seenVersions.add(ds.count);
    for (const n of temps) rmSync(path.join(dir, n));
  }
  t.diagnostic(`${runs} kills, ${leftovers} landed mid-write (temp file left, target intact), versions seen: ${[...seenVersions].join(', ')}`);
  assert.ok(leftovers >= 1, 'at least one kill should land while a write was in progress');
});

test('SIGKILL while adding handwriting samples: the library reopens and the dataset is whole', async (t) => {
  const dataDir = path.join(tmp.dir, 'kill-library');
  // Create the library once, so the child spends its time adding samples.
  await DatasetLibrary.open(dataDir);
  const r = rng(7);
  let last = -1;
  for (let k = 0; k < 6; k++) {
    await runAndKill(['custom', dataDir], 2 + Math.floor(r() * 4), Math.floor(r() * 60));
    const lib = await DatasetLibrary.open(dataDir);
    assert.ok(!readdirSync(path.join(dataDir, 'datasets')).some((n) => n.startsWith('.tmp-')), 'temp files cleaned on open');
    const ds = await lib.load(CUSTOM_ID);
    assert.equal(ds.pixels.length, ds.count * IMAGE_PIXELS);
    assert.ok(ds.count >= last, 'samples are never lost');
    last = ds.count;
    // The list agrees with the file (repaired if the kill fell between the two writes).
    assert.equal(lib.get(CUSTOM_ID).count, ds.count);
  }
  t.diagnostic(`6 kills while adding samples; ${last} samples kept, all loadable`);
});

/** Writes to the file until the disk is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

/** Mounts a small tmpfs (we run as root); null when mounting isn't allowed here. */
function mountTmpfs(name: string, size: string): string | null {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  const res = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (res.status !== 0) return null;
  mounts.push(dir);
  return dir;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p).map((x) => path.join(n, x)));
    else out.push(n);
  }
  return out.sort();
}

test('disk full: saving fails with a clear UserError, the old version survives, no partial files', async (t) => {
  const dir = mountTmpfs('full', '2m');
  if (!dir) return t.skip('mounting a tmpfs is not permitted here');
  const file = path.join(dir, 'd.dsb');
  const small = { count: 100, pixels: new Uint8Array(100 * IMAGE_PIXELS).fill(7), labels: new Int8Array(100).fill(3), sources: new Array(100).fill('s') };
  await saveDatasetFile(file, small);
  const big = { count: 4000, pixels: new Uint8Array(4000 * IMAGE_PIXELS).fill(9), labels: new Int8Array(4000).fill(4), sources: new Array(4000).fill('b') };
  await assert.rejects(saveDatasetFile(file, big), (err: unknown) => {
    assert.ok(err instanceof UserError);
    assert.match(err.message, /disk is full/);
    assert.ok(err.message.includes(file));
    return true;
  });
  assert.deepEqual(filesUnder(dir), ['d.dsb'], 'no temp file left behind');
  assert.equal((await loadDatasetFile(file)).count, 100);

  // The library on a full disk still opens (the built-in sets are read where they ship, never
  // copied): they are listed, the index that could not be written is a problem for the log, and
  // nothing is half-made.
  const libDir = mountTmpfs('full-lib', '1m');
  assert.ok(libDir);
  mkdirSync(path.join(libDir, 'datasets'));
  fillDisk(path.join(libDir, 'filler'));
  const lib = await DatasetLibrary.open(libDir);
  assert.deepEqual(lib.list().map((s) => s.count), [60_000, 10_000]);
  assert.ok(lib.problems.some((p) => /disk is full/.test(p)), lib.problems.join('\n'));
  assert.deepEqual(filesUnder(libDir), ['filler'], 'nothing left behind');
});

test('disk full during an import into the library: error, list unchanged, no partial files', async (t) => {
  const dataDir = mountTmpfs('full-import', '1m');
  if (!dataDir) return t.skip('mounting a tmpfs is not permitted here');
  const lib = await DatasetLibrary.open(dataDir); // the built-in sets take no room here
  const before = filesUnder(dataDir);
  const csv = path.join(tmp.dir, 'big.csv');
  const ds = await loadStarterDataset(300); // 3,000 samples: 2.4 MB, more than is left
  writeFileSync(csv, kaggleCsv(ds));
  await assert.rejects(lib.importPaths([csv]), (err: unknown) => err instanceof UserError && /disk is full/.test(err.message));
  assert.deepEqual(lib.list().map((s) => s.id), ['starter', 'mnist-test']);
  assert.deepEqual(filesUnder(dataDir), before);
  assert.equal((await DatasetLibrary.open(dataDir)).list().length, 2);
});

test('read-only data folder: reading works, every write is refused with a clear UserError, nothing changes', async (t) => {
  const dataDir = mountTmpfs('readonly', '16m');
  if (!dataDir) return t.skip('mounting a tmpfs is not permitted here');
  const lib = await DatasetLibrary.open(dataDir);
  await lib.addCustomSample(new Uint8Array(IMAGE_PIXELS).fill(200), 1);
  assert.equal(spawnSync('mount', ['-o', 'remount,ro', dataDir]).status, 0);
  const before = filesUnder(dataDir);
  const ro = await DatasetLibrary.open(dataDir);
  assert.equal(ro.list().length, 3);
  assert.equal((await ro.load('starter')).count, 60_000);
  const csv = path.join(tmp.dir, 'small.csv');
  writeFileSync(csv, kaggleCsv(await loadStarterDataset(2)));
  const readOnly = (err: unknown) => err instanceof UserError && /read-only/.test(err.message);
  await assert.rejects(ro.importPaths([csv]), readOnly);
  await assert.rejects(ro.addCustomSample(new Uint8Array(IMAGE_PIXELS).fill(100), 2), readOnly);
  await assert.rejects(ro.setIncluded('starter', false), readOnly);
  assert.equal(ro.get('starter').included, true, 'the change was rolled back');
  assert.equal(ro.get(CUSTOM_ID).count, 1);
  assert.deepEqual(filesUnder(dataDir), before);
});
