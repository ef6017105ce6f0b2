// The guided flow's pure state machine: the prompt order, drawing, skipping, undoing, and what a
// restart does to a record left in the middle of a fine-tune.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FlowRecord, afterRestart, currentPrompt, newRecord, nextSource, promptQueue, recordDrawing, recordSkip, recordUndo } from '../../../main/guide/record';

const zeros = () => Array.from({ length: 10 }, () => 0);

test('the prompts are shuffled rounds: every digit perDigit times, seeded, never twice in a row', () => {
  const q = promptQueue(10, 7);
  assert.equal(q.length, 100);
  for (let d = 0; d < 10; d++) assert.equal(q.filter((x) => x === d).length, 10);
  for (let i = 1; i < q.length; i++) assert.notEqual(q[i], q[i - 1]);
  assert.deepEqual(promptQueue(10, 7), q);
  assert.notDeepEqual(promptQueue(10, 8), q);
  assert.notDeepEqual(q.slice(0, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('drawing takes the digit off the queue; a digit that has its share is not asked for again', () => {
  let rec: FlowRecord = { ...newRecord('f1', 3, 2), step: 'collect' };
  const counts = zeros();
  const first = currentPrompt(rec, counts)!;
  assert.equal(first, rec.queue[0]);
  const source = nextSource(rec);
  rec = recordDrawing(rec, source, first);
  counts[first]!++;
  assert.equal(rec.samples.length, 1);
  assert.equal(rec.samples[0]!.source, source);
  assert.equal(rec.queue.length, 19);
  assert.notEqual(nextSource(rec), source, 'sources are never reused');
  // A digit already at its share (say from an added dataset) is skipped over.
  counts[rec.queue[0]!] = 2;
  assert.notEqual(currentPrompt(rec, counts), rec.queue[0]);
  const full = Array.from({ length: 10 }, () => 2);
  assert.equal(currentPrompt(rec, full), null);
});

test('skip sends the digit to the back; undo forgets the last drawing and asks for it again first', () => {
  let rec: FlowRecord = { ...newRecord('f2', 5, 3), step: 'collect' };
  const p = currentPrompt(rec, zeros())!;
  rec = recordSkip(rec, p);
  assert.equal(rec.queue[rec.queue.length - 1], p);
  assert.notEqual(currentPrompt(rec, zeros()), p);
  const q = currentPrompt(rec, zeros())!;
  rec = recordDrawing(rec, nextSource(rec), q);
  rec = { ...rec, heldOut: [rec.samples[0]!.source] };
  const { rec: back, undone } = recordUndo(rec);
  assert.equal(undone!.label, q);
  assert.equal(back.samples.length, 0);
  assert.equal(back.queue[0], q);
  assert.deepEqual(back.heldOut, [], 'an undone sample is no longer held out');
  assert.equal(recordUndo(back).undone, null);
});

test('a restart in the middle of a fine-tune goes back to the check and says so; other steps resume as they were', () => {
  const rec = { ...newRecord('f3', 1), step: 'collect' as const };
  assert.equal(afterRestart(rec), rec);
  const check = { modelId: 'builtin', modelName: 'Base', accuracy: 0.5, count: 2, readings: [], mnistAccuracy: null };
  const mid = afterRestart({ ...rec, step: 'finetune', check });
  assert.equal(mid.step, 'check');
  assert.deepEqual(mid.note, { kind: 'interrupted' });
  assert.equal(afterRestart({ ...rec, step: 'finetune' }).step, 'collect');
});
