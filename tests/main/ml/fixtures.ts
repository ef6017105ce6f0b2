// Shared fixtures for the ML tests: real MNIST digits from the `mnist` package, written as .dsb
// dataset files in a temp folder (generated at test time, never committed).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Dataset } from '../../../main/data/dataset';
import { saveDatasetFile } from '../../../main/data/dataset-file';
import { loadStarterDataset } from '../../../main/data/starter';

export async function tempDir(prefix = 'ds-ml-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function digits(perDigit: number): Promise<Dataset> {
  return loadStarterDataset(perDigit);
}

/** Writes `perDigit` real digits of each class to `<dir>/<name>.dsb` and returns the path. */
export async function digitsFile(dir: string, perDigit: number, name = 'digits'): Promise<string> {
  const file = path.join(dir, `${name}.dsb`);
  await saveDatasetFile(file, await digits(perDigit));
  return file;
}
