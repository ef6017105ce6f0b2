// Deskewing by moments: a slanted stroke comes out upright, an upright one is untouched, a blank or
// flat sample is left alone, and the ink stays where its centre was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deskew, deskewDataset, skewOf } from '../../../main/data/deskew';
import { IMAGE_PIXELS } from '../../../main/data/dataset';

/** A 3-px-wide bar from (x0, 4) to (x1, 23). */
function bar(x0: number, x1: number): Uint8Array {
  const px = new Uint8Array(IMAGE_PIXELS);
  for (let y = 4; y <= 23; y++) {
    const cx = Math.round(x0 + ((x1 - x0) * (y - 4)) / 19);
    for (let dx = -1; dx <= 1; dx++) px[y * 28 + cx + dx] = 255;
  }
  return px;
}

const centreX = (px: Uint8Array) => {
  let m = 0;
  let s = 0;
  px.forEach((v, i) => {
    m += v;
    s += (i % 28) * v;
  });
  return s / m;
};

test('a slanted bar is made upright, its centre kept', () => {
  const leaning = bar(19, 9); // top right, bottom left: leans right
  assert.ok(skewOf(leaning) < -0.3, `a right-leaning bar has a clear negative skew (${skewOf(leaning)})`);
  const out = deskew(leaning);
  assert.ok(Math.abs(skewOf(out)) < 0.05, `upright after deskewing (${skewOf(out)})`);
  assert.ok(Math.abs(centreX(out) - centreX(leaning)) < 0.6, 'the centre of mass stays');
  // The top row's ink moved left, to the middle.
  const topInk = [...out.subarray(4 * 28, 5 * 28)].findIndex((v) => v > 100);
  assert.ok(topInk >= 12 && topInk <= 15, `top of the stroke near the middle (${topInk})`);
});

test('an upright bar, a blank sample and a flat bar are left as they are', () => {
  const upright = bar(14, 14);
  assert.equal(skewOf(upright), 0);
  assert.deepEqual(deskew(upright), upright);
  const blank = new Uint8Array(IMAGE_PIXELS);
  assert.deepEqual(deskew(blank), blank);
  const flat = new Uint8Array(IMAGE_PIXELS);
  for (let x = 4; x < 24; x++) flat[14 * 28 + x] = 255;
  assert.deepEqual(deskew(flat), flat, 'a lone horizontal bar has no slant to take away');
});

test('deskewDataset deskews every sample and leaves the source untouched', () => {
  const a = bar(19, 9);
  const b = bar(14, 14);
  const pixels = new Uint8Array(2 * IMAGE_PIXELS);
  pixels.set(a, 0);
  pixels.set(b, IMAGE_PIXELS);
  const ds = { count: 2, pixels, labels: new Int8Array([1, 1]), sources: ['a', 'b'] };
  const out = deskewDataset(ds);
  assert.deepEqual(out.pixels.subarray(0, IMAGE_PIXELS), deskew(a));
  assert.deepEqual(out.pixels.subarray(IMAGE_PIXELS), b);
  assert.deepEqual(ds.pixels.subarray(0, IMAGE_PIXELS), a, 'the input is not changed');
  assert.equal(out.labels, ds.labels);
});
