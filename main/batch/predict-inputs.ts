// Batch prediction of files as the CLI runs it (`digit-studio predict`): the inputs (Kaggle's
// test.csv, a folder, a zip, pictures) are read by the import pipeline on its thread into a
// temporary dataset file, which the ML process predicts block by block; each block's readings are
// written out as they arrive. Nothing holds the whole set: memory is the same for 28 or 28,000.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SkippedItem } from '../../preload/contract';
import { importInThread } from '../data/import-thread';
import type { ImportProgress } from '../data/import';
import type { MlClient } from '../models/ml-client';
import { UserError, describeFsError } from '../util/errors';
import { DatasetReader } from './dataset-reader';
import { headerLine, readingLine, type BatchFormat } from './formats';
import { atomicFileSink, callbackSink, type LineSink } from './line-sink';

export interface PredictInputsOptions {
  ml: MlClient;
  modelDir: string;
  inputs: string[];
  format: BatchFormat;
  /** A file to write atomically, or null to hand each line to `out`. */
  outFile: string | null;
  out(line: string): void;
  onImportProgress?(p: ImportProgress): void;
  onPredictProgress?(done: number, total: number): void;
  signal?: AbortSignal;
}

export interface PredictInputsResult {
  count: number;
  skipped: SkippedItem[];
  skippedCount: number;
  /** Whether a second core helped (the ML process's helper thread). */
  helper: boolean;
  seconds: { read: number; predict: number };
}

/** What the user typed for a source, instead of its absolute path (sources of CSV rows stay as they are). */
export function displaySource(source: string, inputs: string[]): string {
  for (const given of inputs) {
    const abs = path.resolve(given);
    if (source === abs) return given;
    if (source.startsWith(abs + path.sep) || source.startsWith(abs + '!')) return given + source.slice(abs.length);
  }
  return source;
}

export async function predictInputs(o: PredictInputsOptions): Promise<PredictInputsResult> {
  const modelDir = path.resolve(o.modelDir);
  // Checked first: no point reading 28,000 rows for a model that isn't there.
  await stat(modelDir).catch((err: unknown) => {
    throw new UserError(describeFsError(err, modelDir), modelDir);
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-predict-'));
  try {
    const file = path.join(dir, 'inputs.dsb');
    const t0 = Date.now();
    // The ML process starts (and loads TensorFlow) while the import thread reads: ~1 s overlapped.
    const warming = o.ml.backend().catch(() => null);
    const imported = await importInThread(
      { paths: o.inputs.map((p) => path.resolve(p)), saveTo: file, forPrediction: true },
      { signal: o.signal, onProgress: o.onImportProgress },
    );
    const { skipped, skippedCount } = imported.report;
    if (o.format === 'kaggle' && skippedCount) {
      // Kaggle scores every row by its ImageId: a missing row would shift or lose ids.
      const first = skipped[0]!;
      const more = skippedCount > 1 ? ` (and ${skippedCount - 1} more)` : '';
      throw new UserError(
        `${first.file}: ${first.reason}${more}. The kaggle format needs a reading for every row, so nothing was written; fix the row, or use --format csv to predict the rest`,
        first.file,
      );
    }
    const reader = await DatasetReader.open(file);
    let sources: string[];
    try {
      sources = await reader.sources();
    } finally {
      await reader.close();
    }
    await warming;
    const t1 = Date.now();
    const sink: LineSink = o.outFile ? await atomicFileSink(path.resolve(o.outFile)) : callbackSink(o.out);
    try {
      const header = headerLine(o.format);
      if (header) sink.line(header);
      let expected = 0;
      let gap: Error | null = null;
      const r = await o.ml.predictFile(modelDir, file, {
        signal: o.signal,
        onRows: (from, total, probabilities) => {
          // Blocks arrive in order; a gap would mean lost readings, never written silently.
          if (from !== expected) {
            gap ??= new Error(`batch prediction: readings from ${from} arrived, ${expected} expected`);
            return;
          }
          const n = probabilities.length / 10;
          for (let k = 0; k < n; k++) sink.line(readingLine(o.format, from + k, displaySource(sources[from + k]!, o.inputs), probabilities, k * 10));
          expected = from + n;
          o.onPredictProgress?.(expected, total);
        },
      });
      if (gap) throw gap;
      if (expected !== r.count) throw new Error(`batch prediction: ${expected} of ${r.count} readings arrived`);
      await sink.commit();
      return { count: r.count, skipped, skippedCount, helper: r.helper, seconds: { read: (t1 - t0) / 1000, predict: (Date.now() - t1) / 1000 } };
    } catch (err) {
      await sink.discard();
      throw err;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
