import { fake } from './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CALL_NAMES, type Handlers } from '../../../preload/contract';
import { moveDataDirInteractively, resetDataDirInteractively, type DataDirActionDeps } from '../../../main/electron/data-dir-actions';
import { MOVED_FOLDER_NAME, loadSettings } from '../../../main/electron/data-dir';
import { DATA_DIR_MARKER } from '../../../main/services/data-dir-marker';
import { ServiceHost } from '../../../main/electron/service-host';

async function setup() {
  const root = await mkdtemp(path.join(os.tmpdir(), 'ds-actions-'));
  const userData = path.join(root, 'userData');
  const dataDir = path.join(userData, 'data');
  await mkdir(path.join(dataDir, 'models'), { recursive: true });
  await writeFile(path.join(dataDir, 'models', 'model.json'), '{"precious":true}');
  const started: string[] = [];
  const host = new ServiceHost(async (dir) => {
    started.push(dir);
    return { handlers: Object.fromEntries(CALL_NAMES.map((n) => [n, () => dir])) as unknown as Handlers, dispose: async () => undefined };
  }, () => undefined);
  await host.start(dataDir);
  let reloads = 0;
  const deps: DataDirActionDeps = { host, userData, window: () => null, reloadRenderer: () => void reloads++, log: () => undefined };
  fake.dialog.openAnswers.length = 0;
  fake.dialog.messageAnswers.length = 0;
  fake.dialog.messages.length = 0;
  fake.shell.trashed.length = 0;
  return { root, userData, dataDir, host, deps, started, reloads: () => reloads };
}

test('move: canceled at the folder picker or at the confirmation changes nothing', async () => {
  const s = await setup();
  try {
    fake.dialog.openAnswers.push({ canceled: true, filePaths: [] });
    await moveDataDirInteractively(s.deps);
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [path.join(s.root, 'big disk')] });
    fake.dialog.messageAnswers.push(0); // Cancel
    await moveDataDirInteractively(s.deps);
    assert.equal(s.host.dataDir, s.dataDir);
    assert.ok(!existsSync(path.join(s.root, 'big disk', MOVED_FOLDER_NAME)));
    assert.deepEqual(s.started, [s.dataDir]);
  } finally {
    await rm(s.root, { recursive: true, force: true });
  }
});

test('move: copies, switches the services and the saved setting, keeps the old folder unless asked', async () => {
  const s = await setup();
  try {
    const target = path.join(s.root, 'big disk', MOVED_FOLDER_NAME);
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [path.join(s.root, 'big disk')] });
    fake.dialog.messageAnswers.push(1, 0); // Copy and Switch; Keep the Old Folder
    await moveDataDirInteractively(s.deps);
    assert.equal(s.host.dataDir, target);
    assert.equal(await s.host.handlers.listDatasets(), target, 'calls now reach services on the new folder');
    assert.deepEqual(await loadSettings(s.userData), { dataDir: target });
    assert.equal(await readFile(path.join(target, 'models', 'model.json'), 'utf8'), '{"precious":true}');
    assert.equal(await readFile(path.join(s.dataDir, 'models', 'model.json'), 'utf8'), '{"precious":true}', 'old folder kept');
    assert.deepEqual(fake.shell.trashed, []);
    assert.equal(s.reloads(), 1);
  } finally {
    await rm(s.root, { recursive: true, force: true });
  }
});

test('move: the old folder goes to the trash only when the user says so', async () => {
  const s = await setup();
  try {
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [path.join(s.root, 'elsewhere')] });
    fake.dialog.messageAnswers.push(1, 1); // Copy and Switch; Move Old Folder to Trash
    await moveDataDirInteractively(s.deps);
    assert.deepEqual(fake.shell.trashed, [s.dataDir]);
  } finally {
    await rm(s.root, { recursive: true, force: true });
  }
});

