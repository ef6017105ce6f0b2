// The spilled builder (pixels written to the file as they come) must make exactly the file an
// in-memory dataset saves to, find duplicates in what it already wrote, and leave nothing behind
// when it is discarded or the disk fails.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { DatasetBuilder } from '../../../main/data/dataset-builder';
import { encodeDataset, loadDatasetFile } from '../../../main/data/dataset-file';
import { DatasetSpill } from '../../../main/data/dataset-spill';
import { IMAGE_PIXELS } from '../../../main/data/dataset';
import { tempDir } from '../../helpers/mnist-files';
import { rng } from '../../helpers/digit-photos';

const tmp = tempDir();
after(tmp.cleanup);

/** n distinct random samples (labels 0–9, some unlabelled), with unicode and quotes in sources. */
function samples(n: number, seed: number): { image: Uint8Array; label: number; source: string }[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    image: Uint8Array.from({ length: IMAGE_PIXELS }, () => Math.floor(r() * 256)),
    label: i % 13 === 12 ? -1 : i % 10,
    source: `my "digits" ৩.zip!${i % 10}/photo_${i}.png`,
  }));
}

test('a spilled build writes byte for byte the file an in-memory build saves, across many blocks', async () => {
  const list = samples(1000, 7); // about three 334-sample blocks
  const memory = new DatasetBuilder(10);
  for (const s of list) memory.add(s.image, s.label, s.source);
  const file = path.join(tmp.dir, 'spilled.dsb');
  const spill = await DatasetSpill.create(file);
  const spilled = new DatasetBuilder(10, spill); // grows several times on the way
  for (const s of list) spilled.add(s.image, s.label, s.source);
  await spilled.commit();
  assert.deepEqual(readFileSync(file), encodeDataset(memory.finish()));
  const back = await loadDatasetFile(file);
  assert.equal(back.count, 1000);
  assert.equal(back.sources[1], list[1]!.source);
  assert.deepEqual(readdirSync(tmp.dir), ['spilled.dsb'], 'no temp file left');
});

test('duplicates are found in samples already written to the file and in the unwritten block', async () => {
  const list = samples(500, 8);
  const spill = await DatasetSpill.create(path.join(tmp.dir, 'dups.dsb'));
  const b = new DatasetBuilder(600, spill);
  for (const s of list) assert.equal(b.add(s.image, s.label, s.source), true);
  assert.equal(b.add(list[3]!.image, list[3]!.label, 'again-3'), false, 'sample 3 is on disk by now');
  assert.equal(b.add(list[481]!.image, list[481]!.label, 'again-481'), false, 'sample 481 is still in the block');
  assert.equal(b.add(list[3]!.image, (list[3]!.label + 1) % 10, 'relabelled'), true, 'same pixels, other label: not a duplicate');
  // Unlabelled samples are kept even when repeated: a test.csv's every row is to be read, in place.
  assert.equal(list[480]!.label, -1);
  assert.equal(b.add(list[480]!.image, -1, 'again-480'), true, 'an unlabelled repeat is kept');
  assert.deepEqual(
    b.skipped.map((s) => s.reason),
    [`duplicate of ${list[3]!.source}`, `duplicate of ${list[481]!.source}`],
  );
  await b.commit();
  assert.equal((await loadDatasetFile(path.join(tmp.dir, 'dups.dsb'))).count, 502);
});

test('discard leaves no file; a dataset without a spill can not be committed', async () => {
  const dir = path.join(tmp.dir, 'discard');
  const spill = await DatasetSpill.create(path.join(dir, 'x.dsb'));
  const b = new DatasetBuilder(10, spill);
  for (const s of samples(400, 9)) b.add(s.image, s.label, s.source);
  await spill.discard();
  assert.deepEqual(readdirSync(dir), []);
  await assert.rejects(new DatasetBuilder(10).commit(), /nothing spilled/);
  assert.throws(() => b.contents(), /went to a file/);
});
