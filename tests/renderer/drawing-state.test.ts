import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Drawing, MAX_POINTS_PER_STROKE, pointerKind, toPadPoint } from '../../renderer/src/lib/drawing/drawing';

const p = (x: number, y: number) => ({ x, y, pressure: 0.5 });

test('strokes begin, extend and end per pointer; a second pointer is ignored', () => {
  const d = new Drawing();
  assert.ok(d.isEmpty);
  assert.ok(d.begin(1, 'mouse', p(0.1, 0.1)));
  assert.ok(!d.begin(2, 'touch', p(0.5, 0.5)), 'second finger while drawing');
  assert.ok(!d.extend(2, [p(0.6, 0.6)]));
  assert.ok(d.extend(1, [p(0.2, 0.2), p(0.3, 0.3)]));
  assert.equal(d.activeStroke?.points.length, 3);
  assert.equal(d.strokeCount, 1);
  assert.ok(!d.end(2));
  assert.ok(d.end(1));
  assert.equal(d.activeStroke, null);
  assert.equal(d.finishedStrokes.length, 1);
});

test('undo removes one stroke at a time, the active one first; clear removes all', () => {
  const d = new Drawing();
  for (let i = 0; i < 3; i++) {
    d.begin(i, 'pen', p(i / 10, 0.5));
    d.end(i);
  }
  d.begin(9, 'mouse', p(0.9, 0.9));
  const rev = d.revision;
  assert.ok(d.undo());
  assert.ok(d.revision > rev);
  assert.equal(d.strokeCount, 3);
  assert.ok(d.undo());
  assert.equal(d.strokeCount, 2);
  assert.equal(d.strokes[1]!.points[0]!.x, 0.1, 'the last finished stroke went');
  assert.ok(d.clear());
  assert.ok(d.isEmpty);
  assert.ok(!d.undo(), 'nothing left to undo');
  assert.ok(!d.clear());
});

test('points are bounded: garbage becomes finite, and a runaway stroke is capped', () => {
  const d = new Drawing();
  d.begin(1, 'mouse', { x: Number.NaN, y: 5, pressure: Number.POSITIVE_INFINITY });
  const first = d.activeStroke!.points[0]!;
  assert.deepEqual(first, { x: 0, y: 2, pressure: 0.5 });
  const many = Array.from({ length: MAX_POINTS_PER_STROKE + 100 }, (_, i) => p((i % 100) / 100, 0.5));
  d.extend(1, many);
  assert.equal(d.activeStroke!.points.length, MAX_POINTS_PER_STROKE);
});

test('client coordinates map into the pad; pointer types map to three kinds', () => {
  const rect = { left: 100, top: 50, width: 200, height: 200 };
  assert.deepEqual(toPadPoint(200, 150, rect, 0.7), { x: 0.5, y: 0.5, pressure: 0.7 });
  assert.deepEqual(toPadPoint(100, 50, { ...rect, width: 0, height: 0 }, 0.5), { x: 0, y: 0, pressure: 0.5 });
  assert.equal(pointerKind('pen'), 'pen');
  assert.equal(pointerKind('touch'), 'touch');
  assert.equal(pointerKind('mouse'), 'mouse');
  assert.equal(pointerKind(''), 'mouse');
});
