import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IncrementalRaster, isBlank, rasteriseStrokes, RASTER_SIZE } from '../../renderer/src/lib/drawing/rasterise';
import { Drawing } from '../../renderer/src/lib/drawing/drawing';
import type { Stroke } from '../../renderer/src/lib/drawing/types';

const line = (x0: number, y0: number, x1: number, y1: number, kind: Stroke['kind'] = 'mouse', pressure = 0.5): Stroke => ({
  kind,
  points: [
    { x: x0, y: y0, pressure },
    { x: x1, y: y1, pressure },
  ],
});

function inkAt(img: Uint8Array, size: number, x: number, y: number): number {
  return img[Math.floor(y * size) * size + Math.floor(x * size)]!;
}

test('an empty drawing is blank; the default size is 112×112', () => {
  const img = rasteriseStrokes([]);
  assert.equal(img.length, RASTER_SIZE * RASTER_SIZE);
  assert.ok(isBlank(img));
});

test('a horizontal line inks its row, fully in the middle, with soft edges, and nothing far away', () => {
  const size = 112;
  const img = rasteriseStrokes([line(0.2, 0.5, 0.8, 0.5)], size, 0.08);
  assert.ok(!isBlank(img));
  assert.equal(inkAt(img, size, 0.5, 0.5), 255);
  assert.equal(inkAt(img, size, 0.5, 0.1), 0);
  assert.equal(inkAt(img, size, 0.05, 0.5), 0, 'nothing before the start (beyond the round cap)');
  // Width: 0.08 × 112 ≈ 9 px, so the column through the middle has about 9 inked pixels.
  let full = 0;
  let partial = 0;
  for (let y = 0; y < size; y++) {
    const v = img[y * size + 56]!;
    if (v === 255) full++;
    else if (v > 0) partial++;
  }
  assert.ok(full >= 7 && full <= 10, `full pixels ${full}`);
  assert.ok(partial >= 1 && partial <= 4, `anti-aliased edge pixels ${partial}`);
});

test('ink is symmetric for a symmetric stroke', () => {
  const size = 64;
  const img = rasteriseStrokes([line(0.25, 0.5, 0.75, 0.5)], size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      assert.equal(img[y * size + x], img[y * size + (size - 1 - x)], `mirror at ${x},${y}`);
    }
  }
});

test('pen pressure makes a thicker line; crossings do not exceed 255', () => {
  const size = 112;
  const count = (img: Uint8Array): number => img.reduce((n, v) => n + (v > 127 ? 1 : 0), 0);
  const light = count(rasteriseStrokes([line(0.2, 0.5, 0.8, 0.5, 'pen', 0.1)], size));
  const heavy = count(rasteriseStrokes([line(0.2, 0.5, 0.8, 0.5, 'pen', 1)], size));
  assert.ok(heavy > light * 2, `heavy ${heavy} vs light ${light}`);
  const cross = rasteriseStrokes([line(0.2, 0.5, 0.8, 0.5), line(0.5, 0.2, 0.5, 0.8)], size);
  assert.equal(inkAt(cross, size, 0.5, 0.5), 255);
});

test('a tap leaves a round dot; strokes off the pad are clipped, not wrapped', () => {
  const size = 56;
  const dot = rasteriseStrokes([{ kind: 'touch', points: [{ x: 0.5, y: 0.5, pressure: 1 }] }], size);
  assert.equal(inkAt(dot, size, 0.5, 0.5), 255);
  const inked = dot.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
  assert.ok(inked > 5 && inked < 60, `dot area ${inked}`);
  const off = rasteriseStrokes([line(0.9, 0.1, 1.8, 0.1)], size);
  // Ink ends at the right border; the left border (where a wrap would land) stays clean.
  assert.ok(off[Math.floor(0.1 * size) * size + size - 1]! > 0);
  for (let y = 0; y < size; y++) assert.equal(off[y * size]!, 0);
});

test('bad sizes are refused', () => {
  assert.throws(() => rasteriseStrokes([], 0), RangeError);
  assert.throws(() => rasteriseStrokes([], 2.5), RangeError);
});

test('a fast curved stroke (few samples) rasterises as a closed ring without gaps', () => {
  const size = 112;
  const r = 0.3;
  const points = Array.from({ length: 13 }, (_, i) => {
    const t = (i / 12) * Math.PI * 2;
    return { x: 0.5 + r * Math.cos(t), y: 0.5 + r * Math.sin(t), pressure: 0.5 };
  });
  const img = rasteriseStrokes([{ kind: 'mouse', points }], size);
  for (let deg = 0; deg < 360; deg += 2) {
    const t = (deg * Math.PI) / 180;
    const v = inkAt(img, size, 0.5 + r * Math.cos(t), 0.5 + r * Math.sin(t));
    assert.ok(v > 200, `ink on the ring at ${deg}°: ${v}`);
  }
  assert.equal(inkAt(img, size, 0.5, 0.5), 0, 'the middle stays empty');
});

test('the incremental raster of a growing drawing equals rasterising all its strokes, through strokes, undo and clear', () => {
  const drawing = new Drawing();
  const raster = new IncrementalRaster(RASTER_SIZE);
  const check = (what: string): void => {
    const got = raster.render(drawing.finishedStrokes, drawing.activeStroke);
    assert.deepEqual(got, rasteriseStrokes(drawing.strokes, RASTER_SIZE), what);
  };
  check('empty');
  // A "4": three crossing strokes drawn point by point, checked after every event.
  const strokes: [number, number][][] = [
    [[0.6, 0.15], [0.45, 0.4], [0.3, 0.6], [0.25, 0.62]],
    [[0.2, 0.6], [0.5, 0.6], [0.75, 0.58]],
    [[0.6, 0.3], [0.6, 0.6], [0.6, 0.9]],
  ];
  strokes.forEach((stroke, s) => {
    drawing.begin(s + 1, 'pen', { x: stroke[0]![0], y: stroke[0]![1], pressure: 0.4 });
    check(`stroke ${s} begun`);
    for (const [x, y] of stroke.slice(1)) {
      drawing.extend(s + 1, [{ x, y, pressure: 0.6 }]);
      check(`stroke ${s} extended to ${x},${y}`);
    }
    drawing.end(s + 1);
    check(`stroke ${s} ended`);
  });
  assert.ok(!isBlank(raster.render(drawing.finishedStrokes, null)));
  drawing.undo();
  check('after undo');
  drawing.begin(9, 'mouse', { x: 0.1, y: 0.1, pressure: 0.5 });
  drawing.extend(9, [{ x: 0.9, y: 0.9, pressure: 0.5 }]);
  drawing.end(9);
  check('a new stroke after undo');
  drawing.clear();
  check('after clear');
  assert.ok(isBlank(raster.render(drawing.finishedStrokes, drawing.activeStroke)));
});

test('the incremental raster hands out a fresh image each time (a request in flight keeps its pixels)', () => {
  const raster = new IncrementalRaster(28);
  const a = raster.render([line(0.2, 0.5, 0.8, 0.5)], null);
  const b = raster.render([line(0.2, 0.5, 0.8, 0.5)], line(0.5, 0.1, 0.5, 0.9));
  assert.notEqual(a, b);
  assert.ok(b.some((v, i) => v !== a[i]), 'the active stroke is only in the second');
  assert.deepEqual(a, rasteriseStrokes([line(0.2, 0.5, 0.8, 0.5)], 28));
});
