// The end-to-end driver's choices, which decide whether a run drives the real app: the mode from
// DIGIT_STUDIO_E2E and the installed binary, finding that binary without require('electron'), and
// the dialog answers and environment handed to the app, read back by the app's own test mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chooseE2eMode, electronTestEnv, FileDialogStub, installedElectronBinary } from './driver';
import { electronTestMode, fileDialogPort, parseDialogAnswers } from '../../main/electron/test-mode';

const BIN = '/opt/electron/electron';

test('the mode: harness unless DIGIT_STUDIO_E2E=electron; electron needs a binary; anything else is refused', () => {
  assert.equal(chooseE2eMode({}, null).mode, 'harness');
  assert.match(chooseE2eMode({}, null).reason, /WebSocket harness \(no Electron binary installed\)/);
  const installed = chooseE2eMode({}, BIN);
  assert.equal(installed.mode, 'harness', 'an installed binary alone does not switch modes');
  assert.match(installed.reason, /DIGIT_STUDIO_E2E=electron drives the real app/);
  assert.equal(chooseE2eMode({ DIGIT_STUDIO_E2E: 'harness' }, BIN).mode, 'harness');
  assert.deepEqual(chooseE2eMode({ DIGIT_STUDIO_E2E: 'electron' }, BIN), {
    mode: 'electron',
    electronBinary: BIN,
    reason: `the real app in Electron (${BIN})`,
  });
  assert.throws(() => chooseE2eMode({ DIGIT_STUDIO_E2E: 'electron' }, null), /DIGIT_STUDIO_E2E=electron, but no Electron binary is installed/);
  assert.throws(() => chooseE2eMode({ DIGIT_STUDIO_E2E: 'chromium' }, BIN), /must be "electron" or "harness" \(got "chromium"\)/);
});

test('the Electron binary is found from node_modules/electron/path.txt, only when it exists', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'driver-root-'));
  try {
    assert.equal(installedElectronBinary(root), null, 'no electron package');
    const pkg = path.join(root, 'node_modules', 'electron');
    await mkdir(path.join(pkg, 'dist'), { recursive: true });
    assert.equal(installedElectronBinary(root), null, 'package without path.txt (its binary was never downloaded)');
    await writeFile(path.join(pkg, 'path.txt'), 'electron');
    assert.equal(installedElectronBinary(root), null, 'path.txt naming a missing binary');
    await writeFile(path.join(pkg, 'dist', 'electron'), '');
    assert.equal(installedElectronBinary(root), path.join(pkg, 'dist', 'electron'));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('without DIGIT_STUDIO_E2E the run is on the harness, Electron installed or not', () => {
  // Electron's binary can't be downloaded here; where it can, this documents what the run will do.
  const binary = installedElectronBinary();
  const choice = chooseE2eMode({}, binary);
  assert.equal(choice.mode, 'harness');
});

test('the app reads back what the driver hands it: test mode, userData, dialog answers in order', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'driver-env-'));
  try {
    const { env, userData, dialogsFile } = electronTestEnv({ PATH: '/bin', NODE_TEST_CONTEXT: 'child-v8', NODE_OPTIONS: '--import tsx', KEEP: 'x' }, dir);
    assert.equal(env.NODE_TEST_CONTEXT, undefined, 'the app is not a node:test child');
    assert.equal(env.NODE_OPTIONS, undefined, 'no loader flags leak into Electron');
    assert.equal(env.KEEP, 'x');
    assert.deepEqual(electronTestMode(env, false), { dialogsFile, userData });
    assert.equal(electronTestMode(env, true), null, 'and a packaged app would ignore it all');

    const stub = new FileDialogStub(dialogsFile);
    assert.deepEqual(parseDialogAnswers(await readFile(dialogsFile, 'utf8'), dialogsFile), [], 'an empty list from the start');
    const port = fileDialogPort(dialogsFile);
    const zip = path.join(dir, 'digits.zip');
    stub.enqueue([zip]);
    stub.enqueue(null);
    const ask = { title: 'Import', mode: 'files' as const, multiple: true, filters: [] };
    assert.deepEqual(await port.openPaths(ask), [zip]);
    assert.equal(await port.openPaths(ask), null);
    stub.enqueue([dir]);
    assert.deepEqual(await port.openPaths(ask), [dir]);
    assert.throws(() => stub.enqueue(['relative.zip']), /absolute paths/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
