// TensorFlow.js export: the folder (and the zip's files) load in TF.js and predict exactly as the
// app's model; labels.txt and metadata.json come along; a folder of the user's files is never replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { exportModel } from '../../../main/export/export-model';
import { UserError } from '../../../main/util/errors';
import { loadStarterDataset } from '../../../main/data/starter';
import { appProbabilities, saveArchModel } from '../../helpers/export-fixtures';
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
