// Imports whatever the user points at: Kaggle CSV (train.csv / test.csv), MNIST IDX (paired, maybe
// gzipped, given as files or as the folder that holds them), zips and plain folders of digit
// pictures (folders named 0–9), or single pictures in such folders. The format is recognised by content first, name second. One bad row, entry or picture
// never stops the rest: it is reported as skipped with a reason. A whole path that can't be used is
// reported too, and only when nothing at all could be imported does the import fail (UserError).
import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import path from 'node:path';
import type { ImportReport, SourceKind } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError, describeFsError, messageOf } from '../util/errors';
import type { Dataset } from './dataset';
import { DatasetBuilder } from './dataset-builder';
import { DatasetSpill } from './dataset-spill';
import { estimateCsvRows, importCsvFile } from './csv-parse';
import { addIdxToBuilder, findIdxFiles, idxKindOf, isGzip, isIdx, labelsNameFor, readIdxFile } from './idx-parse';
import { MAX_IMAGE_BYTES, decodeImage, sniffImageFormat } from './image-decode';
import { normalizeDigit } from './normalize';
import { DEFAULT_ZIP_LIMITS, InflateBudget, isZip, labelFromEntryPath, openZip, readZipItem, type ZipLimits } from './zip-read';
import { digitOfName, isDigitName } from './digit-name';

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

/** Most files a folder import will look at. */
export const MAX_FOLDER_FILES = 200_000;

type Planned =
  | { kind: 'csv'; file: string; rows: number }
  | { kind: 'idx'; images: string; labels: string | null }
  | { kind: 'pictures'; source: SourceKind; file: string; jobs: JobList };

interface PictureJob {
  where: string;
  label: number;
  read: () => Promise<Buffer>;
}

/**
 * The pictures to import, each made on demand. A zip of 21,000 photos planned as 21,000 job objects
 * (with their closures and names) put ~5 MB of long-lived objects on the JS heap in a burst, which
 * made V8 grow its young generation to the maximum (~30 MB more resident memory for the whole
 * import); a zip's jobs are now just the entry indices and labels, in typed arrays.
 */
interface JobList {
  readonly length: number;
  at(i: number): PictureJob;
}

function listOf(jobs: PictureJob[]): JobList {
  return { length: jobs.length, at: (i) => jobs[i]! };
}

type Sniffed = 'zip' | 'idx' | 'gzip' | 'image' | 'text' | 'folder' | 'unknown';

async function sniffPath(p: string): Promise<Sniffed> {
  let st;
  try {
    st = await fs.stat(p);
  } catch (err) {
    throw new UserError(describeFsError(err, p), p);
  }
  if (st.isDirectory()) return 'folder';
  if (!st.isFile()) throw new UserError(msg('import.notRegular', { file: p }), p);
  if (st.size === 0) throw new UserError(msg('import.emptyFile', { file: p }), p);
  const head = Buffer.alloc(64);
  let n = 0;
  try {
    const h = await fs.open(p, 'r');
    try {
      n = (await h.read(head, 0, 64, 0)).bytesRead;
    } finally {
      await h.close();
    }
  } catch (err) {
    throw new UserError(describeFsError(err, p), p);
  }
  const b = head.subarray(0, n);
  if (isZip(b)) return 'zip';
  if (isIdx(b)) return 'idx';
  if (isGzip(b)) return 'gzip';
  if (sniffImageFormat(b)) return 'image';
  // Text: printable ASCII (CSV numbers, commas, header names), maybe a UTF-8 BOM.
  const text = b.every((c, i) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || (i < 3 && c >= 0xbb));
  return text ? 'text' : 'unknown';
}

