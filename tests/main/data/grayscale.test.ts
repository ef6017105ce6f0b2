// One grayscale conversion: the same colour picture read through every decoding path (our PNG
// fast path, the plain-JPEG shortcut, sharp's full pipeline for interlaced PNGs, EXIF JPEGs and
// large pictures, and the BMP decoder) gives identical pixels, equal to main/data/grayscale.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../../main/data/image-decode';
import { decodePngFast } from '../../../main/data/png-decode';
import { jpegHeader } from '../../../main/data/image-decode';
import { pixelsToGray, luma, onWhite } from '../../../main/data/grayscale';
import { loadStarterDataset } from '../../../main/data/starter';
import { enlarge, rng } from '../../helpers/digit-photos';

const W = 90;
const H = 70;

/** A coloured "photo" of a real digit: blue ink on yellowish, unevenly lit paper, RGBA. */
async function colourDigit(withAlpha: boolean): Promise<Buffer> {
  const ds = await loadStarterDataset(1);
  const big = enlarge(ds.pixels.subarray(3 * 784, 4 * 784), 56);
  const rand = rng(5);
  const out = Buffer.alloc(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const dx = x - 17;
      const dy = y - 7;
      const a = dx >= 0 && dy >= 0 && dx < 56 && dy < 56 ? big[dy * 56 + dx]! / 255 : 0;
      const paper = [245 - x, 215 - y / 2, 140 + x / 3];
      const ink = [30, 70, 190];
      const p = (y * W + x) * 4;
      for (let c = 0; c < 3; c++) out[p + c] = Math.max(0, Math.min(255, Math.round(paper[c]! + a * (ink[c]! - paper[c]!) + (rand() - 0.5) * 24)));
      out[p + 3] = withAlpha ? (x * 11 + y * 7) % 256 : 255;
    }
  }
  return out;
}

function bmp(rgba: Buffer, width: number, height: number, bits: 24 | 32): Buffer {
  const header = bits === 32 ? 108 : 40;
  const rowBytes = Math.ceil((width * bits) / 32) * 4;
  const offset = 14 + header;
  const buf = Buffer.alloc(offset + rowBytes * height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(offset, 10);
  buf.writeUInt32LE(header, 14);
  buf.writeInt32LE(width, 18);
  buf.writeInt32LE(height, 22); // bottom-up
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(bits, 28);
  buf.writeUInt32LE(bits === 32 ? 3 : 0, 30); // BI_BITFIELDS with an alpha mask, or BI_RGB
  buf.writeUInt32LE(rowBytes * height, 34);
  if (bits === 32) {
    buf.writeUInt32LE(0x00ff0000, 54);
    buf.writeUInt32LE(0x0000ff00, 58);
    buf.writeUInt32LE(0x000000ff, 62);
    buf.writeUInt32LE(0xff000000, 66);
  }
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      const d = row + x * (bits / 8);
      buf[d] = rgba[s + 2]!;
      buf[d + 1] = rgba[s + 1]!;
      buf[d + 2] = rgba[s]!;
      if (bits === 32) buf[d + 3] = rgba[s + 3]!;
    }
  }
  return buf;
}

/** The JPEG with an EXIF block (orientation 1: upright) inserted after SOI: same pixels, sharp's path. */
function withExif(jpeg: Buffer): Buffer {
  const tiff = Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.alloc(4);
  app1[0] = 0xff;
  app1[1] = 0xe1;
  app1.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), app1, body, jpeg.subarray(2)]);
}

const rgbaOf = (rgb: Buffer): Buffer => {
  const out = Buffer.alloc((rgb.length / 3) * 4);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    out[j] = rgb[i]!;
    out[j + 1] = rgb[i + 1]!;
    out[j + 2] = rgb[i + 2]!;
    out[j + 3] = 255;
  }
  return out;
};

async function decode(buffer: Buffer, name: string): Promise<Uint8Array> {
  const img = await decodeImage({ buffer, name });
  assert.equal(img.width, W, name);
  assert.equal(img.height, H, name);
  return img.gray;
}

