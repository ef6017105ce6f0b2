import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodePngFast } from '../../../main/data/png-decode';
import { rng } from '../../helpers/digit-photos';

/** What sharp makes of the same PNG: grayscale, alpha flattened on white. */
async function viaSharp(png: Buffer): Promise<Uint8Array> {
  const { data, info } = await sharp(png).flatten({ background: '#ffffff' }).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return new Uint8Array(data);
  return Uint8Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels]!);
}

function picture(w: number, h: number, channels: number, seed: number): Buffer {
  const r = rng(seed);
  const buf = Buffer.alloc(w * h * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < channels; c++) {
        // Smooth content (so every PNG filter type gets used) plus a little noise.
        buf[(y * w + x) * channels + c] = Math.max(0, Math.min(255, Math.round(40 + 3 * x + 2 * y + c * 20 + r() * 6)));
      }
    }
  }
  return buf;
}

test('the PNG fast path decodes every common PNG kind like sharp does', async () => {
  const w = 37;
  const h = 23;
  const cases: [string, Promise<Buffer>, number][] = [
    ['gray 8-bit', sharp(picture(w, h, 1, 1), { raw: { width: w, height: h, channels: 1 } }).png().toBuffer(), 0],
    ['gray 16-bit', sharp(picture(w, h, 1, 2), { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toBuffer(), 1],
    ['RGB', sharp(picture(w, h, 3, 3), { raw: { width: w, height: h, channels: 3 } }).png().toBuffer(), 4],
    ['RGBA', sharp(picture(w, h, 4, 4), { raw: { width: w, height: h, channels: 4 } }).png().toBuffer(), 4],
    ['gray+alpha', sharp(picture(w, h, 2, 5), { raw: { width: w, height: h, channels: 2 } }).png().toBuffer(), 2],
    ['palette', sharp(picture(w, h, 3, 6), { raw: { width: w, height: h, channels: 3 } }).png({ palette: true, colours: 16 }).toBuffer(), 4],
    ['1-bit', sharp(Buffer.from(picture(w, h, 1, 7).map((v) => (v > 150 ? 255 : 0))), { raw: { width: w, height: h, channels: 1 } }).png({ palette: true, colours: 2 }).toBuffer(), 2],
  ];
  // (Colour to gray: sharp's weights differ from ours by a level or three, which no digit notices.)
  for (const [name, pending, tolerance] of cases) {
    const png = await pending;
    const fast = decodePngFast(png, 1024);
    assert.ok(fast, `${name}: handled by the fast path`);
    assert.equal(fast.width, w);
    assert.equal(fast.height, h);
    const ref = await viaSharp(png);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i]! - fast.gray[i]!));
    assert.ok(worst <= tolerance, `${name}: differs from sharp by ${worst}`);
  }
});

test('interlaced, oversized, cut and non-PNG inputs are left to sharp (null)', async () => {
  const raw = picture(40, 30, 1, 9);
  const interlaced = await sharp(raw, { raw: { width: 40, height: 30, channels: 1 } }).png({ progressive: true }).toBuffer();
  assert.equal(decodePngFast(interlaced, 1024), null);
  const png = await sharp(raw, { raw: { width: 40, height: 30, channels: 1 } }).png().toBuffer();
  assert.equal(decodePngFast(png, 32), null, 'larger than the decode size');
  assert.equal(decodePngFast(png.subarray(0, png.length - 20), 1024), null, 'cut short');
  assert.equal(decodePngFast(Buffer.from('not a png at all, not at all'), 1024), null);
  // A forged header claiming a huge size with tiny data: refused before any big allocation.
  const forged = Buffer.from(png);
  forged.writeUInt32BE(30000, 16);
  assert.equal(decodePngFast(forged, 1024), null);
});
