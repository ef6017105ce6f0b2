// The held-out split: about 20% of each digit, seeded, independent of drawing order, and stable as
// more samples arrive (a sample once held out stays held out).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseHeldOut, heldOutCount } from '../../../main/guide/split';

const samples = (perDigit: number, prefix = 's') =>
  Array.from({ length: 10 * perDigit }, (_, i) => ({ key: `${prefix}${i}`, label: i % 10 }));

test('20% of each digit, at least one of each digit with two or more, never all of it', () => {
  assert.equal(heldOutCount(10, 0.2), 2);
  assert.equal(heldOutCount(1, 0.2), 0);
  assert.equal(heldOutCount(2, 0.2), 1);
  assert.equal(heldOutCount(3, 0.9), 2);
  const all = samples(10);
  const held = chooseHeldOut(all, [], 0.2, 42);
  assert.equal(held.length, 20);
  for (let d = 0; d < 10; d++) assert.equal(held.filter((k) => all.find((s) => s.key === k)!.label === d).length, 2);
});

test('seeded and independent of the order the samples came in', () => {
  const all = samples(10);
  const a = chooseHeldOut(all, [], 0.2, 42);
  const b = chooseHeldOut([...all].reverse(), [], 0.2, 42);
  assert.deepEqual([...a].sort(), [...b].sort());
  assert.notDeepEqual([...chooseHeldOut(all, [], 0.2, 43)].sort(), [...a].sort());
});

test('held-out samples stay held out as more are collected, and new ones top each digit up', () => {
  const first = samples(5);
  const held1 = chooseHeldOut(first, [], 0.2, 9);
  assert.equal(held1.length, 10);
  const more = [...first, ...samples(5, 't')];
  const held2 = chooseHeldOut(more, held1, 0.2, 9);
  assert.equal(held2.length, 20);
  for (const k of held1) assert.ok(held2.includes(k), `${k} stays held out`);
  // A held-out sample that was removed (undone) is simply gone.
  const held3 = chooseHeldOut(first.slice(1), held1, 0.2, 9);
  assert.ok(!held3.includes('s0'));
});
