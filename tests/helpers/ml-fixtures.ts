// Shared fixtures for the ML tests: real MNIST digits from the `mnist` package, written as .dsb
// dataset files in a temp folder (generated at test time, never committed).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Dataset } from '../../main/data/dataset';
import { saveDatasetFile } from '../../main/data/dataset-file';
import { loadStarterDataset } from '../../main/data/starter';
import type { ModelMetadata } from '../../main/models/model-metadata';

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

/** Metadata for a model saved by a test (untrained or briefly trained; no dataset behind it). */
export function testModelMetadata(name: string): ModelMetadata {
  return {
    format: 'digit-studio-model',
    version: 1,
    name,
    arch: 'seed',
    architecture: 'seed',
    createdAt: new Date().toISOString(),
    backend: 'test',
    trainedOn: 'nothing',
    dataset: { trainCount: 0, valCount: 0, perClass: [] },
    metrics: null,
    baseModelId: null,
    runId: null,
  };
}
