import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileArgsFromArgv, filesFromAdditionalData, isImagePath, openFiles } from '../../../main/electron/open-files';
import type { Dispatcher } from '../../../main/ipc/dispatch';

test('file arguments: after the executable (and the app folder in development), no switches', () => {
  assert.deepEqual(fileArgsFromArgv(['/opt/ds/digit-studio', 'a.png', '--flag', '-psn_0_123', '/x/b.csv'], { defaultApp: false, cwd: '/home/ann' }), [
    '/home/ann/a.png',
    '/x/b.csv',
  ]);
  assert.deepEqual(fileArgsFromArgv(['electron', '.', 'seven.png'], { defaultApp: true, cwd: '/w' }), ['/w/seven.png']);
  assert.deepEqual(fileArgsFromArgv(['exe', 'file:///home/ann/my%20digit.png'], { defaultApp: false, cwd: '/' }), ['/home/ann/my digit.png']);
  assert.deepEqual(fileArgsFromArgv(['exe', 'a.png', 'a.png', '', 'x\0y'], { defaultApp: false, cwd: '/d' }), ['/d/a.png']);
  assert.deepEqual(fileArgsFromArgv(['exe'], { defaultApp: false, cwd: '/d' }), []);
});

test('additionalData from a second instance is used only when it is a list of absolute paths', () => {
  assert.deepEqual(filesFromAdditionalData({ files: ['/a.png'] }), ['/a.png']);
  assert.deepEqual(filesFromAdditionalData({ files: [] }), []);
  for (const bad of [null, undefined, 5, {}, { files: 'x' }, { files: ['rel.png'] }, { files: [3] }, { files: Array(1001).fill('/a') }]) {
    assert.equal(filesFromAdditionalData(bad), null, JSON.stringify(bad)?.slice(0, 50));
  }
});

test('opened files: pictures are predicted and shown, the rest imported, failures reported', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-open-'));
  try {
    const png = path.join(dir, 'seven.PNG');
    const csv = path.join(dir, 'train.csv');
    const folder = path.join(dir, 'digits');
    await writeFile(png, 'x');
    await writeFile(csv, 'x');
    await mkdir(folder);
    const calls: [string, unknown[]][] = [];
    const dispatch: Dispatcher = async (name, args) => {
      calls.push([name, args]);
      return name === 'predictPath' ? { ok: true, value: { digit: 7 } } : { ok: false, error: { message: 'train.csv: no rows' } };
    };
    const shown: unknown[] = [];
    const errors: string[] = [];
    const remembered: string[][] = [];
    await openFiles([png, csv, folder, path.join(dir, 'missing.zip')], {
      dispatch,
      showPrediction: (p) => shown.push(p),
      reportError: (m) => errors.push(m),
      remember: (p) => remembered.push(p),
      log: () => undefined,
    });
    assert.deepEqual(calls, [
      ['importPaths', [{ paths: [csv, folder] }]],
      ['predictPath', [{ path: png }]],
    ]);
    assert.deepEqual(shown, [{ digit: 7 }]);
    assert.deepEqual(errors, [`${path.join(dir, 'missing.zip')}: not found`, 'train.csv: no rows']);
    assert.deepEqual(remembered, [[png]]);
    assert.ok(isImagePath('/a/b.TIFF') && isImagePath('x.webp') && !isImagePath('x.csv') && !isImagePath('png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
