// Fine-tuning replays MNIST: the recipe asks for it, the parent side points at the MNIST digits,
// and the ML process mixes a seeded share of them into the training samples (never validation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { FINETUNE_RECIPE, DEFAULT_RECIPE } from '../../../preload/recipe';
import { fineTuneReplay } from '../../../main/models/replay-source';
import { drawReplay, mixReplay, replaySize } from '../../../main/ml-process/replay';
import { builtinFile } from '../../../main/data/builtin/load';
import { saveDatasetFile } from '../../../main/data/dataset-file';
import { subsetDataset } from '../../../main/data/dataset-ops';
import { digits, tempDir } from '../../helpers/ml-fixtures';

test('the fine-tuning recipe replays the built-in MNIST training set, the default recipe does not', async () => {
  assert.ok((FINETUNE_RECIPE.replayPerSample ?? 0) > 0);
  assert.equal(DEFAULT_RECIPE.replayPerSample ?? 0, 0);
  assert.equal(await fineTuneReplay(DEFAULT_RECIPE), null);
  const spec = await fineTuneReplay();
  assert.ok(spec, 'the built-in sets are there');
  assert.equal(spec.trainFile, await builtinFile('train'));
  assert.equal(spec.testFile, await builtinFile('test'));
  // As many MNIST digits as user samples, never fewer than the minimum.
  assert.equal(replaySize(spec, 1000), Math.round(1000 * FINETUNE_RECIPE.replayPerSample!));
  assert.equal(replaySize(spec, 10), FINETUNE_RECIPE.replayMin);
});

test('mixReplay appends a seeded share of distinct MNIST digits to the training samples', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const pool = await digits(30); // 300 real digits stand in for the 60,000
    const poolFile = path.join(dir, 'pool.dsb');
    await saveDatasetFile(poolFile, pool);
    const user = subsetDataset(await digits(3), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    user.sources = user.sources.map((_, i) => `mine:${i}`);
    const spec = { trainFile: poolFile, testFile: null, perSample: 2, min: 50 };
    const { mixed, replayed } = await mixReplay(user, spec, 7);
    assert.equal(replayed, 50, 'the minimum applies to 10 samples');
    assert.equal(mixed.count, 60);
    assert.deepEqual(mixed.sources.slice(0, 10), user.sources, "the user's samples are all there");
    const replaySources = mixed.sources.slice(10);
    assert.equal(new Set(replaySources).size, 50, 'distinct digits');
    assert.ok(replaySources.every((s) => pool.sources.includes(s)));
    const classes = new Set(Array.from(mixed.labels.subarray(10)));
    assert.ok(classes.size >= 8, `a random share covers the digits (${classes.size} classes)`);
    // Seeded: the same seed replays the same digits, another seed others.
    assert.deepEqual((await mixReplay(user, spec, 7)).mixed.sources, mixed.sources);
    assert.notDeepEqual((await mixReplay(user, spec, 8)).mixed.sources, mixed.sources);
    // More than the pool holds: all of it, once.
    assert.equal(drawReplay(pool, 1000, 1).count, 300);
  } finally {
    await cleanup();
  }
});
