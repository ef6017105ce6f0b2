import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importPaths } from '../../../main/data/import';
import { UserError } from '../../../main/util/errors';
import { imageAt, type Dataset } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { correlation, digitPhoto, encodeBmp, encodeGray } from '../../helpers/digit-photos';
import { tempDir } from '../../helpers/mnist-files';
import { writeZip, type ForgedEntry } from '../../helpers/zip-writer';

let ds: Dataset;
const tmp = tempDir();
const photos: { label: number; png: Buffer; jpg: Buffer; digit: Uint8Array }[] = [];
before(async () => {
  ds = await loadStarterDataset(3);
  for (let i = 0; i < ds.count; i++) {
    const digit = imageAt(ds, i);
    const gray = digitPhoto(digit, { width: 110, height: 90, digitSize: 70, at: { x: 10 + (i % 3) * 10, y: 8 }, seed: i });
    photos.push({ label: ds.labels[i]!, digit, png: await encodeGray(gray, 110, 90, 'png'), jpg: await encodeGray(gray, 110, 90, 'jpeg') });
  }
});
after(tmp.cleanup);

function zipFile(name: string, entries: ForgedEntry[]): string {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, writeZip(entries));
  return p;
}

const goodEntries = (prefix: string): ForgedEntry[] =>
  photos.map((p, i) => ({ name: `${prefix}${p.label}/img_${i}.${i % 2 ? 'png' : 'jpg'}`, data: i % 2 ? p.png : p.jpg }));

test('zip with digit folders at the root: every photo normalised and labelled by its folder', async () => {
  const r = await importPaths([zipFile('root.zip', goodEntries(''))]);
  assert.equal(r.kind, 'zip');
  assert.equal(r.report.count, photos.length);
  assert.deepEqual(r.report.perClass, new Array(10).fill(3));
  assert.equal(r.report.skippedCount, 0);
  // Each normalised photo looks like the MNIST digit it was made from.
  let sum = 0;
  for (let i = 0; i < r.dataset.count; i++) {
    const idx = Number(/img_(\d+)/.exec(r.dataset.sources[i]!)![1]);
    assert.equal(r.dataset.labels[i], photos[idx]!.label);
    sum += correlation(imageAt(r.dataset, i), photos[idx]!.digit);
  }
  assert.ok(sum / r.dataset.count > 0.8, `mean correlation ${(sum / r.dataset.count).toFixed(3)}`);
  assert.match(r.dataset.sources[0]!, /root\.zip!\d\/img_\d+\.(png|jpg)$/);
});

test('zip with digit folders nested one level; junk, non-images, corrupt images and bad folders are reported', async () => {
  const entries: ForgedEntry[] = [
    ...goodEntries('my digits/'),
    { name: 'my digits/', data: new Uint8Array(0) },
    { name: '__MACOSX/my digits/._3', data: Buffer.from('junk') },
    { name: 'my digits/.DS_Store', data: Buffer.from('junk') },
    { name: 'my digits/3/notes.txt', data: Buffer.from('hello') },
    { name: 'my digits/4/broken.png', data: photos[0]!.png.subarray(0, 60) },
    { name: 'my digits/seven/a.png', data: photos[0]!.png },
    { name: 'my digits/5/blank.png', data: await encodeGray(new Uint8Array(50 * 50).fill(240), 50, 50, 'png') },
    { name: 'my digits/6/a.bmp', data: encodeBmp(new Uint8Array(20 * 20).fill(200), 20, 20).subarray(0, 40) },
  ];
  const r = await importPaths([zipFile('nested.zip', entries)]);
  assert.equal(r.report.count, photos.length);
  const by = new Map(r.report.skipped.map((s) => [s.file.split('!')[1], s.reason]));
  assert.equal(r.report.skippedCount, 5, JSON.stringify(r.report.skipped));
  assert.match(by.get('my digits/3/notes.txt')!, /not an image/);
  assert.match(by.get('my digits/4/broken.png')!, /corrupt|unreadable/);
  assert.match(by.get('my digits/seven/a.png')!, /not named for a digit/);
  assert.match(by.get('my digits/5/blank.png')!, /blank/);
  assert.match(by.get('my digits/6/a.bmp')!, /BMP/);
});

test('hostile entries: ../, absolute paths, symlinks, encrypted are refused and nothing is written anywhere', async () => {
  const before = readdirSync(tmp.dir).sort();
  const evil = photos[0]!.png;
  const entries: ForgedEntry[] = [
    ...goodEntries(''),
    { name: '../escape.png', data: evil },
    { name: '3/../../escape2.png', data: evil },
    { name: '/etc/digit-studio-evil.png', data: evil },
    { name: 'C:\\evil\\3\\a.png', data: evil },
    { name: '3/link.png', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 },
    { name: '3/secret.png', data: evil, flags: 1 },
  ];
  const r = await importPaths([zipFile('hostile.zip', entries)]);
  assert.equal(r.report.count, photos.length);
  const reasons = new Map(r.report.skipped.map((s) => [s.file.split('!')[1], s.reason]));
  assert.match(reasons.get('../escape.png')!, /outside the archive/);
  assert.match(reasons.get('3/../../escape2.png')!, /outside the archive/);
  assert.match(reasons.get('/etc/digit-studio-evil.png')!, /absolute path/);
  assert.match(reasons.get('C:\\evil\\3\\a.png')!, /absolute path/);
  assert.match(reasons.get('3/link.png')!, /symbolic link/);
  assert.match(reasons.get('3/secret.png')!, /encrypted/);
  // Nothing was extracted: the temp folder holds only the archive we wrote, nothing beside or above it.
  assert.deepEqual(readdirSync(tmp.dir).sort(), [...before, 'hostile.zip'].sort());
  assert.equal(existsSync(path.join(path.dirname(tmp.dir), 'escape.png')), false);
  assert.equal(existsSync('/etc/digit-studio-evil.png'), false);
});

