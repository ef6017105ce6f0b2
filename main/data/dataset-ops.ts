// Operations on in-memory datasets: combining, seeded stratified splits, subsets and per-class
// sampling for display. All pure: inputs are never modified.
import { IMAGE_PIXELS, NUM_CLASSES, type Dataset } from './dataset';

/** Concatenates datasets in order. */
export function combineDatasets(list: Dataset[]): Dataset {
  const count = list.reduce((a, d) => a + d.count, 0);
  const pixels = new Uint8Array(count * IMAGE_PIXELS);
  const labels = new Int8Array(count);
  const sources: string[] = [];
  let at = 0;
  for (const d of list) {
    pixels.set(d.pixels.subarray(0, d.count * IMAGE_PIXELS), at * IMAGE_PIXELS);
    labels.set(d.labels.subarray(0, d.count), at);
    for (let i = 0; i < d.count; i++) sources.push(d.sources[i]!);
    at += d.count;
  }
  return { count, pixels, labels, sources };
}

/** The samples at `indices`, in that order (indices may repeat). Out-of-range indices throw. */
export function subsetDataset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const n = indices.length;
  const pixels = new Uint8Array(n * IMAGE_PIXELS);
  const labels = new Int8Array(n);
  const sources: string[] = new Array<string>(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) throw new RangeError(`sample index ${i} is out of range 0..${ds.count - 1}`);
    pixels.set(ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), k * IMAGE_PIXELS);
    labels[k] = ds.labels[i]!;
    sources[k] = ds.sources[i]!;
  }
  return { count: n, pixels, labels, sources };
}

/** Seeded PRNG (mulberry32): the same seed always gives the same split. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(arr: number[], rand: () => number): void {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [arr[i], arr[j]] = [arr[j]!, arr[i]!];
  }
}

/**
 * Splits into train and validation so that each class keeps its share (stratified), deterministic
 * for a seed. Each class with at least two samples gives at least one to each side; unlabelled
 * samples are treated as one more class. The order inside each part is shuffled (seeded).
 */
export function splitStratified(ds: Dataset, valFraction: number, seed: number): { train: Dataset; val: Dataset } {
  if (!(valFraction >= 0 && valFraction <= 1)) throw new RangeError(`validation fraction ${valFraction} is not in 0..1`);
  const rand = seededRandom(seed);
  const byClass: number[][] = Array.from({ length: NUM_CLASSES + 1 }, () => []);
  for (let i = 0; i < ds.count; i++) {
    const l = ds.labels[i]!;
    byClass[l >= 0 && l < NUM_CLASSES ? l : NUM_CLASSES]!.push(i);
  }
  const train: number[] = [];
  const val: number[] = [];
  for (const idx of byClass) {
    if (!idx.length) continue;
    shuffle(idx, rand);
    let k = Math.round(idx.length * valFraction);
    if (valFraction > 0 && valFraction < 1 && idx.length >= 2) k = Math.min(Math.max(k, 1), idx.length - 1);
    val.push(...idx.slice(0, k));
    train.push(...idx.slice(k));
  }
  shuffle(train, rand);
  shuffle(val, rand);
  return { train: subsetDataset(ds, train), val: subsetDataset(ds, val) };
}

/** Indices of the samples with this label (-1 = unlabelled), or all indices for null. */
export function indicesOf(ds: Dataset, digit: number | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < ds.count; i++) if (digit === null || ds.labels[i] === digit) out.push(i);
  return out;
}

/** Up to `perClass` indices of each digit, evenly spread over the dataset (for a gallery). */
export function samplePerClass(ds: Dataset, perClass: number): number[][] {
  const all = Array.from({ length: NUM_CLASSES }, (_, d) => indicesOf(ds, d));
  return all.map((idx) => {
    if (idx.length <= perClass) return idx;
    const step = idx.length / perClass;
    return Array.from({ length: perClass }, (_, k) => idx[Math.floor(k * step)]!);
  });
}
