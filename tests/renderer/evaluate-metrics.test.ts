import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Evaluation, Misclassified } from '../../preload/contract';
import { classDeltas, errorCount, formatDelta, rowShares, sameData, samplesFor } from '../../renderer/src/components/evaluate/metrics';

const mis = (label: number, predicted: number, p: number): Misclassified => {
  const probabilities = new Array<number>(10).fill((1 - p) / 9);
  probabilities[predicted] = p;
  return { datasetId: 'd', index: label * 100 + predicted, label, predicted, probabilities, pixels: '' };
};

function evaluation(confusion: number[][], datasetIds = ['a', 'b']): Evaluation {
  const count = confusion.flat().reduce((x, y) => x + y, 0);
  const perClass = confusion.map((row, d) => {
    const tp = row[d]!;
    const predicted = confusion.reduce((s, r) => s + r[d]!, 0);
    const support = row.reduce((x, y) => x + y, 0);
    return { precision: predicted ? tp / predicted : 0, recall: support ? tp / support : 0, support };
  });
  const correct = confusion.reduce((s, r, i) => s + r[i]!, 0);
  return { id: 'e', modelId: 'm', datasetIds, accuracy: correct / count, count, perClass, confusion, misclassified: [], correct: [] };
}

const identity = (n: number) => Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? n : 0)));

test('row shares sum to one per non-empty row; empty rows are zeros', () => {
  const c = identity(8);
  c[3]![5] = 2;
  c[4] = new Array(10).fill(0);
  const s = rowShares(c);
  assert.equal(s[3]![3], 0.8);
  assert.equal(s[3]![5], 0.2);
  assert.ok(s[4]!.every((v) => v === 0));
  assert.equal(errorCount(c), 2);
});

test('a diagonal cell selects correct readings, the least sure first', () => {
  const list = [mis(4, 4, 0.99), mis(4, 4, 0.55), mis(7, 7, 0.6), mis(4, 4, 0.8)];
  assert.deepEqual(
    samplesFor(list, { actual: 4, predicted: 4 }).map((m) => m.probabilities[4]),
    [0.55, 0.8, 0.99],
  );
});

test('a cell selects its samples, most confident mistake first', () => {
  const list = [mis(4, 9, 0.6), mis(4, 9, 0.95), mis(7, 1, 0.7), mis(4, 7, 0.8)];
  const cell = samplesFor(list, { actual: 4, predicted: 9 });
  assert.deepEqual(cell.map((m) => m.probabilities[9]), [0.95, 0.6]);
  assert.equal(samplesFor(list, null).length, 4);
  assert.equal(samplesFor(list, null)[0]!.probabilities[9], 0.95);
  assert.deepEqual(samplesFor(list, { actual: 2, predicted: 3 }), []);
  assert.equal(list[0]!.probabilities[9], 0.6, 'the input list is not reordered');
});

test('class deltas are B minus A; formatting says points with a sign', () => {
  const before = identity(10);
  before[4]![9] = 5;
  const after = identity(10);
  after[4]![9] = 1;
  const d = classDeltas(evaluation(before), evaluation(after));
  assert.equal(d.length, 10);
  assert.ok(d[4]!.recall > 0.2, `recall of 4 improved: ${d[4]!.recall}`);
  assert.ok(d[9]!.precision > 0, 'fewer 4s called 9: precision of 9 improved');
  assert.equal(d[0]!.recall, 0);
  assert.equal(formatDelta(0.0123), '+1.2 pts');
  assert.equal(formatDelta(-0.004), '−0.4 pts');
  assert.equal(formatDelta(0.00001), '±0.0 pts');
  assert.equal(formatDelta(Number.NaN), '—');
});

test('comparisons check that both ran on the same data', () => {
  assert.ok(sameData(evaluation(identity(5), ['a', 'b']), evaluation(identity(5), ['b', 'a'])));
  assert.ok(!sameData(evaluation(identity(5), ['a']), evaluation(identity(5), ['a', 'b'])));
  assert.ok(!sameData(evaluation(identity(5)), evaluation(identity(6))));
});
