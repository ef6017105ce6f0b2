import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeDigit } from '../../../main/data/normalize';
import { IMAGE_SIDE, imageAt } from '../../../main/data/dataset';
import { loadStarterDataset } from '../../../main/data/starter';
import { correlation, digitPhoto, rng } from '../../helpers/digit-photos';

const SIDE = IMAGE_SIDE;

/** Draws a filled rectangle "stroke" of value v. */
function rect(img: Uint8Array, w: number, x0: number, y0: number, x1: number, y1: number, v: number): void {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img[y * w + x] = v;
}

/** A synthetic "7"-like shape: a top bar and a diagonal, scaled to the box. */
function seven(w: number, h: number, box: { x: number; y: number; s: number }, ink: number, paper: number): Uint8Array {
  const img = new Uint8Array(w * h).fill(paper);
  const t = Math.max(1, Math.round(box.s / 8));
  rect(img, w, box.x, box.y, box.x + box.s, box.y + t, ink);
  for (let k = 0; k < box.s; k++) {
    const x = box.x + box.s - t - Math.round((k * (box.s - t)) / (box.s * 1.6));
    rect(img, w, Math.max(0, x), box.y + k, Math.min(w, x + t), box.y + k + 1, ink);
  }
  return img;
}

function stats(out: Uint8Array) {
  let mass = 0;
  let mx = 0;
  let my = 0;
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = out[y * SIDE + x]!;
      if (!v) continue;
      mass += v;
      mx += v * x;
      my += v * y;
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
  }
  return { mass, cx: mx / mass, cy: my / mass, w: x1 - x0 + 1, h: y1 - y0 + 1, max: Math.max(...out), corner: out[0]! };
}

function assertMnistLike(out: Uint8Array, what: string): void {
  assert.equal(out.length, 784, what);
  const s = stats(out);
  assert.ok(s.mass > 0, `${what}: some ink`);
  assert.equal(s.max, 255, `${what}: ink saturates`);
  // Centre of mass at pixel 14 (MNIST's convention), within a pixel.
  assert.ok(Math.abs(s.cx - 14) <= 1.2 && Math.abs(s.cy - 14) <= 1.2, `${what}: centred (${s.cx.toFixed(2)}, ${s.cy.toFixed(2)})`);
  // Fits the 20×20 box (plus a pixel of antialiasing), and fills it on the long side.
  assert.ok(s.w <= 22 && s.h <= 22, `${what}: fits 20×20 (${s.w}×${s.h})`);
  assert.ok(Math.max(s.w, s.h) >= 18, `${what}: long side ~20 (${s.w}×${s.h})`);
  // Background is black: the corners (where no digit reaches) are empty, and most of the border too
  // (an asymmetric digit may touch one edge, as in MNIST, whose box is clamped to the frame).
  for (const i of [0, SIDE - 1, SIDE * (SIDE - 1)]) assert.equal(out[i], 0, `${what}: corner ${i} clear`);
  let border = 0;
  for (let i = 0; i < SIDE; i++) border += Number(out[i]! > 0) + Number(out[i * SIDE]! > 0) + Number(out[i * SIDE + SIDE - 1]! > 0);
  assert.ok(border <= 6, `${what}: background clear (${border} border pixels inked)`);
}

test('a dark-on-light off-centre shape becomes white-on-black, centred and 20 px', () => {
  const img = seven(200, 150, { x: 10, y: 12, s: 60 }, 30, 220);
  const out = normalizeDigit(img, 200, 150);
  assertMnistLike(out, 'off-centre');
});

test('polarity: light ink on dark paper gives the same result as dark on light', () => {
  const dark = seven(120, 120, { x: 30, y: 30, s: 50 }, 20, 230);
  const light = seven(120, 120, { x: 30, y: 30, s: 50 }, 230, 20);
  const a = normalizeDigit(dark, 120, 120);
  const b = normalizeDigit(light, 120, 120);
  assertMnistLike(a, 'dark ink');
  assertMnistLike(b, 'light ink');
  assert.ok(correlation(a, b) > 0.98, `same digit (${correlation(a, b)})`);
});

test('tiny input (7×9) is enlarged smoothly to fill the box', () => {
  const img = new Uint8Array(7 * 9);
  rect(img, 7, 3, 0, 4, 9, 255); // a "1"
  rect(img, 7, 1, 1, 3, 2, 255);
  const out = normalizeDigit(img, 7, 9);
  const s = stats(out);
  assert.ok(s.h >= 19 && s.h <= 22, `height ~20 (${s.h})`);
  assert.ok(Math.abs(s.cx - 14) <= 1.2 && Math.abs(s.cy - 14) <= 1.2);
  // Enlarging interpolates: there are intermediate grays, not only 0 and 255.
  assert.ok([...out].some((v) => v > 20 && v < 235), 'antialiased edges');
});

