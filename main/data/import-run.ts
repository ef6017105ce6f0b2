// One import as the app runs it: read and normalise everything (import.ts), then save the dataset
// file, and hand back only what the caller shows (the report and a few facts), never the pixels.
// Shared by the import worker thread and the in-process fallback, so both do exactly the same.
import type { ImportReport, Language, SourceKind } from '../../preload/contract';
import { importPaths, importToFile, type ImportOptions, type ImportProgress } from './import';
import type { ZipLimits } from './zip-read';

/** What to import and where to save it (plain data: it crosses to a worker thread). */
export interface ImportJob {
  paths: string[];
  /** The .dsb file to write the dataset to; null to only read and report (the CLI without --out). */
  saveTo: string | null;
  zipLimits?: Partial<ZipLimits>;
  /** Read for prediction (see ImportOptions.forPrediction). */
  forPrediction?: boolean;
  /** The language of its reasons and errors (a thread doesn't share the main thread's; issue 15). */
  language?: Language;
}

export interface ImportSummary {
  report: ImportReport;
  labelled: boolean;
  kind: SourceKind;
  name: string;
}

export type ImportWorkerReply =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; summary: ImportSummary }
  | { type: 'failed'; message: string; file: string | undefined; user: boolean; aborted: boolean; stack: string | undefined };

export async function runImport(job: ImportJob, options: Pick<ImportOptions, 'signal' | 'onProgress'>): Promise<ImportSummary> {
  const opts = { ...options, zipLimits: job.zipLimits, forPrediction: job.forPrediction };
  const result = job.saveTo ? await importToFile(job.paths, job.saveTo, opts) : await importPaths(job.paths, opts);
  return { report: result.report, labelled: result.labelled, kind: result.kind, name: result.name };
}
