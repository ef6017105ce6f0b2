// The rules that pick a training note (overfitting, a growing or NaN loss, a plateau, still
// learning) and the most confused pairs after an evaluation; and the saliency colouring.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BatchPoint, EpochPoint } from '../../preload/contract';
import { confusedPairs, trainingNotes, type RunView } from '../../renderer/src/lib/learn/notes';
import { en } from '../../renderer/src/lib/i18n/en';
import { bn } from '../../renderer/src/lib/i18n/bn';
import { fill } from '../../renderer/src/lib/i18n/fill';
import { saliencyRgba, TOWARD, AGAINST } from '../../renderer/src/lib/learn/maps';

const ep = (epoch: number, accuracy: number, valAccuracy: number, loss = 1 - accuracy, valLoss = 1 - valAccuracy): EpochPoint => ({
  epoch,
  accuracy,
  valAccuracy,
  loss,
  valLoss,
  imagesPerSec: 1000,
  seconds: 10,
});
const batches = (losses: number[]): BatchPoint[] => losses.map((loss, i) => ({ step: i + 1, epoch: 1, loss, accuracy: 0.5 }));
const run = (over: Partial<RunView>): RunView => ({ batches: [], epochs: [], learningRate: 0.001, state: 'running', ...over });
const ids = (r: RunView) => trainingNotes(r).map((n) => n.id);

test('a NaN loss or a diverged run names the learning rate, with a smaller one to try', () => {
  const notes = trainingNotes(run({ batches: batches([2.3, 2.1, Number.NaN]), learningRate: 0.5 }));
  assert.deepEqual(notes.map((n) => n.id), ['diverged']);
  assert.deepEqual(notes[0]!.values.suggested, { rate: 0.05 });
  assert.deepEqual(ids(run({ state: 'failed', error: 'The loss became NaN or infinite at step 3: lower the learning rate' })), ['diverged']);
  assert.notDeepEqual(ids(run({ state: 'failed', error: 'the training process stopped unexpectedly' })), ['diverged']);
});

test('a batch loss growing well above its low is a learning-rate note; a falling one is not', () => {
  const falling = Array.from({ length: 60 }, (_, i) => 2.3 * Math.exp(-i / 20));
  const rising = [...falling.slice(0, 30), ...Array.from({ length: 30 }, (_, i) => 1 + i * 0.2)];
  assert.ok(ids(run({ batches: batches(rising) })).includes('lossRising'));
  assert.ok(!ids(run({ batches: batches(falling) })).includes('lossRising'));
  // Too few points to tell: no note.
  assert.ok(!ids(run({ batches: batches(rising.slice(25, 40)) })).includes('lossRising'));
});

test('validation falling behind training is overfitting; both rising together is learning', () => {
  const over = [ep(1, 0.9, 0.9, 0.3, 0.3), ep(2, 0.95, 0.93, 0.15, 0.22), ep(3, 0.98, 0.93, 0.06, 0.25), ep(4, 0.995, 0.925, 0.02, 0.3)];
  const notes = trainingNotes(run({ epochs: over }));
  assert.equal(notes[0]!.id, 'overfitting');
  assert.deepEqual(notes[0]!.values.train, { percent: 0.995 });
  assert.deepEqual(notes[0]!.values.val, { percent: 0.925 });
  const healthy = [ep(1, 0.9, 0.91), ep(2, 0.95, 0.95), ep(3, 0.97, 0.965), ep(4, 0.98, 0.975)];
  assert.deepEqual(ids(run({ epochs: healthy })), ['learning']);
  // A gap that was there from the start and isn't hurting validation is not overfitting.
  const steadyGap = [ep(1, 0.95, 0.9), ep(2, 0.97, 0.93), ep(3, 0.99, 0.95)];
  assert.ok(!ids(run({ epochs: steadyGap })).includes('overfitting'));
});

