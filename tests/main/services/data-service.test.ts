// The data service over a real dataset library in a temp data folder: the starter set is there
// from the first start, imports run as tasks (from the dialog port), nothing changes without a call.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { MAX_DROPPED_PATHS, type EventName, type Events } from '../../../preload/contract';
import { DatasetLibrary } from '../../../main/data/library';
import { DataService } from '../../../main/services/data-service';
import { TaskRegistry } from '../../../main/services/tasks';
import { QueuedDialogs } from '../../harness/dialogs';
import { CORRUPT_ENTRY, makeDigitZip } from '../../e2e/fixtures';

let dir: string;
let service: DataService;
let tasks: TaskRegistry;
const dialogs = new QueuedDialogs();
const events: { name: EventName; payload: unknown }[] = [];

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-data-service-'));
  tasks = new TaskRegistry({ emit: (t) => events.push({ name: 'task', payload: t }) });
  const library = await DatasetLibrary.open(path.join(dir, 'data'));
  service = new DataService(
    { dialogs, emit: <E extends EventName>(name: E, payload: Events[E]) => events.push({ name, payload }), log: () => undefined },
    tasks,
    library,
  );
});
after(async () => {
  await tasks.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('the built-in MNIST training set (in training) and test set (for evaluation, not in training) are there from the first start', () => {
  const list = service.listDatasets();
  assert.equal(list.length, 2);
  assert.deepEqual(list.map((d) => [d.kind, d.count, d.included, d.role]), [
    ['starter', 60_000, true, undefined],
    ['starter', 10_000, false, 'test'],
  ]);
});

test('a canceled dialog imports nothing; a chosen zip is imported as a task with a report', async () => {
  dialogs.enqueue(null);
  assert.equal(await service.importWithDialog({ mode: 'files' }), null);
  assert.equal(service.listDatasets().length, 2);

  const { file, pictures } = await makeDigitZip(dir, 2);
  const zipBefore = await readFile(file);
  dialogs.enqueue([file]);
  const task = await service.importWithDialog({ mode: 'files' });
  assert.ok(task);
  assert.equal(task.kind, 'import');
  assert.equal(dialogs.requests.at(-1)!.mode, 'files');
  const done = await tasks.settled(task.id);
  assert.equal(done?.state, 'succeeded', done?.error ?? '');
  const ds = service.listDatasets().find((d) => d.id === done!.resultId)!;
  assert.equal(ds.count, pictures);
  assert.deepEqual(ds.perClass, new Array(10).fill(2));
  assert.equal(ds.report.skippedCount, 1);
  assert.ok(ds.report.skipped[0]!.file.endsWith(CORRUPT_ENTRY));
  assert.ok(events.some((e) => e.name === 'datasetsChanged'));
  // The user's file is only read.
  assert.deepEqual(await readFile(file), zipBefore);

  const page = await service.datasetSamples({ datasetId: ds.id, digit: 4, offset: 0, limit: 10 });
  assert.equal(page.total, 2);
  assert.equal(Buffer.from(page.samples[0]!.pixels, 'base64').length, 784);
  const detail = await service.sampleDetail({ datasetId: ds.id, index: page.samples[0]!.index });
  assert.match(detail.original ?? '', /^data:image\//);
});

test('a folder with one folder per digit is imported through the folder dialog', async () => {
  const root = path.join(dir, 'my digits');
  const { file } = await makeDigitZip(dir, 1);
  // Unpack the zip's pictures into digit folders, the way a user would keep them.
  const AdmZip = (await import('adm-zip')).default;
  new AdmZip(file).extractAllTo(root, true);
  dialogs.enqueue([root]);
  const task = await service.importWithDialog({ mode: 'folder' });
  assert.equal(dialogs.requests.at(-1)!.mode, 'folder');
  const done = await tasks.settled(task!.id);
  assert.equal(done?.state, 'succeeded', done?.error ?? '');
  const ds = service.listDatasets().find((d) => d.id === done!.resultId)!;
  assert.equal(ds.kind, 'folder');
  assert.equal(ds.count, 10);
  assert.equal(ds.report.skippedCount, 1, 'the corrupt picture is reported');
  await service.removeDataset({ datasetId: ds.id });
});

test('an import of a file that is not digit data fails with a message naming it', async () => {
  const before = service.listDatasets().length;
  const junk = path.join(dir, 'notes.txt');
  await writeFile(junk, 'hello, these are not digits\n');
  const task = await service.importPaths({ paths: [junk] });
  const done = await tasks.settled(task.id);
  assert.equal(done?.state, 'failed');
  assert.match(done?.error ?? '', /notes\.txt/);
  assert.equal(service.listDatasets().length, before, 'nothing was added');
});

test('include, custom samples and remove change only what was asked', async () => {
  const imported = service.listDatasets().find((d) => d.kind === 'zip')!;
  const updated = await service.setDatasetIncluded({ datasetId: imported.id, included: false });
  assert.equal(updated.included, false);
  assert.equal(service.listDatasets().find((d) => d.id === 'starter')!.included, true);

  const pixels = Buffer.alloc(784, 0);
  pixels.fill(255, 300, 340);
  const custom = await service.addCustomSample({ pixels: pixels.toString('base64'), label: 1 });
  assert.equal(custom.kind, 'custom');
  assert.equal(custom.count, 1);
  assert.equal((await service.addCustomSample({ pixels: pixels.toString('base64'), label: 2 })).count, 2);
  await assert.rejects(service.addCustomSample({ pixels: Buffer.alloc(10).toString('base64'), label: 1 }), /784/);

  await service.removeDataset({ datasetId: imported.id });
  assert.equal(service.listDatasets().some((d) => d.id === imported.id), false);
  await assert.rejects(service.removeDataset({ datasetId: 'starter' }), /can.t be removed/);
  await assert.rejects(service.datasetSamples({ datasetId: 'nope', digit: null, offset: 0, limit: 5 }), /nope/);
});

test('training and evaluation get the files of labelled datasets, or a clear error', () => {
  const { files, ids } = service.labelledFiles(['starter', 'starter'], 'training');
  assert.deepEqual(ids, ['starter']);
  assert.match(files[0]!, /mnist-train\.dsb$/);
  assert.throws(() => service.labelledFiles([], 'training'), /at least one dataset/);
});

test('dropped paths: pipes, devices and network paths are refused; one limit on how many', async () => {
  const fifo = path.join(dir, 'digits.csv');
  execFileSync('mkfifo', [fifo]);
  const zero = path.join(dir, 'zero.csv');
  await symlink('/dev/zero', zero);
  const before = tasks.list().length;
  for (const bad of [fifo, zero, '/dev/zero']) {
    await assert.rejects(async () => service.importPaths({ paths: [bad] }), /not a regular file/, bad);
  }
  for (const bad of ['\\\\host\\share\\digits.csv', '\\\\.\\pipe\\digits', '\\\\?\\C:\\digits.csv', '//host/share/digits.csv']) {
    await assert.rejects(async () => service.importPaths({ paths: [bad] }), /network|device/, bad);
  }
  assert.equal(tasks.list().length, before, 'no import started');
  // The limit is the preload's and the IPC rule's (preload/contract.ts), not a smaller one here.
  const many = path.join(dir, 'many');
  await mkdir(many);
  const files = await Promise.all(Array.from({ length: 1001 }, async (_, i) => {
    const f = path.join(many, `${i}.txt`);
    await writeFile(f, '');
    return f;
  }));
  const task = await service.importPaths({ paths: files });
  await tasks.settled(task.id);
  await assert.rejects(async () => service.importPaths({ paths: Array.from({ length: MAX_DROPPED_PATHS + 1 }, () => files[0]!) }), new RegExp(`at most ${MAX_DROPPED_PATHS.toLocaleString('en-US')}`));
});
