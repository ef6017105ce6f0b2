import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { DATASET_VERSION, DATASET_VERSION_COMPRESSED, decodeDataset, encodeDataset, loadDatasetFile, saveDatasetFile } from '../../../main/data/dataset-file';
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

test('version 2 (compressed) round-trips, is much smaller, and version 1 files still read', async () => {
  const ds = await loadStarterDataset(20);
  ds.labels[3] = -1;
  ds.sources[7] = 'ünïcode “quotes”.png';
  const plain = encodeDataset(ds);
  const packed = encodeDataset(ds, { compress: true });
  assert.equal(plain.readUInt32LE(8), DATASET_VERSION, 'plain saves stay version 1');
  assert.equal(packed.readUInt32LE(8), DATASET_VERSION_COMPRESSED);
  assert.ok(packed.length < plain.length / 3, `${packed.length} vs ${plain.length}`);
  for (const [name, bytes] of [['v1', plain], ['v2', packed]] as const) {
    const back = decodeDataset(bytes, `${name}.dsb`);
    assert.deepEqual(back.pixels, ds.pixels.subarray(0, ds.count * 784), name);
    assert.deepEqual(back.labels, ds.labels, name);
    assert.deepEqual(back.sources, ds.sources, name);
  }
  // Through the file functions (async inflate), and an empty dataset too.
  const file = path.join(tmp.dir, 'packed.dsb');
  await saveDatasetFile(file, ds, { compress: true });
  assert.deepEqual(readFileSync(file), packed);
  const loaded = await loadDatasetFile(file);
  assert.deepEqual(loaded.pixels, ds.pixels.subarray(0, ds.count * 784));
  assert.deepEqual(loaded.sources, ds.sources);
  await saveDatasetFile(path.join(tmp.dir, 'packed-empty.dsb'), emptyDataset(), { compress: true });
  assert.equal((await loadDatasetFile(path.join(tmp.dir, 'packed-empty.dsb'))).count, 0);
});

test('damaged or forged version-2 files are UserErrors naming the file, checked before and after inflating', async () => {
  const ds = await loadStarterDataset(2);
  const good = encodeDataset(ds, { compress: true });
  const rehash = (b: Buffer) => Buffer.concat([b.subarray(0, b.length - 32), createHash('sha256').update(b.subarray(0, b.length - 32)).digest()]);
  const cases: [string, Buffer, RegExp][] = [['v2-truncated.dsb', good.subarray(0, good.length - 10), /truncated/]];
  const flipped = Buffer.from(good);
  flipped[100] = flipped[100]! ^ 0xff;
  cases.push(['v2-flipped.dsb', flipped, /checksum/]);
  // Valid checksums over a lie: more samples declared than the data holds, fewer, and a deflate
  // stream that is not one.
  const more = Buffer.from(good);
  more.writeUInt32LE(ds.count + 1, 12);
  cases.push(['v2-more.dsb', rehash(more), /smaller than declared/]);
  const fewer = Buffer.from(good);
  fewer.writeUInt32LE(ds.count - 1, 12);
  cases.push(['v2-fewer.dsb', rehash(fewer), /larger than declared/]);
  const garbage = Buffer.from(good);
  garbage.fill(0xff, 32, 60);
  cases.push(['v2-garbage.dsb', rehash(garbage), /compressed data is damaged/]);
  const hugeSources = Buffer.from(good);
  hugeSources.writeUInt32LE(0xfffffff0, 16);
  cases.push(['v2-sources.dsb', rehash(hugeSources), /implausible sources size/]);
  for (const [name, bytes, pattern] of cases) {
    const file = path.join(tmp.dir, name);
    writeFileSync(file, bytes);
    for (const attempt of [() => loadDatasetFile(file), async () => decodeDataset(bytes, file)]) {
      await assert.rejects(attempt(), (err: unknown) => {
        assert.ok(err instanceof UserError, `${name}: ${String(err)}`);
        assert.ok(err.message.includes(file), err.message);
        assert.match(err.message, pattern, name);
        return true;
      });
    }
  }
});
