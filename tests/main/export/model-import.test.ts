// Model import's reading side: hostile or foreign files are refused with a message naming the file,
// and nothing outside the model's folder or zip is read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { readModelForImport } from '../../../main/export/model-import';
import { UserError } from '../../../main/util/errors';
import { saveArchModel } from '../../helpers/export-fixtures';
import { tempDir } from '../../helpers/ml-fixtures';

const refused = (pattern: RegExp) => (e: Error) => e instanceof UserError && pattern.test(e.message);

test('a model.json and its weights become one model.json + weights.bin + our metadata', async () => {
  const { dir, cleanup } = await tempDir('model-import-');
  try {
    const model = await saveArchModel(dir, 'seed');
    const r = await readModelForImport(path.join(model, 'model.json'), new Date('2026-01-02T03:04:05Z'));
    assert.deepEqual(r.files.map((f) => f.name), ['model.json', 'weights.bin', 'metadata.json']);
    assert.deepEqual(r.files[1]!.data, await fs.readFile(path.join(model, 'weights.bin')));
    assert.equal(r.metadata.name, 'seed (imported)');
    assert.equal(r.metadata.arch, 'seed');
    assert.equal(r.metadata.createdAt, '2026-01-02T03:04:05.000Z');
  } finally {
    await cleanup();
  }
});

test('hostile and foreign models are refused, naming the file', async () => {
  const { dir, cleanup } = await tempDir('model-import-');
  try {
    const model = await saveArchModel(dir, 'seed');
    const json = JSON.parse(await fs.readFile(path.join(model, 'model.json'), 'utf8'));
    await fs.writeFile(path.join(dir, 'secret.bin'), Buffer.alloc(16));
    const write = async (name: string, j: unknown) => {
      const f = path.join(dir, 'cases', name, 'model.json');
      await fs.mkdir(path.dirname(f), { recursive: true });
      await fs.writeFile(f, typeof j === 'string' ? j : JSON.stringify(j));
      return f;
    };
    const outside = await write('outside', { ...json, weightsManifest: [{ paths: ['../../secret.bin'], weights: json.weightsManifest[0].weights }] });
    await assert.rejects(readModelForImport(outside), refused(/outside.*points outside the model's folder/));
    const graph = await write('graph', { ...json, format: 'graph-model' });
    await assert.rejects(readModelForImport(graph), refused(/graph.*only layers models/));
    const notJson = await write('text', 'hello');
    await assert.rejects(readModelForImport(notJson), refused(/not valid JSON/));
    const missing = await write('missing', json);
    await assert.rejects(readModelForImport(missing), refused(/weights\.bin.*not found|not found/));
    // Weights of the wrong size.
    const short = await write('short', json);
    await fs.writeFile(path.join(path.dirname(short), 'weights.bin'), Buffer.alloc(12));
    await assert.rejects(readModelForImport(short), refused(/short.*12 bytes/));
    // A zip without a model.json, and a zip that names a weights file outside itself.
    const empty = new AdmZip();
    empty.addFile('readme.txt', Buffer.from('hi'));
    await fs.writeFile(path.join(dir, 'empty.zip'), empty.toBuffer());
    await assert.rejects(readModelForImport(path.join(dir, 'empty.zip')), refused(/empty\.zip: no model\.json/));
    const evil = new AdmZip();
    evil.addFile('model.json', Buffer.from(JSON.stringify({ ...json, weightsManifest: [{ paths: ['/etc/passwd'], weights: json.weightsManifest[0].weights }] })));
    await fs.writeFile(path.join(dir, 'evil.zip'), evil.toBuffer());
    await assert.rejects(readModelForImport(path.join(dir, 'evil.zip')), refused(/evil\.zip.*points outside/));
  } finally {
    await cleanup();
  }
});