test('an opaque colour picture gives the same pixels through PNG fast path, interlaced PNG, JPEG, EXIF JPEG and BMP', async () => {
  const rgba = await colourDigit(false);
  const raw = { raw: { width: W, height: H, channels: 4 as const } };
  // JPEG is lossy: its decoded pixels are the picture the other formats then carry exactly.
  const jpeg = await sharp(rgba, raw).removeAlpha().jpeg({ quality: 90 }).toBuffer();
  const decodedRgb = await sharp(jpeg).raw().toBuffer();
  const picture = rgbaOf(decodedRgb);
  const expected = pixelsToGray(decodedRgb, W, H, 3)!;
  assert.ok(new Set(expected).size > 50, 'a picture with many grays');

  const rgbRaw = { raw: { width: W, height: H, channels: 3 as const } };
  const png = await sharp(decodedRgb, rgbRaw).png().toBuffer();
  const interlaced = await sharp(decodedRgb, rgbRaw).png({ progressive: true }).toBuffer();
  assert.ok(decodePngFast(png, 1024), 'the plain PNG takes the fast path');
  assert.equal(decodePngFast(interlaced, 1024), null, 'the interlaced PNG takes sharp’s path');
  assert.equal(jpegHeader(jpeg)!.exif, false, 'the plain JPEG takes the shortcut');
  assert.equal(jpegHeader(withExif(jpeg))!.exif, true, 'the EXIF JPEG takes sharp’s path');

  const paths: [string, Buffer][] = [
    ['png (fast path)', png],
    ['png interlaced (sharp)', interlaced],
    ['jpeg (shortcut)', jpeg],
    ['jpeg with EXIF (sharp)', withExif(jpeg)],
    ['bmp 24-bit', bmp(picture, W, H, 24)],
    ['bmp 32-bit', bmp(picture, W, H, 32)],
  ];
  for (const [name, buffer] of paths) {
    const gray = await decode(buffer, name);
    const differ = gray.reduce((n, v, i) => n + (v !== expected[i] ? 1 : 0), 0);
    assert.equal(differ, 0, `${name}: ${differ} of ${W * H} pixels differ from the one conversion`);
  }
});

test('transparency is flattened on white the same way by the PNG fast path, sharp’s path and BMP', async () => {
  const rgba = await colourDigit(true);
  const raw = { raw: { width: W, height: H, channels: 4 as const } };
  const expected = pixelsToGray(rgba, W, H, 4)!;
  const paths: [string, Buffer][] = [
    ['png rgba (fast path)', await sharp(rgba, raw).png().toBuffer()],
    ['png rgba interlaced (sharp)', await sharp(rgba, raw).png({ progressive: true }).toBuffer()],
    ['webp lossless (sharp)', await sharp(rgba, raw).webp({ lossless: true }).toBuffer()],
    ['bmp 32-bit with alpha', bmp(rgba, W, H, 32)],
  ];
  for (const [name, buffer] of paths) {
    const gray = await decode(buffer, name);
    const differ = gray.reduce((n, v, i) => n + (v !== expected[i] ? 1 : 0), 0);
    assert.equal(differ, 0, `${name}: ${differ} of ${W * H} pixels differ`);
  }
});

test('a large picture (shrunk by sharp) keeps the same gray for the same colour as a small one', async () => {
  const colour = [200, 40, 90];
  const small = await sharp({ create: { width: 100, height: 10, channels: 3, background: { r: colour[0]!, g: colour[1]!, b: colour[2]! } } }).png().toBuffer();
  const large = await sharp({ create: { width: 1500, height: 40, channels: 3, background: { r: colour[0]!, g: colour[1]!, b: colour[2]! } } }).png().toBuffer();
  const a = await decodeImage({ buffer: small, name: 'small.png' });
  const b = await decodeImage({ buffer: large, name: 'large.png' });
  assert.equal(b.width, 1024, 'the large one was shrunk');
  const want = Math.round(luma(colour[0]!, colour[1]!, colour[2]!));
  assert.ok(a.gray.every((v) => v === want), `small: ${a.gray[0]} vs ${want}`);
  assert.ok(b.gray.every((v) => v === want), `large: ${b.gray[0]} vs ${want}`);
  assert.equal(onWhite(100, 0), 255);
  assert.equal(onWhite(100, 255), 100);
});
