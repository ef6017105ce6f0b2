// The model library tolerates corrupt entries (skipped and reported), persists the active model,
// and ignores leftovers of interrupted saves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelLibrary } from '../../../main/models/model-library';
import { tempDir } from '../../helpers/ml-fixtures';

async function fakeModel(dir: string, name: string, createdAt: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.json'), '{}');
  await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.alloc(4));
  await fs.writeFile(
    path.join(dir, 'metadata.json'),
    JSON.stringify({
      format: 'digit-studio-model',
      version: 1,
      name,
      arch: 'seed',
      createdAt,
      backend: 'WASM',
      trainedOn: '10 samples',
      metrics: { valAccuracy: 0.5 },
      baseModelId: null,
    }),
  );
}

test('lists models newest first, skips and reports corrupt entries, persists the active one', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const lib = await ModelLibrary.open(dir);
    assert.deepEqual(lib.list(), []);
    assert.equal(lib.active(), null);
    const a = lib.newId();
    const b = lib.newId();
    assert.notEqual(a, b);
    await fakeModel(lib.dirOf(a), 'first', '2026-01-01T00:00:00.000Z');
    await fakeModel(lib.dirOf(b), 'second', '2026-02-01T00:00:00.000Z');
    await lib.add(a);
    await lib.add(b);
    assert.equal(lib.active()?.id, a, 'the first model becomes active when none is');
    assert.deepEqual(lib.list().map((m) => m.name), ['second', 'first']);
    await lib.setActive(b);

    // Corrupt entries: missing weights, garbage metadata; and a temp leftover of a killed save.
    await fs.mkdir(path.join(lib.root, 'm-broken-1'));
    await fs.writeFile(path.join(lib.root, 'm-broken-1', 'model.json'), '{}');
    await fakeModel(path.join(lib.root, 'm-broken-2'), 'x', 'y');
    await fs.writeFile(path.join(lib.root, 'm-broken-2', 'metadata.json'), '{not json');
    await fs.mkdir(path.join(lib.root, '.tmp-m-half-abcd'));

    const again = await ModelLibrary.open(dir);
    assert.deepEqual(again.list().map((m) => m.id).sort(), [a, b].sort());
    assert.equal(again.active()?.id, b, 'the active choice survived a reopen');
    assert.deepEqual(again.problems().map((p) => p.id).sort(), ['m-broken-1', 'm-broken-2']);
    assert.match(again.problems().find((p) => p.id === 'm-broken-1')!.reason, /weights\.bin is missing/);
    await assert.rejects(fs.access(path.join(lib.root, '.tmp-m-half-abcd')), 'temp leftovers are cleaned');
    assert.throws(() => again.get('m-nope'), /no model/);
    assert.throws(() => again.dirOf('../escape'), /not a valid model id/);

    await again.remove(b);
    assert.equal(again.active()?.id, a, 'removing the active model activates the newest remaining');
  } finally {
    await cleanup();
  }
});