test('huge input (3000×2400) with a thin pen stroke keeps a visible stroke', () => {
  const w = 3000;
  const h = 2400;
  const img = new Uint8Array(w * h).fill(235);
  // A 12-px-wide pen "1" 1600 px tall: after shrinking 80×, it would be 0.15 px without thickening.
  rect(img, w, 1400, 300, 1412, 1900, 25);
  rect(img, w, 1200, 300, 1412, 312, 25);
  const out = normalizeDigit(img, w, h);
  const s = stats(out);
  assert.equal(s.h >= 19 && s.h <= 21, true, `height ~20 (${s.h})`);
  const strong = [...out].filter((v) => v > 128).length;
  assert.ok(strong >= 30, `stroke still solid after shrinking (${strong} strong pixels)`);
});

test('low contrast (ink 20 levels darker than the paper) is stretched to full range', () => {
  const img = seven(100, 100, { x: 20, y: 20, s: 55 }, 120, 140);
  const out = normalizeDigit(img, 100, 100);
  assertMnistLike(out, 'low contrast');
});

test('uneven lighting: a strong gradient and noise are removed, the digit survives', () => {
  const w = 160;
  const h = 120;
  const base = seven(w, h, { x: 60, y: 25, s: 60 }, 0, 0);
  const r = rng(7);
  const img = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const paper = 250 - (150 * x) / w; // bright on the left, dim on the right
      const inked = base[y * w + x] === 0 && isInk(x, y);
      const v = (inked ? paper * 0.35 : paper) + (r() - 0.5) * 16;
      img[y * w + x] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  function isInk(x: number, y: number): boolean {
    return seven(w, h, { x: 60, y: 25, s: 60 }, 255, 0)[y * w + x] === 255;
  }
  const clean = normalizeDigit(seven(w, h, { x: 60, y: 25, s: 60 }, 255, 0), w, h);
  const out = normalizeDigit(img, w, h);
  assertMnistLike(out, 'uneven lighting');
  assert.ok(correlation(out, clean) > 0.85, `matches the clean digit (${correlation(out, clean).toFixed(3)})`);
});

test('blank, flat, noise-only and degenerate inputs give all zeros without throwing', () => {
  const zeros = (a: Uint8Array) => a.length === 784 && a.every((v) => v === 0);
  assert.ok(zeros(normalizeDigit(new Uint8Array(100 * 100), 100, 100)), 'black');
  assert.ok(zeros(normalizeDigit(new Uint8Array(100 * 100).fill(255), 100, 100)), 'white');
  assert.ok(zeros(normalizeDigit(new Uint8Array(50 * 40).fill(128), 50, 40)), 'gray');
  const r = rng(3);
  const noise = Uint8Array.from({ length: 120 * 90 }, () => 128 + Math.round((r() - 0.5) * 6));
  assert.ok(zeros(normalizeDigit(noise, 120, 90)), 'faint noise only');
  assert.ok(zeros(normalizeDigit(new Uint8Array(0), 0, 0)), 'empty');
  assert.ok(zeros(normalizeDigit(new Uint8Array(10), 5, 5)), 'short buffer');
  assert.ok(zeros(normalizeDigit(new Uint8Array(10), -1, 10)), 'bad size');
});

test('the drawing pad: 255 ink on 0 at arbitrary size, including a 1-pixel line and a single dot', () => {
  const w = 300;
  const h = 300;
  const pad = new Uint8Array(w * h);
  rect(pad, w, 140, 40, 160, 260, 255);
  const out = normalizeDigit(pad, w, h);
  const s = stats(out);
  assert.ok(s.h >= 19 && s.h <= 21);
  assert.ok(Math.abs(s.cx - 14) <= 1 && Math.abs(s.cy - 14) <= 1.2);
  const dot = new Uint8Array(64 * 64);
  dot[10 * 64 + 50] = 255;
  const d = normalizeDigit(dot, 64, 64);
  assert.equal(d.length, 784);
  assert.ok(d.some((v) => v > 0), 'a dot is kept');
});

test('MNIST digits are (nearly) unchanged by normalisation: they already follow the recipe', async () => {
  const ds = await loadStarterDataset(20);
  let sum = 0;
  for (let i = 0; i < ds.count; i++) sum += correlation(normalizeDigit(imageAt(ds, i), 28, 28), imageAt(ds, i));
  const mean = sum / ds.count;
  assert.ok(mean > 0.97, `mean correlation ${mean.toFixed(3)}`);
});

test('a real MNIST digit, enlarged, inverted, pasted off-centre in a big noisy unevenly lit photo, normalises back', async () => {
  const ds = await loadStarterDataset(10);
  let sum = 0;
  let worst = 1;
  const n = ds.count;
  for (let i = 0; i < n; i++) {
    const digit = imageAt(ds, i);
    const photo = digitPhoto(digit, {
      width: 480,
      height: 360,
      digitSize: 150 + (i % 5) * 20,
      at: { x: 30 + ((i * 37) % 250), y: 20 + ((i * 53) % 150) },
      paper: [225, 150],
      ink: 35,
      noise: 14,
      seed: i,
    });
    const c = correlation(normalizeDigit(photo, 480, 360), digit);
    sum += c;
    worst = Math.min(worst, c);
  }
  const mean = sum / n;
  assert.ok(mean > 0.88, `mean correlation ${mean.toFixed(3)}`);
  assert.ok(worst > 0.6, `worst correlation ${worst.toFixed(3)}`);
});