/** Walks a folder: digit folders at its top, or one level down. Symlinks are never followed. */
async function planFolder(root: string, builder: DatasetBuilder): Promise<JobList> {
  // Like a zip's, a folder's jobs are made on demand: each file is only its name and its folder.
  const names: string[] = [];
  const folderOf: number[] = [];
  const folders: { dir: string; label: number }[] = [];
  const readDir = async (dir: string) => {
    try {
      return await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new UserError(describeFsError(err, dir), dir);
    }
  };
  const top = await readDir(root);
  const isDigitDir = (e: { name: string; isDirectory(): boolean }) => e.isDirectory() && isDigitName(e.name);
  let digitDirs: { dir: string; label: number }[] = top.filter(isDigitDir).map((e) => ({ dir: path.join(root, e.name), label: digitOfName(e.name)! }));
  const reportOthers = (dir: string, list: { name: string; isDirectory(): boolean }[]) => {
    for (const e of list) {
      if (e.isDirectory() && !isDigitDir(e) && !e.name.startsWith('.') && e.name !== '__MACOSX') {
        builder.skip(path.join(dir, e.name), msg('import.folderNotDigit', { name: e.name }));
      }
    }
  };
  if (!digitDirs.length) {
    // Nested one level: <root>/<set>/<digit>/…
    for (const e of top) {
      if (!e.isDirectory()) continue;
      const sub = path.join(root, e.name);
      const inner = await readDir(sub);
      const found = inner.filter(isDigitDir);
      for (const f of found) digitDirs.push({ dir: path.join(sub, f.name), label: digitOfName(f.name)! });
      if (found.length) reportOthers(sub, inner);
      else if (!e.name.startsWith('.') && e.name !== '__MACOSX') builder.skip(sub, msg('import.folderNotDigit', { name: e.name }));
    }
  } else {
    reportOthers(root, top);
  }
  if (!digitDirs.length) throw new UserError(msg('import.noDigitFolders', { file: root }), root);
  digitDirs = digitDirs.sort((a, b) => a.dir.localeCompare(b.dir));
  for (const { dir, label } of digitDirs) {
    const files = (await readDir(dir)).sort((a, b) => a.name.localeCompare(b.name));
    folders.push({ dir, label });
    for (const f of files) {
      if (f.name.startsWith('.') || f.name === 'Thumbs.db' || f.name === 'desktop.ini') continue;
      if (f.isSymbolicLink()) {
        builder.skip(path.join(dir, f.name), msg('import.symlink'));
        continue;
      }
      if (!f.isFile()) continue;
      if (names.length >= MAX_FOLDER_FILES) throw new UserError(msg('import.tooManyFiles', { file: root, max: MAX_FOLDER_FILES }), root);
      names.push(f.name);
      folderOf.push(folders.length - 1);
    }
  }
  const folderIndex = Int32Array.from(folderOf);
  return {
    length: names.length,
    at(i) {
      const { dir, label } = folders[folderIndex[i]!]!;
      const file = path.join(dir, names[i]!);
      return { where: file, label, read: () => readBounded(file) };
    },
  };
}

/**
 * Reads one picture file, refusing one larger than a picture can be. Synchronous on purpose: an
 * import runs on its own thread (import-thread.ts), and for 21,000 small files the promise and
 * thread-pool round trips of fs.promises cost more than the reads (measured: ~4 s of 22). One open,
 * then the size is taken from that open file, so a file growing meanwhile can't slip past the limit.
 */
async function readBounded(file: string): Promise<Buffer> {
  let fd = -1;
  try {
    fd = openSync(file, 'r');
    const { size } = fstatSync(fd);
    if (size > MAX_IMAGE_BYTES) throw new UserError(msg('import.imageTooLarge', { file, size }), file);
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (!n) break;
      got += n;
    }
    return got === size ? buf : buf.subarray(0, got);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeFsError(err, file), file);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** For prediction: the pictures at the top of a folder without digit folders (unlabelled, -1). */
async function planLooseFolder(root: string, builder: DatasetBuilder): Promise<JobList> {
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (err) {
    throw new UserError(describeFsError(err, root), root);
  }
  const names: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'Thumbs.db' || e.name === 'desktop.ini' || e.name === '__MACOSX') continue;
    const file = path.join(root, e.name);
    if (e.isSymbolicLink()) builder.skip(file, msg('import.symlink'));
    else if (e.isDirectory()) builder.skip(file, msg('import.folderInFolder'));
    else if (e.isFile()) {
      if (names.length >= MAX_FOLDER_FILES) throw new UserError(msg('import.tooManyFilesRead', { file: root, max: MAX_FOLDER_FILES }), root);
      names.push(file);
    }
  }
  if (!names.length) throw new UserError(msg('import.noPictures', { file: root }), root);
  return { length: names.length, at: (i) => ({ where: names[i]!, label: -1, read: () => readBounded(names[i]!) }) };
}

async function hasDigitFolder(root: string): Promise<boolean> {
  const top = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  return top.some((e) => e.isDirectory() && isDigitName(e.name));
}

async function planZip(file: string, builder: DatasetBuilder, limits: ZipLimits, opened: { close(): Promise<void> }[], anyFolder = false): Promise<JobList> {
  const zip = await openZip(file, limits);
  opened.push(zip);
  if (!zip.totalEntries) throw new UserError(msg('import.zipEmpty', { file }), file);
  for (const r of zip.refused) builder.skip(`${file}!${r.name}`, r.reason);
  const budget = new InflateBudget(limits.maxTotalBytes);
  const itemOf = new Int32Array(zip.items.length);
  const labelOf = new Int8Array(zip.items.length);
  let count = 0;
  let noFolder = 0;
  for (let k = 0; k < zip.items.length; k++) {
    const name = zip.items.nameAt(k);
    let label = labelFromEntryPath(name);
    if (typeof label === 'string' && anyFolder) label = -1;
    if (typeof label === 'string') {
      noFolder++;
      builder.skip(`${file}!${name}`, label);
      continue;
    }
    itemOf[count] = k;
    labelOf[count] = label;
    count++;
  }
  if (!count && noFolder) throw new UserError(msg('import.zipNoDigitFolders', { file }), file);
  if (!count && !zip.refused.length) throw new UserError(msg('import.zipNoPictures', { file }), file);
  return {
    length: count,
    at(i) {
      const item = zip.items.at(itemOf[i]!);
      const where = `${file}!${item.name}`;
      return { where, label: labelOf[i]!, read: () => readZipItem(zip, item, budget, where) };
    },
  };
}

