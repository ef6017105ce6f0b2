import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { decodeImage, imageFileToDigit, previewDataUrl, sniffImageFormat } from '../../../main/data/image-decode';
import { decodeBmp } from '../../../main/data/bmp-decode';
import { UserError } from '../../../main/util/errors';
import { encodeBmp, encodeGray, rleBmp, rleFile } from '../../helpers/digit-photos';
import { tempDir } from '../../helpers/mnist-files';

const tmp = tempDir();
after(tmp.cleanup);

/** 40×30 gradient: left dark, right bright; a black square at the top-left corner. */
function gradient(w = 40, h = 30): Uint8Array {
  const g = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) g[y * w + x] = x < 5 && y < 5 ? 0 : Math.round(50 + (200 * x) / w);
  return g;
}

test('PNG, JPEG, WebP, TIFF, GIF and BMP (8- and 24-bit) decode to the same grayscale picture', async () => {
  const g = gradient();
  const bufs: [string, Buffer, number][] = [
    ['png', await encodeGray(g, 40, 30, 'png'), 0],
    ['tiff', await encodeGray(g, 40, 30, 'tiff'), 0],
    ['bmp8', encodeBmp(g, 40, 30, 8), 0],
    ['bmp24', encodeBmp(g, 40, 30, 24), 1],
    ['jpeg', await encodeGray(g, 40, 30, 'jpeg'), 12],
    ['webp', await encodeGray(g, 40, 30, 'webp'), 12],
    ['gif', await encodeGray(g, 40, 30, 'gif'), 24],
  ];
  for (const [name, buf, tolerance] of bufs) {
    const img = await decodeImage({ buffer: buf, name });
    assert.equal(img.width, 40, name);
    assert.equal(img.height, 30, name);
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(img.gray[i]! - g[i]!));
    assert.ok(worst <= tolerance + 2, `${name}: max difference ${worst}`);
  }
});

test('format is sniffed from the bytes, not the name', async () => {
  const png = await encodeGray(gradient(), 40, 30, 'png');
  assert.equal(sniffImageFormat(png), 'png');
  assert.equal(sniffImageFormat(encodeBmp(gradient(), 40, 30)), 'bmp');
  assert.equal(sniffImageFormat(Buffer.from('GIF89a......')), 'gif');
  assert.equal(sniffImageFormat(Buffer.from('hello')), null);
  // A PNG named .jpg still decodes.
  const img = await decodeImage({ buffer: png, name: 'photo.jpg' });
  assert.equal(img.width, 40);
});

