// Export and model import through the services, as the app runs them: a temp data folder, the real
// ML process, the dialog port answered by the test. Models export in every format to the path the
// save dialog gave; datasets export and re-import identically; "Import model…" takes our own TF.js
// export back (same predictions), a sharded model from another tool, and a model with a layer our
// exporter doesn't know but TF.js does; models that can't read digits are refused and leave nothing.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { EventName, ModelSummary } from '../../../preload/contract';
import { createServices } from '../../../main/services/create-services';
import type { Services } from '../../../main/services/ports';
import { forkSpawner } from '../../../main/models/fork-spawner';
import { MlClient } from '../../../main/models/ml-client';
import { importPaths } from '../../../main/data/import';
import { loadStarterDataset } from '../../../main/data/starter';
import { loadTf } from '../../../main/ml-process/backend';
import { saveModel } from '../../../main/ml-process/model-files';
import { UserError } from '../../../main/util/errors';
import { QueuedDialogs } from '../../harness/dialogs';
import { saveArchModel } from '../../helpers/export-fixtures';
import { tempDir, testModelMetadata } from '../../helpers/ml-fixtures';

let dir: string;
let cleanup: () => Promise<void>;
let services: Services;
const dialogs = new QueuedDialogs();
const events: EventName[] = [];
let model: ModelSummary;
let modelsRoot: string;
const ml = new MlClient(forkSpawner());

before(async () => {
  ({ dir, cleanup } = await tempDir('export-services-'));
  const dataDir = path.join(dir, 'data');
  modelsRoot = path.join(dataDir, 'models');
  // A model in the library, saved as training saves one.
  await saveArchModel(modelsRoot, 'default', 'm-20261129000000-abcdef');
  services = await createServices({ dataDir, appVersion: '9.9.9', dialogs, emit: (name) => events.push(name), spawnMl: forkSpawner(), log: () => undefined });
  model = (await services.handlers.listModels()).find((m) => m.id === 'm-20261129000000-abcdef')!;
  assert.ok(model, 'the model is in the library');
});

after(async () => {
  await services.dispose();
  await ml.dispose();
  await cleanup();
});

const digits = () => Array.from({ length: 20 }, (_, i) => i);
async function predictionsOf(modelDir: string): Promise<number[][]> {
  const ds = await loadStarterDataset(2);
  return ml.predict(modelDir, digits().map((i) => ds.pixels.slice(i * 784, (i + 1) * 784)));
}

test('Export… writes each model format where the save dialog says; canceling writes nothing', async () => {
  const h = services.handlers;
  dialogs.enqueue(null);
  assert.equal(await h.exportModelWithDialog({ modelId: model.id, format: 'onnx' }), null);
  assert.equal((dialogs.requests.at(-1) as { defaultName?: string } | undefined)?.defaultName, `${model.name}.onnx`);
  for (const [format, name] of [['onnx', 'out.onnx'], ['tfjs', 'out.zip'], ['web', 'page']] as const) {
    dialogs.enqueue([path.join(dir, 'exports', name)]);
    const r = await h.exportModelWithDialog({ modelId: model.id, format });
    assert.ok(r);
    assert.equal(r.bytes, (await fs.stat(r.path)).size);
    assert.equal(path.dirname(r.path), path.join(dir, 'exports'));
  }
  // The extension is added when the dialog's name lacks it.
  await fs.access(path.join(dir, 'exports', 'page.html'));
  await assert.rejects(async () => h.exportModelWithDialog({ modelId: 'no-such-model', format: 'onnx' }), UserError);
});

test('Data → Export… as CSV and zip: the files import back with the same samples', async () => {
  const h = services.handlers;
  // The user's handwriting set: three drawn samples.
  const ds = await loadStarterDataset(1);
  for (const d of [3, 5, 8]) await h.addCustomSample({ pixels: Buffer.from(ds.pixels.subarray(d * 784, d * 784 + 784)).toString('base64'), label: d });
  for (const format of ['csv', 'zip'] as const) {
    dialogs.enqueue([path.join(dir, 'exports', `mine.${format}`)]);
    const r = await h.exportDatasetWithDialog({ datasetId: 'custom', format });
    assert.ok(r);
    assert.deepEqual([r.count, r.leftOut], [3, 0]);
    const back = (await importPaths([r.path])).dataset;
    assert.deepEqual(Array.from(back.labels).sort(), [3, 5, 8]);
    const rows = (i: number) => Buffer.from(back.pixels.subarray(i * 784, i * 784 + 784)).toString('hex');
    const want = [3, 5, 8].map((d) => Buffer.from(ds.pixels.subarray(d * 784, d * 784 + 784)).toString('hex')).sort();
    assert.deepEqual([0, 1, 2].map(rows).sort(), want);
  }
});