test('move: a refused destination leaves the services on the old folder and says why', async () => {
  const s = await setup();
  try {
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [path.join(s.dataDir, 'models')] });
    fake.dialog.messageAnswers.push(1);
    await moveDataDirInteractively(s.deps);
    assert.equal(s.host.dataDir, s.dataDir);
    assert.equal(await s.host.handlers.appInfo(), s.dataDir);
    const shown = fake.dialog.messages.at(-1) as { type: string; detail: string };
    assert.equal(shown.type, 'error');
    assert.match(shown.detail, /inside the current data folder/);
    assert.deepEqual(await loadSettings(s.userData), {});
  } finally {
    await rm(s.root, { recursive: true, force: true });
  }
});

test('reset: nothing happens without confirmation; confirmed, the data goes to the trash and a fresh folder starts', async () => {
  const s = await setup();
  try {
    fake.dialog.messageAnswers.push(0); // Cancel
    await resetDataDirInteractively(s.deps);
    assert.deepEqual(fake.shell.trashed, []);
    assert.ok(existsSync(path.join(s.dataDir, 'models', 'model.json')));
    const warning = fake.dialog.messages[0] as { type: string; defaultId: number; cancelId: number };
    assert.equal(warning.type, 'warning');
    assert.equal(warning.defaultId, warning.cancelId, 'the safe answer is the default');

    fake.dialog.messageAnswers.push(1); // Reset
    await resetDataDirInteractively(s.deps);
    assert.deepEqual(fake.shell.trashed, [s.dataDir]);
    assert.deepEqual(s.started, [s.dataDir, s.dataDir], 'services restarted on the same (fresh) folder');
    assert.equal(s.reloads(), 1);
  } finally {
    await rm(s.root, { recursive: true, force: true });
  }
});

test('reset: when the trash fails, permanent deletion needs a second explicit yes', async () => {
  const s = await setup();
  const trash = fake.shell.trashItem;
  fake.shell.trashItem = async () => {
    throw new Error('no trash on this system');
  };
  try {
    fake.dialog.messageAnswers.push(1, 0); // Reset; then Cancel the permanent delete
    await resetDataDirInteractively(s.deps);
    assert.ok(existsSync(path.join(s.dataDir, 'models', 'model.json')), 'kept');
    assert.equal(s.host.dataDir, s.dataDir);

    fake.dialog.messageAnswers.push(1, 1); // Reset; Delete Permanently
    await resetDataDirInteractively(s.deps);
    assert.ok(!existsSync(path.join(s.dataDir, 'models')), 'deleted after the second yes');
    assert.ok(existsSync(s.dataDir), 'a fresh, empty folder');
  } finally {
    fake.shell.trashItem = trash;
    await rm(s.root, { recursive: true, force: true });
  }
});

test('reset: a folder that does not look like our data folder is never trashed or deleted', async () => {
  const s = await setup();
  const trash = fake.shell.trashItem;
  try {
    // settings.json pointed the app at someone's documents (edited by hand, or a bad move).
    const documents = path.join(s.root, 'Documents');
    await mkdir(path.join(documents, 'models'), { recursive: true });
    await writeFile(path.join(documents, 'taxes-2025.pdf'), 'precious');
    await s.host.restart(async () => documents);
    fake.shell.trashItem = async () => {
      throw new Error('no trash on this system');
    };
    fake.dialog.messageAnswers.push(1, 1, 1); // would say yes to everything
    await resetDataDirInteractively(s.deps);
    assert.ok(existsSync(path.join(documents, 'taxes-2025.pdf')), 'kept');
    const told = fake.dialog.messages.at(-1) as { type: string; message: string; detail: string };
    assert.equal(told.type, 'error');
    assert.match(told.detail, /does not look like a Digit Studio data folder/);
    assert.match(told.detail, /taxes-2025\.pdf/);

    // Our own folder, marked by the services, resets even with entries we don't know of yet.
    await writeFile(path.join(s.dataDir, DATA_DIR_MARKER), '');
    await writeFile(path.join(s.dataDir, 'exports-of-a-later-version'), '');
    await s.host.restart(async () => s.dataDir);
    fake.dialog.messageAnswers.push(1, 1); // Reset; Delete Permanently
    await resetDataDirInteractively(s.deps);
    assert.ok(!existsSync(path.join(s.dataDir, 'models')), 'our folder was reset');
  } finally {
    fake.shell.trashItem = trash;
    await rm(s.root, { recursive: true, force: true });
  }
});
