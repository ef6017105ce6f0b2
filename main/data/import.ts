// Imports whatever the user points at: Kaggle CSV (train.csv / test.csv), MNIST IDX (paired, maybe
// gzipped, given as files or as the folder that holds them), zips and plain folders of digit
// pictures (folders named 0–9), or single pictures in such folders. The format is recognised by
// content first, name second (import-plan.ts plans what each path holds; picture-jobs.ts walks
// folders and zips); this file reads the plan into a dataset. One bad row, entry or picture never
// stops the rest: it is reported as skipped with a reason. A whole path that can't be used is
// reported too, and only when nothing at all could be imported does the import fail (UserError).
import path from 'node:path';
import type { ImportReport, SourceKind } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import { runOrdered } from '../util/run-ordered';
import type { Dataset } from './dataset';
import { DatasetBuilder } from './dataset-builder';
import { DatasetSpill } from './dataset-spill';
import { importCsvFile } from './csv-parse';
import { addIdxToBuilder, readIdxFile } from './idx-parse';
import { decodeImage } from './image-decode';
import { planImport } from './import-plan';
import { normalizeDigit } from './normalize';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip-read';

export interface ImportProgress {
  done: number;
  total: number;
  /** "rows" (CSV), "images" (IDX, zips, folders) or "items" when mixed. */
  unit: string;
  /** Bytes read so far. */
  bytes: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
  /** Override zip limits (tests use small ones). */
  zipLimits?: Partial<ZipLimits>;
  /**
   * Pictures in flight at once. Decoding a JPEG runs on libuv's pool (sharp) while this thread
   * normalises others, so a few in flight keep both busy; more only hold more buffers.
   */
  concurrency?: number;
  /**
   * Reading a set to predict it (main/batch/): pictures need no digit folders (they get label -1),
   * and repeated samples are kept, so every row or picture gets its reading in its place.
   */
  forPrediction?: boolean;
}

export interface ImportResult {
  dataset: Dataset;
  report: ImportReport;
  labelled: boolean;
  kind: SourceKind;
  name: string;
}

/** An import before its dataset is made: the builder holds the samples (see DatasetBuilder.contents()). */
export type BuiltImport = Omit<ImportResult, 'dataset'> & { builder: DatasetBuilder };

/** Pictures in flight by default (see ImportOptions.concurrency). */
const DEFAULT_CONCURRENCY = 8;

function displayName(paths: string[]): string {
  const first = path.basename(path.resolve(paths[0]!));
  return paths.length > 1 ? `${first} + ${paths.length - 1} more` : first;
}

export async function importPaths(paths: string[], options: ImportOptions = {}): Promise<ImportResult> {
  const { builder, ...rest } = await importToBuilder(paths, options);
  return { dataset: builder.finish(), ...rest };
}

/**
 * Imports straight into a dataset file (atomically: the file appears only when the import
 * succeeded). The pixels are written as they come, so the dataset is never all in memory.
 */
export async function importToFile(paths: string[], file: string, options: ImportOptions = {}): Promise<Omit<ImportResult, 'dataset'>> {
  const spill = await DatasetSpill.create(file);
  try {
    const { builder, ...rest } = await importToBuilder(paths, options, spill);
    await builder.commit();
    return rest;
  } catch (err) {
    await spill.discard();
    throw err;
  }
}

/** The import itself, into memory or (with a spill) into a file. */
export async function importToBuilder(paths: string[], options: ImportOptions = {}, spill: DatasetSpill | null = null): Promise<BuiltImport> {
  // Open archives (read entry by entry) are closed whatever happens.
  const openedZips: { close(): Promise<void> }[] = [];
  try {
    return await importInto(paths, options, openedZips, spill);
  } finally {
    for (const z of openedZips) await z.close().catch(() => undefined);
  }
}