test('EXIF orientation is applied (a 6 = rotate 90° photo comes out upright)', async () => {
  const g = gradient(); // 40 wide, 30 high, black corner top-left
  const jpg = await sharp(Buffer.from(g), { raw: { width: 40, height: 30, channels: 1 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  const img = await decodeImage({ buffer: jpg, name: 'rotated.jpg' });
  assert.equal(img.width, 30);
  assert.equal(img.height, 40);
  // Orientation 6 = the stored picture must be turned 90° clockwise: top-left corner goes top-right.
  assert.ok(img.gray[0 * 30 + 28]! < 40, `black corner now top-right (${img.gray[28]})`);
  // …and the bright right edge of the original becomes the bottom row.
  assert.ok(img.gray[39 * 30 + 0]! > 200, `bottom-left is bright now (${img.gray[39 * 30]})`);
});

test('transparency is flattened on white paper', async () => {
  // A transparent picture with an opaque black stroke: the background must read as white (255).
  const rgba = Buffer.alloc(20 * 20 * 4);
  for (let y = 5; y < 15; y++) for (let x = 9; x < 11; x++) rgba.writeUInt32BE(0x000000ff, (y * 20 + x) * 4);
  const png = await sharp(rgba, { raw: { width: 20, height: 20, channels: 4 } }).png().toBuffer();
  const img = await decodeImage({ buffer: png, name: 'alpha.png' });
  assert.equal(img.gray[0], 255);
  assert.equal(img.gray[10 * 20 + 10], 0);
  const digit = await imageFileToDigit({ buffer: png, name: 'alpha.png' });
  assert.ok(digit.some((v) => v === 255), 'the stroke becomes ink');
});

test('big photos are shrunk to at most 1024 px inside libvips', async () => {
  const big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#eeeeee' } }).jpeg().toBuffer();
  const img = await decodeImage({ buffer: big, name: 'big.jpg' });
  assert.equal(Math.max(img.width, img.height), 1024);
});

test('non-images, truncated and corrupt files, and absurd dimensions give UserErrors naming the file', async () => {
  const check = async (buf: Buffer, name: string, pattern: RegExp) => {
    await assert.rejects(decodeImage({ buffer: buf, name }), (err: unknown) => {
      assert.ok(err instanceof UserError, `${name}: ${String(err)}`);
      assert.ok(err.message.startsWith(`${name}: `), err.message);
      assert.match(err.message, pattern);
      return true;
    });
  };
  const png = await encodeGray(gradient(), 40, 30, 'png');
  await check(Buffer.from('just text'), 'notes.png', /not an image/);
  await check(png.subarray(0, 100), 'cut.png', /corrupt|unreadable/);
  const huge = Buffer.from(png);
  huge.writeUInt32BE(60000, 16);
  huge.writeUInt32BE(60000, 20);
  await check(huge, 'huge.png', /too large|corrupt|unreadable/);
  const bmp = encodeBmp(gradient(), 40, 30);
  const bmpHuge = Buffer.from(bmp);
  bmpHuge.writeInt32LE(100000, 18);
  bmpHuge.writeInt32LE(100000, 22);
  await check(bmpHuge, 'huge.bmp', /too large/);
  await check(bmp.subarray(0, 80), 'cut.bmp', /BMP/);
  const rle = Buffer.from(bmp);
  rle.writeUInt32LE(1, 30);
  await check(rle, 'rle.bmp', /RLE/);
  await assert.rejects(decodeImage({ path: path.join(tmp.dir, 'missing.png') }), /missing\.png: not found/);
  await assert.rejects(decodeImage({ path: tmp.dir }), /is a folder/);
});

test('only regular files are read: a FIFO or a link to /dev/zero is refused, not waited on or read forever', async () => {
  const fifo = path.join(tmp.dir, 'pipe.png');
  execFileSync('mkfifo', [fifo]);
  const zero = path.join(tmp.dir, 'zero.png');
  symlinkSync('/dev/zero', zero);
  await assert.rejects(decodeImage({ path: fifo }), /pipe\.png: is not a regular file/);
  await assert.rejects(decodeImage({ path: zero }), /zero\.png: is not a regular file/);
  await assert.rejects(decodeImage({ path: '/dev/zero' }), /not a regular file/);
  await assert.rejects(previewDataUrl({ path: zero }), /not a regular file/);
});

test('BMP decoder: top-down rows, 1-bit palettes, 32-bit bitfields', () => {
  const g = gradient();
  const bottomUp = encodeBmp(g, 40, 30, 24);
  const topDown = Buffer.from(bottomUp);
  topDown.writeInt32LE(-30, 22);
  const a = decodeBmp(bottomUp, 'a.bmp', 1e6);
  const b = decodeBmp(topDown, 'b.bmp', 1e6);
  // Same bytes read top-down: rows come out reversed.
  assert.deepEqual(b.gray.subarray(0, 40), a.gray.subarray(29 * 40, 30 * 40));
  // 1-bit: 8×2, palette black/white, pattern 10101010 / 01010101.
  const one = Buffer.alloc(14 + 40 + 8 + 8);
  one.write('BM', 0, 'latin1');
  one.writeUInt32LE(one.length, 2);
  one.writeUInt32LE(62, 10);
  one.writeUInt32LE(40, 14);
  one.writeInt32LE(8, 18);
  one.writeInt32LE(2, 22);
  one.writeUInt16LE(1, 26);
  one.writeUInt16LE(1, 28);
  one.writeUInt32LE(2, 46);
  one.writeUInt32LE(0x00ffffff, 58); // palette[1] = white
  one[62] = 0b01010101; // bottom row
  one[66] = 0b10101010; // top row
  const d = decodeBmp(one, 'one.bmp', 1e6);
  assert.deepEqual([...d.gray.subarray(0, 8)], [255, 0, 255, 0, 255, 0, 255, 0]);
  assert.deepEqual([...d.gray.subarray(8, 16)], [0, 255, 0, 255, 0, 255, 0, 255]);
});

test('previewDataUrl gives a PNG data: URL no larger than 256 px, for BMP too; files by path work', async () => {
  const p = path.join(tmp.dir, 'pic.bmp');
  writeFileSync(p, encodeBmp(new Uint8Array(600 * 300).fill(128), 600, 300));
  const url = await previewDataUrl({ path: p });
  assert.match(url, /^data:image\/png;base64,/);
  const meta = await sharp(Buffer.from(url.split(',')[1]!, 'base64')).metadata();
  assert.equal(meta.width, 256);
  assert.equal(meta.height, 128);
});

test('BMP decoder: run-length encoded 8- and 4-bit files decode like their plain versions; hostile runs stay inside', async () => {
  const g = gradient();
  // Some noise so that absolute (literal) stretches are used too.
  for (let i = 0; i < g.length; i += 7) g[i] = (g[i]! * 31) & 0xff;
  const plain = decodeBmp(encodeBmp(g, 40, 30, 8), 'plain.bmp', 1e6);
  const rle8 = decodeBmp(rleBmp(g, 40, 30, false), 'rle8.bmp', 1e6);
  assert.deepEqual(rle8.gray, plain.gray);
  // Through decodeImage too (sniffed as BMP, whatever the name).
  const viaImage = await decodeImage({ buffer: rleBmp(g, 40, 30, false), name: 'scan.bmp' });
  assert.deepEqual(viaImage.gray, plain.gray);

  const nibbles = Uint8Array.from(g, (v) => v >> 4);
  const rle4 = decodeBmp(rleBmp(nibbles, 40, 30, true), 'rle4.bmp', 1e6);
  assert.deepEqual(rle4.gray, Uint8Array.from(nibbles, (v) => v * 17));

  // Bottom row: a run of 5s. Middle: a run of ten 6s in a 4-pixel row (clipped, never spilling
  // into the next row). Top: a delta skips two pixels (they keep palette colour 0), then two 7s;
  // a last delta far past the top ends the image instead of writing anywhere.
  const hostile = rleFile([4, 5, 0, 0, 10, 6, 0, 0, 0, 2, 2, 0, 2, 7, 0, 2, 0, 200, 9, 9], 4, 3, false);
  assert.deepEqual([...decodeBmp(hostile, 'h.bmp', 1e6).gray], [0, 0, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5]);
  const cut = rleBmp(g, 40, 30, false);
  assert.throws(() => decodeBmp(cut.subarray(0, cut.length - 40), 'cut.bmp', 1e6), /run-length data cut short/);
  const wrongBits = rleBmp(g, 40, 30, false);
  wrongBits.writeUInt16LE(24, 28);
  assert.throws(() => decodeBmp(wrongBits, 'w.bmp', 1e6), /RLE8 needs 8 bits/);
});