test('zip bombs: declared ratio, declared total, and sizes that lie are all stopped; the good part imports', async () => {
  const zeros = new Uint8Array(4 * 1024 * 1024); // deflates ~1000:1
  const entries: ForgedEntry[] = [
    ...goodEntries(''),
    { name: '1/ratio-bomb.png', data: zeros },
    // Declares 1 KB but inflates to 4 MB: caught while inflating.
    { name: '2/liar.png', data: zeros, declaredSize: 1024 },
  ];
  const r = await importPaths([zipFile('bomb.zip', entries)]);
  assert.equal(r.report.count, photos.length);
  const reasons = new Map(r.report.skipped.map((s) => [s.file.split('!')[1], s.reason]));
  assert.match(reasons.get('1/ratio-bomb.png')!, /zip bomb/);
  assert.match(reasons.get('2/liar.png')!, /more than its declared size/);

  // Total uncompressed size over the limit: the whole archive is refused before inflating.
  const big = zipFile('total.zip', [...goodEntries(''), { name: '3/x.png', data: new Uint8Array(300_000), method: 0 }]);
  await assert.rejects(importPaths([big], { zipLimits: { maxTotalBytes: 200_000 } }), /unpacks to more than 200000 bytes/);
  // Too many entries.
  await assert.rejects(importPaths([big], { zipLimits: { maxEntries: 10 } }), /too many entries/);
});

test('empty archive, archive with no digit folders, damaged archive: clear UserErrors naming the file', async () => {
  const empty = zipFile('empty.zip', []);
  await assert.rejects(importPaths([empty]), (e: unknown) => e instanceof UserError && /empty\.zip: the archive is empty/.test(e.message));
  const flat = zipFile('flat.zip', [{ name: 'a.png', data: photos[0]!.png }, { name: 'pics/b.png', data: photos[1]!.png }]);
  await assert.rejects(importPaths([flat]), /flat\.zip: no folders named 0–9/);
  const good = writeZip(goodEntries(''));
  const damaged = path.join(tmp.dir, 'damaged.zip');
  writeFileSync(damaged, good.subarray(0, good.length - 30));
  await assert.rejects(importPaths([damaged]), (e: unknown) => e instanceof UserError && /damaged\.zip/.test(e.message));
});

test('huge image dimensions inside a zip are refused by the pixel limit, not decoded', async () => {
  // A PNG header claiming 100000×100000: sharp's limitInputPixels stops it.
  const png = Buffer.from(photos[0]!.png);
  png.writeUInt32BE(100000, 16);
  png.writeUInt32BE(100000, 20);
  const r = await importPaths([zipFile('huge.zip', [...goodEntries(''), { name: '4/huge.png', data: png }])]);
  assert.equal(r.report.count, photos.length);
  const s = r.report.skipped.find((x) => x.file.endsWith('4/huge.png'));
  assert.ok(s, 'huge image skipped');
  assert.match(s.reason, /too large|corrupt|unreadable/);
});

test('plain folders: digit folders at the top or one level down, symlinks not followed, BMP decoded', async () => {
  const root = path.join(tmp.dir, 'handwriting');
  photos.forEach((p, i) => {
    const dir = path.join(root, 'set', String(p.label));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `d${i}.png`), p.png);
  });
  const bmpGray = digitPhoto(photos[0]!.digit, { width: 60, height: 60, digitSize: 40, at: { x: 10, y: 10 }, seed: 9 });
  writeFileSync(path.join(root, 'set', String(photos[0]!.label), 'scan.bmp'), encodeBmp(bmpGray, 60, 60, 8));
  mkdirSync(path.join(root, 'set', 'misc'), { recursive: true });
  symlinkSync('/etc/hostname', path.join(root, 'set', '7', 'link.png'));
  const r = await importPaths([root]);
  assert.equal(r.kind, 'folder');
  assert.equal(r.report.count, photos.length + 1);
  assert.ok(r.report.skipped.some((s) => s.file.endsWith('link.png') && /symbolic link/.test(s.reason)));
  assert.ok(r.report.skipped.some((s) => s.file.endsWith('misc') && /not named for a digit/.test(s.reason)));
  // A folder with no digit folders.
  const none = path.join(tmp.dir, 'nothing-here');
  mkdirSync(path.join(none, 'cats'), { recursive: true });
  await assert.rejects(importPaths([none]), /no folders named 0–9/);
});

test('zip progress counts pictures and bytes; cancelling mid-way stops with an AbortError', async () => {
  const z = zipFile('progress.zip', goodEntries(''));
  const events: { done: number; total: number; unit: string; bytes: number }[] = [];
  await importPaths([z], { onProgress: (e) => events.push(e) });
  assert.equal(events.at(-1)!.done, photos.length);
  assert.equal(events.at(-1)!.total, photos.length);
  assert.equal(events.at(-1)!.unit, 'images');
  assert.ok(events.at(-1)!.bytes > 0);
  for (let i = 1; i < events.length; i++) assert.ok(events[i]!.done >= events[i - 1]!.done, 'monotonic');

  const ac = new AbortController();
  let seen = 0;
  await assert.rejects(
    importPaths([z], {
      signal: ac.signal,
      concurrency: 1,
      onProgress: (e) => {
        seen = e.done;
        if (e.done >= 1) ac.abort();
      },
    }),
    (err: unknown) => (err as Error).name === 'AbortError',
  );
  assert.ok(seen < photos.length, `stopped early (${seen} of ${photos.length})`);
});