/** Finds the labels for each IDX images file: among the given paths, else beside it on disk. */
async function pairIdx(idxFiles: string[]): Promise<{ images: string; labels: string | null }[]> {
  const kinds = new Map<string, 'images' | 'labels'>();
  for (const f of idxFiles) kinds.set(f, await idxKindOf(f));
  const images = idxFiles.filter((f) => kinds.get(f) === 'images');
  const labels = idxFiles.filter((f) => kinds.get(f) === 'labels');
  const used = new Set<string>();
  const out: { images: string; labels: string | null }[] = [];
  for (const img of images) {
    const wanted = labelsNameFor(img);
    let match = labels.find((l) => !used.has(l) && wanted && path.basename(l).replace(/\.gz$/i, '') === path.basename(wanted).replace(/\.gz$/i, ''));
    if (!match && images.length === 1 && labels.length === 1) match = labels[0];
    if (!match && wanted) {
      for (const candidate of [wanted, wanted.replace(/\.gz$/i, ''), wanted.endsWith('.gz') ? wanted : wanted + '.gz']) {
        if (candidate !== img && (await fs.stat(candidate).then((s) => s.isFile(), () => false))) {
          match = candidate;
          break;
        }
      }
    }
    if (match) used.add(match);
    out.push({ images: img, labels: match ?? null });
  }
  for (const l of labels) {
    if (!used.has(l)) throw new UserError(msg('import.labelsWithoutImages', { file: l }), l);
  }
  return out;
}

/** Runs jobs with bounded concurrency; results are handed over in job order (deterministic datasets). */
async function runOrdered<T>(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<T>,
  take: (i: number, result: T) => void,
  signal?: AbortSignal,
): Promise<void> {
  const results = new Map<number, T>();
  let next = 0;
  let flushed = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < count && failure === null) {
      if (signal?.aborted) {
        failure = signal.reason ?? new Error('canceled');
        break;
      }
      const i = next++;
      try {
        results.set(i, await work(i));
      } catch (err) {
        failure = err;
        break;
      }
      while (results.has(flushed)) {
        const r = results.get(flushed)!;
        results.delete(flushed);
        take(flushed, r);
        flushed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  if (failure !== null) throw failure;
}

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

  // Plan: recognise each path, open archives and walk folders, so the total is known up front.
  const plan: Planned[] = [];
  const failures: UserError[] = [];
  const idxFiles: string[] = [];
  const loosePictures: PictureJob[] = [];
  let expected = 0;
  const preSkips = new DatasetBuilder(16); // collects skips found while planning
  const forPrediction = options.forPrediction === true;
  for (const raw of paths) {
    const p = path.resolve(raw);
    try {
      const kind = await sniffPath(p);
      // A folder holding IDX files (MNIST as downloaded, torchvision's MNIST/raw) is read as those
      // files; any other folder is one of pictures.
      const idxSkips: { file: string; reason: string }[] = [];
      const idxInFolder = kind === 'folder' ? await findIdxFiles(p, idxSkips) : [];
      for (const s of idxSkips) preSkips.skip(s.file, s.reason);
      if (idxInFolder.length) {
        idxFiles.push(...idxInFolder);
      } else if (kind === 'folder') {
        const jobs = forPrediction && !(await hasDigitFolder(p)) ? await planLooseFolder(p, preSkips) : await planFolder(p, preSkips);
        plan.push({ kind: 'pictures', source: 'folder', file: p, jobs });
        expected += jobs.length;
      } else if (kind === 'zip') {
        const jobs = await planZip(p, preSkips, limits, openedZips, forPrediction);
        plan.push({ kind: 'pictures', source: 'zip', file: p, jobs });
        expected += jobs.length;
      } else if (kind === 'idx' || kind === 'gzip') {
        idxFiles.push(p);
      } else if (kind === 'image') {
        let label = labelFromEntryPath(`${path.basename(path.dirname(p))}/${path.basename(p)}`);
        if (typeof label === 'string' && forPrediction) label = -1;
        if (typeof label === 'string') throw new UserError(msg('import.pictureNeedsLabel', { file: p }), p);
        loosePictures.push({ where: p, label, read: () => readBounded(p) });
      } else if (kind === 'text') {
        const rows = await estimateCsvRows(p);
        plan.push({ kind: 'csv', file: p, rows });
        expected += rows;
      } else {
        throw new UserError(msg('import.unknownFormat', { file: p }), p);
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failures.push(err);
    }
  }
  if (idxFiles.length) {
    try {
      for (const pair of await pairIdx(idxFiles)) plan.push({ kind: 'idx', ...pair });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failures.push(err);
    }
  }
  if (loosePictures.length) plan.push({ kind: 'pictures', source: 'folder', file: path.dirname(path.resolve(paths[0]!)), jobs: listOf(loosePictures) });

  const builder = new DatasetBuilder(Math.max(expected + loosePictures.length, 16), spill);
  builder.keepDuplicates = forPrediction;
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
