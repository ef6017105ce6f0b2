import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantile, strokeTimeline } from '../../../scripts/bench/lib/pad-timeline';
import type { PadTiming } from '../../../renderer/src/lib/drawing/pad-timing';

const m = (stage: PadTiming['stage'], t: number, seq = 0): PadTiming => ({ stage, t, seq });

test('the wait is timed from the last ink to the frame painting the reading of a request made after it', () => {
  const marks = [
    m('ink', 0, 1),
    m('make', 0.1),
    m('send', 1, 1),
    m('ink', 5, 2), // more ink while request 1 is in flight
    m('answer', 12, 1),
    m('shown', 13, 1), // request 1 read an unfinished drawing: not the final reading
    m('make', 13.2),
    m('send', 14, 2),
    m('frame', 16, 1),
    m('answer', 20, 2),
    m('shown', 22, 2),
    m('frame', 30, 2),
  ];
  const s = strokeTimeline(marks, [
    { start: 2, end: 10 },
    { start: 15, end: 18 },
  ])!;
  assert.equal(s.total, 25, 'last ink at 5 → frame of request 2 at 30');
  assert.equal(s.dom, 17);
  assert.ok(Math.abs(s.wait - 8.2) < 1e-9, 'waited for request 1 to answer');
  assert.ok(Math.abs(s.make - 0.8) < 1e-9);
  assert.equal(s.roundTrip, 6);
  assert.equal(s.main, 3, 'the second main-side call is the final request');
  assert.equal(s.hop, 3);
  assert.equal(s.commit, 2);
  assert.equal(s.frame, 8);
  assert.equal(s.renderer, 22);
  assert.equal(s.requests, 2);
});

test('no final reading (never answered) gives null; unmatched main-side calls give NaN, not a wrong figure', () => {
  assert.equal(strokeTimeline([m('ink', 0, 1), m('make', 1), m('send', 2, 1)], []), null);
  assert.equal(strokeTimeline([], []), null);
  const s = strokeTimeline([m('ink', 0, 1), m('make', 1), m('send', 2, 1), m('answer', 5, 1), m('shown', 6, 1), m('frame', 9, 1)], [])!;
  assert.ok(Number.isNaN(s.main));
  assert.equal(s.total, 9);
});

test('quantiles skip NaN and pick by rank', () => {
  assert.equal(quantile([5, 1, NaN, 3, 2, 4], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95), 20);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