async function importInto(paths: string[], options: ImportOptions, openedZips: { close(): Promise<void> }[], spill: DatasetSpill | null): Promise<BuiltImport> {
  if (!paths.length) throw new UserError(msg('import.nothingGiven'));
  const { signal, onProgress } = options;
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...options.zipLimits };
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  signal?.throwIfAborted();
  const { units: plan, failures, preSkips, expected } = await planImport(paths, { limits, forPrediction: options.forPrediction === true, openedZips });

  const builder = new DatasetBuilder(Math.max(expected, 16), spill);
  builder.keepDuplicates = options.forPrediction === true;
  for (const f of failures) builder.skip(f.file ?? '', reasonOf(f.message, f.file ?? ''));
  for (const s of preSkips.skipped) builder.skip(s.file, s.reason);
  builder.skippedCount += preSkips.skippedCount - preSkips.skipped.length;

  const units = new Set(plan.map((u) => (u.kind === 'csv' ? 'rows' : 'images')));
  const unit = units.size === 1 ? [...units][0]! : 'items';
  let total = plan.reduce((a, u) => a + (u.kind === 'csv' ? u.rows : u.kind === 'pictures' ? u.jobs.length : 0), 0);
  let doneBefore = 0;
  let bytes = 0;
  let lastEmit = 0;
  const emit = (done: number, force = false) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && now - lastEmit < 100) return;
    lastEmit = now;
    onProgress({ done, total: Math.max(total, done), unit, bytes });
  };
  emit(0, true);

  let labelledAny = false;
  let unlabelledAny = false;
  let kind: SourceKind | null = null;
  for (const unitPlan of plan) {
    signal?.throwIfAborted();
    const before = builder.count;
    try {
      if (unitPlan.kind === 'csv') {
        const bytesBefore = bytes;
        const r = await importCsvFile(unitPlan.file, builder, {
          signal,
          onChunk: (p) => {
            bytes = bytesBefore + p.bytes;
            emit(doneBefore + p.rows);
          },
        });
        (r.labelled ? (labelledAny = true) : (unlabelledAny = true));
        total += builder.count - before - unitPlan.rows;
        doneBefore += builder.count - before;
      } else if (unitPlan.kind === 'idx') {
        const images = await readIdxFile(unitPlan.images);
        if (images.type !== 'images') throw new UserError(msg('import.notIdxImages', { file: unitPlan.images }), unitPlan.images);
        const labels = unitPlan.labels ? await readIdxFile(unitPlan.labels) : null;
        if (labels && labels.type !== 'labels') throw new UserError(msg('import.notIdxLabels', { file: unitPlan.labels! }), unitPlan.labels!);
        total += images.count;
        addIdxToBuilder(images, labels, path.basename(unitPlan.images), builder);
        bytes += images.data.length + (labels?.data.length ?? 0);
        doneBefore += images.count;
        emit(doneBefore, true);
        (labels ? (labelledAny = true) : (unlabelledAny = true));
      } else {
        const jobs = unitPlan.jobs;
        await runOrdered(
          jobs.length,
          concurrency,
          async (i) => {
            // The job travels with its result: made once per picture, not again when it is taken.
            const job = jobs.at(i);
            try {
              const buf = await job.read();
              bytes += buf.length;
              const img = await decodeImage({ buffer: buf, name: job.where });
              // A sample exported by Digit Studio is already normalised: kept as it is, so it round-trips.
              return { job, result: img.normalised ? Uint8Array.from(img.gray) : normalizeDigit(img.gray, img.width, img.height) };
            } catch (err) {
              return { job, result: err instanceof UserError ? err : new UserError(msg('import.failed', { file: job.where, cause: messageOf(err) }), job.where) };
            }
          },
          (i, { job, result }) => {
            if (result instanceof UserError) builder.skip(job.where, reasonOf(result.message, job.where));
            else if (!result.some((v) => v > 0)) builder.skip(job.where, msg('import.blank'));
            else builder.add(result, job.label, job.where);
            emit(doneBefore + i + 1, i === 0); // the first at once: the user sees it started
          },
          signal,
        );
        doneBefore += jobs.length;
        labelledAny = true;
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      builder.skip(err.file ?? '', reasonOf(err.message, err.file ?? ''));
    }
    if (builder.count > before) kind ??= unitPlan.kind === 'pictures' ? unitPlan.source : unitPlan.kind;
  }
  emit(doneBefore, true);
  // Canceled at the very end still means canceled: no result.
  signal?.throwIfAborted();

  const report = builder.report();
  if (!report.count) {
    const first = builder.skipped[0];
    if (first) {
      const problem = first.reason.startsWith(first.file) || !first.file ? first.reason : `${first.file}: ${first.reason}`;
      if (report.skippedCount === 1) throw new UserError(problem, first.file);
      const more = report.skippedCount - 1;
      const text = more < 1 ? msg('import.nothingImported', { problem }) : more === 1 ? msg('import.nothingImportedMore', { problem }) : msg('import.nothingImportedMany', { problem, more });
      throw new UserError(text, first.file);
    }
    throw new UserError(msg('import.nothingToImport', { file: paths[0]! }), paths[0]);
  }
  return {
    builder,
    report,
    labelled: labelledAny || !unlabelledAny,
    kind: kind ?? 'folder',
    name: displayName(paths),
  };
}

/** A skipped item's reason without repeating its file name. */
function reasonOf(message: string, where: string): string {
  return message.startsWith(`${where}: `) ? message.slice(where.length + 2) : message;
}
