import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineDatasets, indicesOf, samplePerClass, splitStratified, subsetDataset } from '../../../main/data/dataset-ops';
import { countPerClass, imageAt } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';

test('combine keeps order and contents; subset picks exactly the indices', async () => {
  const a = await loadStarterDataset(2);
  const b = await loadStarterDataset(1);
  const c = combineDatasets([a, b]);
  assert.equal(c.count, 30);
  assert.deepEqual(imageAt(c, 25), imageAt(b, 5));
  assert.equal(c.sources[25], b.sources[5]);
  const s = subsetDataset(c, [25, 0, 25]);
  assert.equal(s.count, 3);
  assert.deepEqual(imageAt(s, 0), imageAt(b, 5));
  assert.deepEqual(imageAt(s, 1), imageAt(a, 0));
  assert.throws(() => subsetDataset(c, [30]), RangeError);
});

test('stratified split: each class keeps its share, parts are disjoint and complete, same seed same split', async () => {
  const ds = await loadStarterDataset(50);
  const { train, val } = splitStratified(ds, 0.2, 7);
  assert.equal(train.count + val.count, ds.count);
  assert.deepEqual(countPerClass(val), new Array(10).fill(10));
  assert.deepEqual(countPerClass(train), new Array(10).fill(40));
  const all = new Set([...train.sources, ...val.sources]);
  assert.equal(all.size, ds.count, 'disjoint and complete');
  const again = splitStratified(ds, 0.2, 7);
  assert.deepEqual(again.val.sources, val.sources);
  const other = splitStratified(ds, 0.2, 8);
  assert.notDeepEqual(other.val.sources, val.sources);
  // Tiny classes still give one to each side.
  const tiny = subsetDataset(ds, [0, 1, 50, 51, 52]);
  const t = splitStratified(tiny, 0.1, 1);
  assert.equal(t.val.count, 2);
  assert.throws(() => splitStratified(ds, 1.5, 1), RangeError);
});

test('per-class sampling for display: at most n per digit, spread over the dataset', async () => {
  const ds = await loadStarterDataset(30);
  const s = samplePerClass(ds, 4);
  assert.equal(s.length, 10);
  for (let d = 0; d < 10; d++) {
    assert.equal(s[d]!.length, 4);
    assert.ok(s[d]!.every((i) => ds.labels[i] === d));
  }
  assert.equal(indicesOf(ds, 3).length, 30);
  assert.equal(indicesOf(ds, null).length, 300);
});
