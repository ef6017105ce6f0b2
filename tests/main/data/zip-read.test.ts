import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelFromEntryPath } from '../../../main/data/digit-name';
import { InflateBudget, openZip, readZipItem, unsafeEntryName } from '../../../main/data/zip-read';
import { fileSource } from '../../../main/data/zip-source';
import { writeZip } from '../../helpers/zip-writer';
import { randomBytes, rng } from '../../helpers/fuzz';
import { tempDir } from '../../helpers/mnist-files';

const tmp = tempDir();
after(tmp.cleanup);

test('windowed file reads return exactly the bytes asked for, in any order, concurrently, up to the end', async () => {
  const bytes = randomBytes(5, 3_500_000);
  const file = path.join(tmp.dir, 'blob.bin');
  writeFileSync(file, bytes);
  const src = await fileSource(file);
  assert.equal(src.size, bytes.length);
  const r = rng(11);
  const asks = Array.from({ length: 400 }, () => {
    const offset = Math.floor(r() * bytes.length);
    const length = r() < 0.05 ? 700_000 : Math.floor(r() * 5000);
    return { offset, length };
  });
  // Half in order (like an import), half at random, all at once.
  asks.slice(0, 200).sort((a, b) => a.offset - b.offset);
  const got = await Promise.all(asks.map((a) => src.read(a.offset, a.length)));
  asks.forEach((a, i) => {
    const want = bytes.subarray(a.offset, Math.min(bytes.length, a.offset + a.length));
    assert.ok(got[i]!.equals(want), `read ${a.offset}+${a.length}`);
  });
  assert.equal((await src.read(bytes.length - 3, 10)).length, 3, 'short read at the end');
  assert.equal((await src.read(bytes.length + 5, 10)).length, 0, 'nothing past the end');
  // What was read stays intact while later reads refill the windows it came from.
  const first = await src.read(10, 100);
  const copy = Buffer.from(first);
  for (let k = 0; k < 20; k++) await src.read(200_000 * k, 1000);
  assert.ok(first.equals(copy));
  await src.close();
});

test('entry names: traversal and absolute paths are unsafe; labels come from a digit folder one level deep at most', () => {
  for (const bad of ['../a.png', 'a/../../b.png', '/abs.png', 'C:/x.png', 'c:\\x.png', '..\\x.png', 'a\0b']) assert.ok(unsafeEntryName(bad), bad);
  for (const ok of ['3/a.png', 'set/3/a..png', 'x/..hidden/3.png']) assert.equal(unsafeEntryName(ok), null, ok);
  assert.equal(labelFromEntryPath('7/a.png'), 7);
  assert.equal(labelFromEntryPath('mine/0/a.png'), 0);
  assert.match(String(labelFromEntryPath('a.png')), /not inside/);
  assert.match(String(labelFromEntryPath('a/b/3/x.png')), /nested too deep/);
  assert.match(String(labelFromEntryPath('12/x.png')), /not named for a digit/);
});

test('entries are kept compactly and read back by index, by name and in order, unicode names included', async () => {
  const names = ['3/a.png', 'mine/7/ছবি.png', 'x/0/\u00e9t\u00e9.jpg', ...Array.from({ length: 300 }, (_, i) => `many/${i % 10}/p${i}.png`)];
  const data = names.map((_, i) => randomBytes(i + 1, 100 + (i % 50)));
  const file = path.join(tmp.dir, 'names.zip');
  writeFileSync(file, writeZip(names.map((name, i) => ({ name, data: data[i]!, method: i % 2 ? 8 : 0, flags: 0x800 }))));
  const zip = await openZip(file);
  try {
    assert.equal(zip.items.length, names.length);
    assert.deepEqual([...zip.items].map((it) => it.name), names);
    assert.equal(zip.items.nameAt(1), 'mine/7/ছবি.png');
    const item = zip.items.find('x/0/\u00e9t\u00e9.jpg');
    assert.ok(item);
    assert.ok((await readZipItem(zip, item, new InflateBudget(1 << 20), 'w')).equals(data[2]!));
    assert.equal(zip.items.find('nope.png'), null);
    assert.throws(() => zip.items.at(names.length), RangeError);
  } finally {
    await zip.close();
  }
});
