// The shipped base model in the model library: listed as "Base model (MNIST 60k)", active on first
// start, read-only (it can't be removed, replaced or overwritten), and given up as the active model
// only when the user picks or trains another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelLibrary } from '../../../main/models/model-library';
import { BASE_MODEL_NAME, BUILTIN_MODEL_ID, builtinModelDir, resolveModelArg } from '../../../main/models/builtin-model';
import { readMetadata } from '../../../main/models/model-metadata';
import { tempDir, testModelMetadata } from '../../helpers/ml-fixtures';

async function fakeModel(dir: string, name: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.json'), '{}');
  await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.alloc(4));
  await fs.writeFile(path.join(dir, 'metadata.json'), JSON.stringify({ ...testModelMetadata(name), createdAt: '2030-01-01T00:00:00.000Z' }));
}

test('the committed base model is found, with its provenance and one test-set figure', async () => {
  const dir = builtinModelDir();
  assert.ok(dir, 'resources/base-model is there');
  assert.equal(resolveModelArg('builtin'), dir);
  assert.equal(resolveModelArg('some/dir'), path.resolve('some/dir'));
  const meta = await readMetadata(dir);
  assert.ok(meta?.provenance, 'metadata.json says how it was made');
  assert.match(meta.provenance.data, /60,000/);
  assert.equal(typeof meta.provenance.seed, 'number');
  assert.ok(meta.provenance.testAccuracy > 0.97 && meta.provenance.testAccuracy <= 1);
  assert.equal(meta.provenance.testCount, 10000);
  assert.ok(meta.backend && meta.provenance.date);
});

test('the base model is listed, active on first start, and read-only', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const shipped = builtinModelDir()!;
    const lib = await ModelLibrary.open(dir, shipped);
    const [entry] = lib.list();
    assert.equal(entry?.id, BUILTIN_MODEL_ID);
    assert.equal(entry?.name, BASE_MODEL_NAME);
    assert.equal(entry?.builtIn, true);
    assert.equal(lib.active()?.id, BUILTIN_MODEL_ID, 'active on first start: Predict and Evaluate work at once');
    assert.equal(lib.dirOf(BUILTIN_MODEL_ID), shipped);

    await assert.rejects(lib.remove(BUILTIN_MODEL_ID), /built in and can't be deleted/);
    await assert.rejects(lib.add(BUILTIN_MODEL_ID, true), /can't be replaced/);
    await fs.access(path.join(shipped, 'weights.bin'));

    // A trained model becomes active (as after a training run); the base model stays listed, last.
    const id = lib.newId();
    await fakeModel(lib.dirOf(id), 'mine');
    await lib.add(id, true);
    assert.equal(lib.active()?.id, id);
    assert.deepEqual(lib.list().map((m) => m.id), [id, BUILTIN_MODEL_ID]);
    // The choice persists; choosing the base model again works and persists too.
    assert.equal((await ModelLibrary.open(dir, shipped)).active()?.id, id);
    await lib.setActive(BUILTIN_MODEL_ID);
    assert.equal((await ModelLibrary.open(dir, shipped)).active()?.id, BUILTIN_MODEL_ID);
    // Removing the user's model leaves the base model active.
    await lib.setActive(id);
    await lib.remove(id);
    assert.equal(lib.active()?.id, BUILTIN_MODEL_ID);

    // A folder named "builtin" in the data folder is never taken for the shipped model.
    await fakeModel(path.join(lib.root, BUILTIN_MODEL_ID), 'impostor');
    const again = await ModelLibrary.open(dir, shipped);
    assert.equal(again.get(BUILTIN_MODEL_ID).name, BASE_MODEL_NAME);
    assert.equal(again.dirOf(BUILTIN_MODEL_ID), shipped);
    // Without a shipped model (older callers, tests), "builtin" is nothing at all.
    const bare = await ModelLibrary.open(dir);
    assert.equal(bare.has(BUILTIN_MODEL_ID), false);
    assert.throws(() => bare.dirOf(BUILTIN_MODEL_ID), /not a valid model id/);
  } finally {
    await cleanup();
  }
});

test('a damaged base model is reported, not fatal', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const broken = path.join(dir, 'shipped');
    await fs.mkdir(broken);
    await fs.writeFile(path.join(broken, 'model.json'), '{}');
    const lib = await ModelLibrary.open(path.join(dir, 'data'), broken);
    assert.deepEqual(lib.list(), []);
    assert.equal(lib.active(), null);
    assert.match(lib.problems()[0]!.reason, /base model's weights\.bin is missing/);
  } finally {
    await cleanup();
  }
});
