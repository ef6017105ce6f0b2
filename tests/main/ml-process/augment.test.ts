// Augmentation aimed at writer and pen differences: stroke thickness moves ink mass the right way,
// and the full augmenter stays seeded, in range, and keeps the digit in the frame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Augmenter, DEFAULT_AUGMENT, changeThickness } from '../../../main/ml-process/augment';
import { seededRandom } from '../../../main/data/dataset-ops';
import { digits } from '../../helpers/ml-fixtures';

const mass = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

test('thicker pens add ink, finer pens remove it, in proportion', async () => {
  const ds = await digits(2);
  for (let i = 0; i < ds.count; i++) {
    const src = ds.pixels.subarray(i * 784, (i + 1) * 784);
    const out = new Uint8Array(784);
    const m0 = mass(src);
    changeThickness(src, out, 1);
    const thick = mass(out);
    changeThickness(src, out, 0.4);
    const someThicker = mass(out);
    changeThickness(src, out, -1);
    const thin = mass(out);
    changeThickness(src, out, 0);
    assert.deepEqual(out, src, 'amount 0 changes nothing');
    assert.ok(thick > m0 * 1.4, `dilation adds ink (${m0} → ${thick})`);
    assert.ok(someThicker > m0 && someThicker < thick, 'a partial blend lies between');
    assert.ok(thin < m0 * 0.7, `erosion removes ink (${m0} → ${thin})`);
  }
});

test('a thickness-only augmenter thickens or thins each digit; the full one is seeded and in range', async () => {
  const ds = await digits(3);
  const only = { ...DEFAULT_AUGMENT, maxRotationDeg: 0, maxScale: 0, maxShift: 0, elasticAlpha: 0, thicknessRate: 1 };
  const aug = new Augmenter(seededRandom(3), only);
  const dst = new Float32Array(784);
  let thicker = 0;
  let thinner = 0;
  for (let i = 0; i < ds.count; i++) {
    const src = ds.pixels.subarray(i * 784, (i + 1) * 784);
    aug.apply(src, dst, 0);
    const ratio = (mass(dst) * 255) / mass(src);
    if (ratio > 1.05) thicker++;
    else if (ratio < 0.95) thinner++;
  }
  assert.ok(thicker >= 5 && thinner >= 5, `both directions happen (${thicker} thicker, ${thinner} thinner of ${ds.count})`);

  const a = new Augmenter(seededRandom(9));
  const b = new Augmenter(seededRandom(9));
  const x = new Float32Array(784 * 2);
  const y = new Float32Array(784 * 2);
  const src = ds.pixels.subarray(0, 784);
  a.apply(src, x, 0);
  b.apply(src, y, 0);
  assert.deepEqual(x, y, 'same seed, same distortion');
  a.apply(src, x, 784);
  assert.notDeepEqual(x.subarray(0, 784), x.subarray(784), 'each call distorts differently');
  assert.ok(x.every((v) => v >= 0 && v <= 1));
  // The digit stays in the frame: most of its ink survives.
  assert.ok(mass(x.subarray(0, 784)) * 255 > mass(src) * 0.5);
});
