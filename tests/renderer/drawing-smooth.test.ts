import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_WIDTH, MAX_PEN_FACTOR, MIN_PEN_FACTOR, strokeWidth } from '../../renderer/src/lib/drawing/pressure';
import { catmullRom, dedupePoints, MAX_STEPS, smoothStroke, SAMPLE_SPACING } from '../../renderer/src/lib/drawing/smooth';
import type { StrokePoint } from '../../renderer/src/lib/drawing/types';

const pt = (x: number, y: number, pressure = 0.5): StrokePoint => ({ x, y, pressure });

test('pressure changes width for pens only', () => {
  assert.equal(strokeWidth(0.1, 'mouse'), BASE_WIDTH);
  assert.equal(strokeWidth(1, 'touch'), BASE_WIDTH);
  assert.equal(strokeWidth(0.5, 'pen'), BASE_WIDTH, 'a pressure-less pen (0.5) draws like a mouse');
  assert.ok(Math.abs(strokeWidth(0, 'pen') - BASE_WIDTH * MIN_PEN_FACTOR) < 1e-12);
  assert.ok(Math.abs(strokeWidth(1, 'pen') - BASE_WIDTH * MAX_PEN_FACTOR) < 1e-12);
  // Monotonic in pressure.
  let last = -1;
  for (let p = 0; p <= 1.0001; p += 0.05) {
    const w = strokeWidth(p, 'pen');
    assert.ok(w > last);
    last = w;
  }
  // Out-of-range and garbage pressures are bounded.
  assert.equal(strokeWidth(7, 'pen'), strokeWidth(1, 'pen'));
  assert.equal(strokeWidth(-3, 'pen'), strokeWidth(0, 'pen'));
  assert.equal(strokeWidth(Number.NaN, 'pen'), BASE_WIDTH);
  assert.equal(strokeWidth(0.5, 'pen', 0.2), 0.2);
});

test('dedupe drops jitter but keeps the harder press', () => {
  const out = dedupePoints([pt(0.1, 0.1, 0.2), pt(0.1005, 0.1, 0.9), pt(0.3, 0.3), pt(Number.NaN, 0.2)]);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.pressure, 0.9);
  assert.deepEqual(out[1], pt(0.3, 0.3));
});

test('Catmull-Rom passes through its control points', () => {
  const a = { x: 0, y: 0 };
  const b = { x: 1, y: 0 };
  const c = { x: 2, y: 1 };
  const d = { x: 3, y: 1 };
  const close = (p: { x: number; y: number }, q: { x: number; y: number }): boolean => Math.hypot(p.x - q.x, p.y - q.y) < 1e-9;
  assert.ok(close(catmullRom(a, b, c, d, 0), b));
  assert.ok(close(catmullRom(a, b, c, d, 1), c));
  // On a straight, evenly spaced line it is linear.
  const mid = catmullRom({ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 2, y: 0 }, { x: 3, y: 0 }, 0.25);
  assert.ok(close(mid, { x: 1.25, y: 0 }));
});

test('smoothing goes through every sample, densely, without overshooting a straight line', () => {
  const raw = [pt(0.1, 0.5), pt(0.3, 0.5), pt(0.5, 0.5), pt(0.9, 0.5)];
  const ink = smoothStroke({ kind: 'mouse', points: raw });
  for (const r of raw) assert.ok(ink.some((p) => Math.hypot(p.x - r.x, p.y - r.y) < 1e-9), `passes through ${r.x}`);
  for (let i = 1; i < ink.length; i++) {
    const gap = Math.hypot(ink[i]!.x - ink[i - 1]!.x, ink[i]!.y - ink[i - 1]!.y);
    assert.ok(gap <= SAMPLE_SPACING * 1.05, `gap ${gap} too large at ${i}`);
    assert.ok(Math.abs(ink[i]!.y - 0.5) < 1e-9, 'stays on the line');
  }
  assert.equal(ink[0]!.x, 0.1);
  assert.equal(ink[ink.length - 1]!.x, 0.9);
});

test('smoothing rounds a corner instead of drawing a polygon', () => {
  // Three samples on a circle: the smoothed path between them bulges outward toward the circle.
  const c = { x: 0.5, y: 0.5 };
  const r = 0.3;
  const at = (deg: number): StrokePoint => pt(c.x + r * Math.cos((deg * Math.PI) / 180), c.y + r * Math.sin((deg * Math.PI) / 180));
  const raw = [0, 60, 120, 180, 240].map(at);
  const ink = smoothStroke({ kind: 'mouse', points: raw });
  // The straight chord from 60° to 120° has its midpoint at distance r·cos 30° from the centre;
  // the spline's point half way along must lie further out, closer to the circle.
  const chordMid = r * Math.cos(Math.PI / 6);
  const mid = ink.reduce((best, p) => (Math.abs(p.x - c.x) < Math.abs(best.x - c.x) ? p : best));
  const d = Math.hypot(mid.x - c.x, mid.y - c.y);
  assert.ok(d > chordMid + 0.005, `smoothed ${d} vs chord ${chordMid}`);
  assert.ok(Math.abs(d - r) < 0.01, `close to the circle: ${d}`);
});

test('pen widths are interpolated along the stroke', () => {
  const ink = smoothStroke({ kind: 'pen', points: [pt(0.1, 0.1, 0), pt(0.5, 0.1, 1)] });
  assert.ok(Math.abs(ink[0]!.width - strokeWidth(0, 'pen')) < 1e-12);
  assert.ok(Math.abs(ink[ink.length - 1]!.width - strokeWidth(1, 'pen')) < 1e-12);
  for (let i = 1; i < ink.length; i++) assert.ok(ink[i]!.width >= ink[i - 1]!.width);
});

test('a tap is a dot; an empty stroke is nothing; a wild point is bounded work', () => {
  assert.equal(smoothStroke({ kind: 'touch', points: [pt(0.5, 0.5)] }).length, 1);
  assert.equal(smoothStroke({ kind: 'touch', points: [] }).length, 0);
  const wild = smoothStroke({ kind: 'mouse', points: [pt(0, 0), pt(1e9, 1e9)] });
  assert.ok(wild.length <= MAX_STEPS + 1);
});