test('Import model… takes our TF.js export back with identical predictions', async () => {
  const h = services.handlers;
  const zip = path.join(dir, 'exports', 'for-import.zip');
  dialogs.enqueue([zip]);
  await h.exportModelWithDialog({ modelId: model.id, format: 'tfjs' });
  dialogs.enqueue(null);
  assert.equal(await h.importModelWithDialog(), null);
  dialogs.enqueue([zip]);
  const imported = await h.importModelWithDialog();
  assert.ok(imported);
  assert.equal(imported.name, `${model.name} (imported)`);
  assert.ok((await h.listModels()).some((m) => m.id === imported.id));
  assert.ok(events.includes('modelsChanged'));
  assert.deepEqual(await predictionsOf(path.join(modelsRoot, imported.id)), await predictionsOf(path.join(modelsRoot, model.id)));
});

test('Import model… reads another tool’s sharded model.json, and one with a layer only TF.js knows', async () => {
  const { tf } = await loadTf();
  // Another tool's export: two groups, the first in two shard files, and a "swish" activation the
  // exporter refuses but TF.js runs.
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 5, strides: 2, activation: 'swish' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  const saved = path.join(dir, 'other-tool');
  await saveModel(m, saved, testModelMetadata('other'));
  const json = JSON.parse(await fs.readFile(path.join(saved, 'model.json'), 'utf8'));
  const bin = await fs.readFile(path.join(saved, 'weights.bin'));
  const specs = json.weightsManifest[0].weights;
  const convBytes = (5 * 5 * 4 + 4) * 4;
  json.weightsManifest = [
    { paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: specs.slice(0, 2) },
    { paths: ['group2-shard1of1.bin'], weights: specs.slice(2) },
  ];
  const shardDir = path.join(dir, 'sharded');
  await fs.mkdir(shardDir);
  await fs.writeFile(path.join(shardDir, 'model.json'), JSON.stringify(json));
  await fs.writeFile(path.join(shardDir, 'group1-shard1of2.bin'), bin.subarray(0, 100));
  await fs.writeFile(path.join(shardDir, 'group1-shard2of2.bin'), bin.subarray(100, convBytes));
  await fs.writeFile(path.join(shardDir, 'group2-shard1of1.bin'), bin.subarray(convBytes));
  dialogs.enqueue([path.join(shardDir, 'model.json')]);
  const imported = await services.handlers.importModelWithDialog();
  assert.ok(imported);
  assert.equal(imported.name, 'Imported sharded');
  assert.deepEqual(await predictionsOf(path.join(modelsRoot, imported.id)), await predictionsOf(saved));
  // Exporting it to ONNX is refused with the reason (the layer option), nothing written.
  dialogs.enqueue([path.join(dir, 'exports', 'swish.onnx')]);
  await assert.rejects(async () => services.handlers.exportModelWithDialog({ modelId: imported.id, format: 'onnx' }), /activation "swish"/);
  await assert.rejects(fs.access(path.join(dir, 'exports', 'swish.onnx')));
});

test('Import model… refuses what can’t read digits, and leaves the library as it was', async () => {
  const { tf } = await loadTf();
  const before = (await services.handlers.listModels()).length;
  const wrong = tf.sequential();
  wrong.add(tf.layers.flatten({ inputShape: [32, 32, 3] }));
  wrong.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  await saveModel(wrong, path.join(dir, 'cifar'), testModelMetadata('cifar'));
  // Its layers are ones the exporter knows: refused at once, naming the file and the shapes.
  dialogs.enqueue([path.join(dir, 'cifar', 'model.json')]);
  await assert.rejects(async () => services.handlers.importModelWithDialog(), (e: Error) => e instanceof UserError && /cifar.*not a digit classifier.*32,32,3/.test(e.message));
  // With a layer only TF.js knows, it is TF.js's load in the ML process that refuses it.
  const odd = tf.sequential();
  odd.add(tf.layers.conv2d({ inputShape: [32, 32, 3], filters: 2, kernelSize: 3, activation: 'swish' }));
  odd.add(tf.layers.flatten());
  odd.add(tf.layers.dense({ units: 10 }));
  await saveModel(odd, path.join(dir, 'odd'), testModelMetadata('odd'));
  dialogs.enqueue([path.join(dir, 'odd', 'model.json')]);
  await assert.rejects(async () => services.handlers.importModelWithDialog(), (e: Error) => e instanceof UserError && /odd.*can't be used as a digit model.*not a digit classifier/.test(e.message));
  // Not a model at all.
  await fs.writeFile(path.join(dir, 'notes.json'), '{"hello": 1}');
  dialogs.enqueue([path.join(dir, 'notes.json')]);
  await assert.rejects(async () => services.handlers.importModelWithDialog(), (e: Error) => e instanceof UserError && /notes\.json: not a TensorFlow\.js layers model/.test(e.message));
  assert.equal((await services.handlers.listModels()).length, before);
  const leftovers = (await fs.readdir(modelsRoot)).filter((n) => n.startsWith('m-'));
  assert.equal(leftovers.length, before);
});
