// Test mode for end-to-end runs of the real app: only with DIGIT_STUDIO_TEST=1 and never packaged;
// the dialog answers file is parsed strictly and re-read at each dialog; dialogs.ts uses it only then.
import { fake } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { electronTestMode, fileDialogPort, parseDialogAnswers } from '../../../main/electron/test-mode';
import { createDialogPort } from '../../../main/electron/dialogs';

const abs = path.resolve('/tmp/answers.json');
const data = path.resolve('/tmp/user-data');
const ask = { title: 'Import', mode: 'files' as const, multiple: true, filters: [] };

test('test mode needs DIGIT_STUDIO_TEST=1 and an unpackaged app, and absolute paths', () => {
  const env = { DIGIT_STUDIO_TEST: '1', DIGIT_STUDIO_TEST_DIALOGS: abs, DIGIT_STUDIO_TEST_USER_DATA: data };
  assert.deepEqual(electronTestMode(env, false), { dialogsFile: abs, userData: data });
  assert.equal(electronTestMode(env, true), null, 'a packaged build ignores it');
  assert.equal(electronTestMode({ ...env, DIGIT_STUDIO_TEST: undefined }, false), null, 'not without DIGIT_STUDIO_TEST');
  assert.equal(electronTestMode({ ...env, DIGIT_STUDIO_TEST: 'true' }, false), null, 'exactly 1');
  assert.equal(electronTestMode({ DIGIT_STUDIO_TEST: '1' }, false), null, 'nothing asked, nothing changed');
  assert.deepEqual(electronTestMode({ DIGIT_STUDIO_TEST: '1', DIGIT_STUDIO_TEST_DIALOGS: abs }, false), { dialogsFile: abs, userData: null });
  assert.throws(() => electronTestMode({ ...env, DIGIT_STUDIO_TEST_DIALOGS: 'answers.json' }, false), /DIGIT_STUDIO_TEST_DIALOGS must be an absolute path/);
});

test('dialog answers: an array of null or non-empty lists of absolute paths', () => {
  const a = path.resolve('/data/a.zip');
  const b = path.resolve('/data/b.png');
  assert.deepEqual(parseDialogAnswers(JSON.stringify([[a], null, [a, b]]), 'f.json'), [[a], null, [a, b]]);
  assert.deepEqual(parseDialogAnswers('[]', 'f.json'), []);
  assert.throws(() => parseDialogAnswers('{', 'f.json'), /^Error: f\.json: not JSON/);
  assert.throws(() => parseDialogAnswers('{"a":1}', 'f.json'), /f\.json: expected an array of answers/);
  assert.throws(() => parseDialogAnswers('[[]]', 'f.json'), /answer 1 must be null or a non-empty list of paths/);
  assert.throws(() => parseDialogAnswers('["/a"]', 'f.json'), /answer 1 must be null/);
  assert.throws(() => parseDialogAnswers(JSON.stringify([null, [a, 'relative.png']]), 'f.json'), /answer 2, path 2 must be an absolute path/);
  assert.throws(() => parseDialogAnswers(JSON.stringify([[a, 7]]), 'f.json'), /answer 1, path 2/);
});

test('the file port gives each answer once, in order, re-reading the file as the test appends', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'test-dialogs-'));
  try {
    const file = path.join(dir, 'answers.json');
    const a = path.join(dir, 'a.zip');
    await writeFile(file, JSON.stringify([[a], null]));
    const port = fileDialogPort(file);
    assert.deepEqual(await port.openPaths(ask), [a]);
    assert.equal(await port.openPaths(ask), null);
    await assert.rejects(port.openPaths(ask), /dialog "Import" opened, but .*answers\.json holds no answer 3/);
    await writeFile(file, JSON.stringify([[a], null, [dir]]));
    assert.deepEqual(await port.openPaths(ask), [dir]);
    assert.equal(port.given, 3);
    await writeFile(file, 'garbage');
    await assert.rejects(port.openPaths(ask), /not JSON/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dialogs.ts answers from the file only in test mode of an unpackaged app; otherwise the native dialog', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'test-dialogs-'));
  const saved = { ...process.env };
  try {
    const file = path.join(dir, 'answers.json');
    const picked = path.join(dir, 'picked.zip');
    await writeFile(file, JSON.stringify([[picked]]));
    process.env.DIGIT_STUDIO_TEST = '1';
    process.env.DIGIT_STUDIO_TEST_DIALOGS = file;
    fake.app.isPackaged = false;
    const calls = fake.dialog.openCalls.length;
    assert.deepEqual(await createDialogPort(() => null).openPaths(ask), [picked]);
    assert.equal(fake.dialog.openCalls.length, calls, 'no native dialog');

    fake.app.isPackaged = true;
    fake.dialog.openAnswers.push({ canceled: false, filePaths: ['/native/choice.zip'] });
    assert.deepEqual(await createDialogPort(() => null).openPaths(ask), ['/native/choice.zip']);
    assert.equal(fake.dialog.openCalls.length, calls + 1, 'packaged: the native dialog, whatever the environment');

    fake.app.isPackaged = false;
    delete process.env.DIGIT_STUDIO_TEST;
    fake.dialog.openAnswers.push({ canceled: true, filePaths: [] });
    assert.equal(await createDialogPort(() => null).openPaths(ask), null);
    assert.equal(fake.dialog.openCalls.length, calls + 2, 'without DIGIT_STUDIO_TEST: the native dialog');
  } finally {
    fake.app.isPackaged = false;
    for (const k of ['DIGIT_STUDIO_TEST', 'DIGIT_STUDIO_TEST_DIALOGS']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await rm(dir, { recursive: true, force: true });
  }
});

test('app.ts moves userData to the test folder only in test mode of an unpackaged app, before the single-instance lock', async () => {
  const { runApp } = await import('../../../main/electron/app');
  const saved = { ...process.env };
  const log = console.log;
  console.log = () => undefined;
  const notStarted = async (): Promise<never> => {
    throw new Error('services are not started in this test');
  };
  try {
    process.env.DIGIT_STUDIO_TEST = '1';
    process.env.DIGIT_STUDIO_TEST_USER_DATA = data;
    for (const [packaged, expected] of [
      [false, data],
      [true, '/original/user-data'],
    ] as const) {
      fake.app.listeners.clear();
      fake.app.isPackaged = packaged;
      fake.app.lockAvailable = true;
      fake.app.paths.userData = '/original/user-data';
      let userDataAtLock: string | undefined;
      const lock = fake.app.requestSingleInstanceLock.bind(fake.app);
      fake.app.requestSingleInstanceLock = (extra?: unknown) => {
        userDataAtLock = fake.app.paths.userData;
        return lock(extra);
      };
      runApp({ createServices: notStarted });
      assert.equal(fake.app.paths.userData, expected, packaged ? 'packaged: untouched' : 'test mode: the test folder');
      assert.equal(userDataAtLock, expected, 'already in place when the single-instance lock is taken');
      delete (fake.app as { requestSingleInstanceLock?: unknown }).requestSingleInstanceLock;
    }
  } finally {
    console.log = log;
    fake.app.isPackaged = false;
    fake.app.listeners.clear();
    for (const k of ['DIGIT_STUDIO_TEST', 'DIGIT_STUDIO_TEST_USER_DATA']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
});
