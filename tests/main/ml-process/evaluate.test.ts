// Evaluation maths: with more mistakes than the list keeps, the list holds the most confident
// mistakes of all (not the first ones in file order), most confident first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateParts, type LabelledPart } from '../../../main/ml-process/evaluate';
import { seededRandom } from '../../../main/data/dataset-ops';

function part(fileIndex: number, n: number, rand: () => number): LabelledPart {
  const labels = new Int8Array(n);
  const probabilities = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) {
    const label = i % 10;
    labels[i] = label;
    // Every sample a mistake (read as label + 1) with a confidence spread over (0.1, 1).
    const confidence = 0.1 + 0.9 * rand();
    const predicted = (label + 1) % 10;
    for (let c = 0; c < 10; c++) probabilities[i * 10 + c] = c === predicted ? confidence : (1 - confidence) / 9;
  }
  return { fileIndex, labels, pixels: new Uint8Array(n * 784), probabilities };
}

test('with more mistakes than kept, the most confident ones are kept, most confident first', () => {
  const rand = seededRandom(3);
  const parts = [part(0, 1500, rand), part(1, 900, rand)];
  const keep = 100;
  const result = evaluateParts(parts, keep);
  assert.equal(result.misclassifiedCount, 2400);
  assert.equal(result.misclassified.length, keep);
  const all = parts.flatMap((p) => Array.from({ length: p.labels.length }, (_, i) => ({ file: p.fileIndex, i, conf: p.probabilities[i * 10 + ((p.labels[i]! + 1) % 10)]! })));
  all.sort((a, b) => b.conf - a.conf);
  const want = all.slice(0, keep).map((m) => `${m.file}:${m.i}`).sort();
  const got = result.misclassified.map((m) => `${m.fileIndex}:${m.index}`).sort();
  assert.deepEqual(got, want, 'the top mistakes by confidence, from anywhere in the files');
  const conf = result.misclassified.map((m) => m.probabilities[m.predicted]!);
  for (let k = 1; k < conf.length; k++) assert.ok(conf[k - 1]! >= conf[k]!, 'most confident first');
  assert.equal(result.accuracy, 0);
});
