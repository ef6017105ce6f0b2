// TensorFlow.js export: the folder (and the zip's files) load in TF.js and predict exactly as the
// app's model; labels.txt and metadata.json come along (with the model's deskew record, which an
// import keeps); a folder of the user's files is never replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { exportModel } from '../../../main/export/export-model';
import { UserError } from '../../../main/util/errors';
import { loadStarterDataset } from '../../../main/data/starter';
import { readModelForImport } from '../../../main/export/model-import';
import { appProbabilities, saveArchModel, saveTrainedModel } from '../../helpers/export-fixtures';
import { tempDir } from '../../helpers/ml-fixtures';

test('TF.js export as a folder and as a zip: loads and predicts identically, with labels and metadata', async () => {
  const { dir, cleanup } = await tempDir('export-tfjs-');
  try {
    const model = await saveArchModel(dir, 'default');
    const digits = await loadStarterDataset(5);
    const app = await appProbabilities(model, digits);

    const folder = path.join(dir, 'out', 'tfjs');
    const r = await exportModel(model, 'tfjs', folder, '9.9.9');
    assert.deepEqual((await fs.readdir(folder)).sort(), ['labels.txt', 'metadata.json', 'model.json', 'weights.bin']);
    assert.equal(r.bytes, (await Promise.all((await fs.readdir(folder)).map((f) => fs.stat(path.join(folder, f))))).reduce((a, s) => a + s.size, 0));
    assert.equal(await fs.readFile(path.join(folder, 'labels.txt'), 'utf8'), '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
    const meta = JSON.parse(await fs.readFile(path.join(folder, 'metadata.json'), 'utf8'));
    assert.equal(meta.name, 'default');
    assert.equal(meta.exportedBy, 'Digit Studio 9.9.9');
    assert.deepEqual(meta.input.shape, [null, 28, 28, 1]);
    assert.deepEqual(Array.from(await appProbabilities(folder, digits)), Array.from(app));

    const zipFile = path.join(dir, 'model.zip');
    await exportModel(model, 'tfjs', zipFile, '9.9.9');
    const unzipped = path.join(dir, 'unzipped');
    new AdmZip(zipFile).extractAllTo(unzipped);
    assert.deepEqual((await fs.readdir(unzipped)).sort(), ['labels.txt', 'metadata.json', 'model.json', 'weights.bin']);
    assert.deepEqual(Array.from(await appProbabilities(unzipped, digits)), Array.from(app));

    // Exporting again over the earlier export replaces it; over a folder of other files is refused.
    await exportModel(model, 'tfjs', folder, '9.9.10');
    assert.equal(JSON.parse(await fs.readFile(path.join(folder, 'metadata.json'), 'utf8')).exportedBy, 'Digit Studio 9.9.10');
    const mine = path.join(dir, 'my-documents');
    await fs.mkdir(mine);
    await fs.writeFile(path.join(mine, 'thesis.txt'), 'precious');
    await assert.rejects(exportModel(model, 'tfjs', mine, '1'), (e: Error) => e instanceof UserError && /not empty/.test(e.message));
    assert.equal(await fs.readFile(path.join(mine, 'thesis.txt'), 'utf8'), 'precious');
  } finally {
    await cleanup();
  }
});

test('a deskewing model’s TF.js export says so (metadata.json and model.json); imported back it still deskews; a plain one says deskew: false', async () => {
  const { dir, cleanup } = await tempDir('export-tfjs-deskew-');
  try {
    const flagged = await saveTrainedModel(dir, 'deskewing', 'seed', 1, true);
    const plainModel = await saveArchModel(dir, 'seed');
    const folder = path.join(dir, 'out-deskew');
    await exportModel(flagged, 'tfjs', folder, '9.9.9');
    const meta = JSON.parse(await fs.readFile(path.join(folder, 'metadata.json'), 'utf8'));
    assert.equal(meta.input.deskew, true);
    assert.match(meta.input.preprocessing, /deskewed/);
    const json = JSON.parse(await fs.readFile(path.join(folder, 'model.json'), 'utf8'));
    assert.deepEqual(json.userDefinedMetadata.input, { deskew: true }, 'TF.js hands this over as getUserDefinedMetadata()');
    // The exported folder, as the app loads it, is fed deskewed digits: the same readings as the original.
    const digits = await loadStarterDataset(5);
    assert.deepEqual(Array.from(await appProbabilities(folder, digits)), Array.from(await appProbabilities(flagged, digits)));
    const back = await readModelForImport(path.join(folder, 'model.json'));
    assert.deepEqual(back.metadata.input, { deskew: true }, 'imported back, it keeps reading deskewed digits');

    const plainOut = path.join(dir, 'out-plain');
    await exportModel(plainModel, 'tfjs', plainOut, '9.9.9');
    const plainMeta = JSON.parse(await fs.readFile(path.join(plainOut, 'metadata.json'), 'utf8'));
    assert.equal(plainMeta.input.deskew, false);
    assert.equal(JSON.parse(await fs.readFile(path.join(plainOut, 'model.json'), 'utf8')).userDefinedMetadata, undefined);
    const plainBack = await readModelForImport(path.join(plainOut, 'model.json'));
    assert.equal(plainBack.metadata.input, undefined, 'a model without the record imports without one');
  } finally {
    await cleanup();
  }
});
