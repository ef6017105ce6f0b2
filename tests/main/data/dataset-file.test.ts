import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeDataset, encodeDataset, loadDatasetFile, saveDatasetFile } from '../../../main/data/dataset-file';
import { UserError } from '../../../main/util/errors';
import { emptyDataset } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { tempDir } from '../../helpers/mnist-files';

const tmp = tempDir();
after(tmp.cleanup);

test('save then load gives back the same pixels, labels (including -1) and sources', async () => {
  const ds = await loadStarterDataset(5);
  ds.labels[3] = -1;
  ds.sources[7] = 'ünïcode “quotes” and\nnewline.png';
  const file = path.join(tmp.dir, 'a.dsb');
  await saveDatasetFile(file, ds);
  const back = await loadDatasetFile(file);
  assert.equal(back.count, ds.count);
  assert.deepEqual(back.pixels, ds.pixels);
  assert.deepEqual(back.labels, ds.labels);
  assert.deepEqual(back.sources, ds.sources);
  // No temp files left beside it.
  assert.deepEqual(readdirSync(tmp.dir), ['a.dsb']);
  // Empty datasets round-trip too.
  await saveDatasetFile(path.join(tmp.dir, 'empty.dsb'), emptyDataset());
  assert.equal((await loadDatasetFile(path.join(tmp.dir, 'empty.dsb'))).count, 0);
});

test('every kind of damage is a UserError naming the file', async () => {
  const ds = await loadStarterDataset(2);
  const good = encodeDataset(ds);
  const cases: [string, Buffer, RegExp][] = [
    ['foreign.dsb', Buffer.from('PK\u0003\u0004 definitely a zip'), /not a Digit Studio dataset/],
    ['empty.dsb', Buffer.alloc(0), /not a Digit Studio dataset/],
    ['truncated.dsb', good.subarray(0, good.length - 100), /truncated/],
    ['header-only.dsb', good.subarray(0, 20), /truncated/],
    ['extra.dsb', Buffer.concat([good, Buffer.from('x')]), /unexpected bytes/],
  ];
  const flipped = Buffer.from(good);
  flipped[500] = flipped[500]! ^ 0xff;
  cases.push(['flipped.dsb', flipped, /checksum/]);
  const newer = Buffer.from(good);
  newer.writeUInt32LE(99, 8);
  cases.push(['newer.dsb', newer, /newer version/]);
  const hugeCount = Buffer.from(good);
  hugeCount.writeUInt32LE(0xffffffff, 12);
  cases.push(['count.dsb', hugeCount, /implausible sample count/]);
  for (const [name, bytes, pattern] of cases) {
    const file = path.join(tmp.dir, name);
    writeFileSync(file, bytes);
    await assert.rejects(loadDatasetFile(file), (err: unknown) => {
      assert.ok(err instanceof UserError, `${name}: ${String(err)}`);
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, pattern, name);
      return true;
    });
  }
  await assert.rejects(loadDatasetFile(path.join(tmp.dir, 'none.dsb')), /not found/);
});

test('a label out of range is caught even with a valid checksum (a forged file)', async () => {
  const ds = await loadStarterDataset(1);
  ds.labels[2] = 42;
  const bytes = encodeDataset(ds);
  assert.throws(() => decodeDataset(bytes, 'forged.dsb'), /label 42 of sample 2 is out of range/);
});

test('saving over an existing file replaces it whole', async () => {
  const file = path.join(tmp.dir, 'replace.dsb');
  const a = await loadStarterDataset(1);
  const b = await loadStarterDataset(3);
  await saveDatasetFile(file, a);
  await saveDatasetFile(file, b);
  assert.equal((await loadDatasetFile(file)).count, 30);
  assert.equal(readFileSync(file).length, encodeDataset(b).length);
});