test('a flat validation accuracy is a plateau; a finished run still improving asks for more epochs', () => {
  const flat = [ep(1, 0.9, 0.9), ep(2, 0.93, 0.95), ep(3, 0.935, 0.951), ep(4, 0.94, 0.951), ep(5, 0.94, 0.9512)];
  assert.deepEqual(ids(run({ epochs: flat })), ['plateau']);
  const climbing = [ep(1, 0.9, 0.9), ep(2, 0.93, 0.93), ep(3, 0.95, 0.95)];
  assert.deepEqual(ids(run({ epochs: climbing, state: 'succeeded' })), ['stillLearning']);
  assert.deepEqual(ids(run({ epochs: climbing, state: 'running' })), ['learning']);
  assert.deepEqual(ids(run({})), ['firstEpoch']);
  assert.deepEqual(ids(run({ state: 'canceled' })), []);
});

test('the most confused pairs sum both directions and open the larger cell', () => {
  const m: number[][] = Array.from({ length: 10 }, (_, a) => Array.from({ length: 10 }, (_, p) => (a === p ? 100 : 0)));
  m[4]![9] = 6;
  m[9]![4] = 9;
  m[3]![5] = 7;
  m[7]![1] = 2;
  const pairs = confusedPairs(m, 2);
  assert.deepEqual(pairs, [
    { a: 4, b: 9, count: 15, actual: 9, predicted: 4, cellCount: 9 },
    { a: 3, b: 5, count: 7, actual: 3, predicted: 5, cellCount: 7 },
  ]);
  assert.deepEqual(confusedPairs(Array.from({ length: 10 }, (_, a) => Array.from({ length: 10 }, (_, p) => (a === p ? 5 : 0)))), []);
});

test('every note and layer kind has its sentence in English and Bengali, and fill() replaces the values', () => {
  const keys = [
    ...['diverged', 'lossRising', 'overfitting', 'plateau', 'stillLearning', 'learning', 'firstEpoch'].map((id) => `learn.note_${id}`),
    ...['conv', 'pool', 'batchnorm', 'activation', 'dropout', 'flatten', 'dense', 'softmax', 'other'].map((k) => `learn.layer_${k}`),
    ...['epoch', 'batch', 'learningRate'].map((k) => `learn.term_${k}`),
  ];
  for (const key of keys) {
    assert.ok(key in en, `en ${key}`);
    assert.match((bn as Record<string, string>)[key] ?? '', /[\u0980-\u09FF]/, `bn ${key} is Bengali`);
  }
  assert.equal(fill(en['learn.confusedPair'], { a: 4, b: 9, count: 15 }), '4 and 9: 15 mistakes');
  assert.equal(fill(bn['learn.confusedPair'], { a: '৪', b: '৯', count: '১৫' }), '৪ আর ৯: ১৫টি ভুল');
  // Every value a note carries has its place in the sentence, in both languages.
  const diverging = trainingNotes(run({ batches: batches([2.3, Number.NaN]), learningRate: 0.1 }))[0]!;
  for (const catalogue of [en, bn] as Record<string, string>[]) {
    assert.doesNotMatch(fill(catalogue[`learn.note_${diverging.id}`]!, { suggested: '0.01' }), /\{/);
    assert.doesNotMatch(fill(catalogue['learn.note_lossRising']!, { rate: '0.1', suggested: '0.01' }), /\{/);
  }
});

test('saliency colours: toward the reading green, against it red, strongest at full colour', () => {
  const s = new Array(784).fill(0);
  s[0] = 2;
  s[1] = -2;
  s[2] = 0.1;
  const rgba = saliencyRgba(s, new Uint8Array(784));
  assert.deepEqual([...rgba.slice(0, 3)], [...TOWARD]);
  assert.deepEqual([...rgba.slice(4, 7)], [...AGAINST]);
  assert.ok(rgba[9]! < TOWARD[1] && rgba[9]! > 20, 'a weak push is a faint green');
  assert.deepEqual([...rgba.slice(12, 15)], [20, 20, 20], 'no push: the (blank) input');
});
