// The model folder's file names and its metadata.json, read by the parent side (the model library)
// without loading TensorFlow; the ML process (main/ml-process/model-files.ts) writes and loads the
// model itself.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelArch, RunMetrics } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const METADATA_JSON = 'metadata.json';

/**
 * How a model's 28×28 input samples are prepared before it sees them (main/ml-process/input-prep.ts).
 * Fixed when the model is trained; absent (older and imported models) means as they are.
 */
export interface ModelInput {
  /** MNIST-style moment deskewing (main/data/deskew.ts) of every sample. */
  deskew: boolean;
}

export interface ModelMetadata {
  format: 'digit-studio-model';
  version: 1;
  name: string;
  arch: ModelArch;
  architecture: string;
  createdAt: string;
  backend: string;
  /** e.g. "8,000 samples from MNIST starter" */
  trainedOn: string;
  /**
   * Ids of the app's datasets the model learnt from (with its base model's, when fine-tuned), so
   * Evaluate can tell data it has seen from data it hasn't. Absent for models trained by the CLI,
   * imported, or saved before it was recorded.
   */
  trainedOnDatasetIds?: string[];
  dataset: { trainCount: number; valCount: number; perClass: number[] };
  metrics: RunMetrics | null;
  baseModelId: string | null;
  runId: string | null;
  /** How the model's input is prepared; written by saveModel from the model itself. Absent: plain samples. */
  input?: ModelInput;
  /** The shipped base model only (scripts/make-base-model.ts): how it was made, and its one test-set figure. */
  provenance?: {
    data: string;
    recipe: object;
    seed: number;
    bestEpoch: number | null;
    epochsRun: number;
    trainSeconds: number;
    testAccuracy: number;
    testCount: number;
    testData: string;
    date: string;
    backend: string;
  };
}

/**
 * A model's input preparation from its metadata.json (or an export's, which may add keys beside
 * `deskew`): only an explicit `input.deskew === true` deskews; no record, no metadata: plain samples.
 */
export function modelInputOf(metadata: { input?: unknown } | null | undefined): ModelInput {
  const input = metadata?.input as { deskew?: unknown } | null | undefined;
  return { deskew: Boolean(input && typeof input === 'object' && input.deskew === true) };
}

/** Reads a regular file of at most `max` bytes; links, folders and larger files are refused. */
export async function readBounded(file: string, max: number, what: string): Promise<Buffer> {
  let stat;
  try {
    stat = await fs.lstat(file);
  } catch (err) {
    throw new UserError(describeFsError(err, file), file);
  }
  if (stat.isSymbolicLink()) throw new UserError(msg('model.symlink', { file, what }), file);
  if (!stat.isFile()) throw new UserError(msg('model.notFile', { file, what }), file);
  if (stat.size > max) throw new UserError(msg('model.tooLarge', { file, what, size: stat.size, max }), file);
  try {
    return await fs.readFile(file);
  } catch (err) {
    throw new UserError(describeFsError(err, file), file);
  }
}

/** metadata.json, or null when it is missing or unreadable (the model itself still loads). */
export async function readMetadata(dir: string): Promise<ModelMetadata | null> {
  try {
    const buf = await readBounded(path.join(dir, METADATA_JSON), 1024 * 1024, 'metadata.json');
    const m = JSON.parse(buf.toString('utf8')) as ModelMetadata;
    if (!m || typeof m !== 'object' || m.format !== 'digit-studio-model') return null;
    return m;
  } catch {
    return null;
  }
}
