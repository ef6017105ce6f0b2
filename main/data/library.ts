// The user's datasets, kept in `<dataDir>/datasets/`: `index.json` (the summaries, read and
// written by library-index.ts) and one `<id>.dsb` per dataset (main/data/dataset-file.ts), both
// written atomically. The built-in MNIST sets (main/data/builtin/: the training set, and the test
// set kept for evaluation) are always listed; they can be excluded from training, not deleted, and
// their files are read where the app ships them, never copied here: the index only remembers
// whether each is included. A data folder from before (a copy of the 10,000-digit starter as
// starter.dsb) is moved over on opening: the training set takes the starter's id and its included
// state, and the copy is removed. Opening never crashes on a damaged folder: stale temp files are
// removed, and what library-index.ts can't read is skipped and reported in `problems`.
// What the gallery reads of a dataset is library-samples.ts; the fixed ids are library-ids.ts.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetSummary, ImportReport, SampleDetail, SamplePage, SourceKind } from '../../preload/contract';
import { cleanStaleTemps } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError, messageOf } from '../util/errors';
import { IMAGE_PIXELS, NUM_CLASSES, countPerClass, type Dataset } from './dataset';
import { loadDatasetFile, saveDatasetFile } from './dataset-file';
import { combineDatasets, subsetDataset } from './dataset-ops';
import { importInThread, type ImportJob, type ImportThreadOptions } from './import-thread';
import { ensureBuiltinFiles, builtinDir, type BuiltinManifest } from './builtin/files';
import { loadBuiltinDataset } from './builtin/load';
import { BUILTIN_SETS, builtinSetOfId } from './builtin/sets';
import { CUSTOM_ID, CUSTOM_NAME, STARTER_ID } from './library-ids';
import { datasetFileIn, readIndex, writeIndex } from './library-index';
import { sampleDetail, samplePage } from './library-samples';
import { emptyReport, summaryFor, summaryOf } from './library-summary';

/** A new dataset's id: unique without a counter to keep (time, then randomness for two in one millisecond). */
function newDatasetId(): string {
  return `ds-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export class DatasetLibrary {
  private entries = new Map<string, DatasetSummary>();
  /** Recently loaded datasets (the gallery pages through one at a time). */
  private readonly cache = new Map<string, Dataset>();
  /** Mutations run one after another, so index.json is never written by two at once. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Problems found when opening (unreadable entries, a damaged index), for the log. */
  readonly problems: string[] = [];

  private constructor(readonly dir: string) {}

  static async open(dataDir: string): Promise<DatasetLibrary> {
    const lib = new DatasetLibrary(path.join(dataDir, 'datasets'));
    try {
      await fs.mkdir(lib.dir, { recursive: true });
    } catch (err) {
      throw new UserError(msg('dataset.couldNotCreateFolder', { cause: describeFsError(err, lib.dir) }), lib.dir);
    }
    await cleanStaleTemps(lib.dir);
    const index = await readIndex(lib.dir, lib.problems);
    lib.entries = index.entries;
    if (index.recovered || lib.problems.length) await lib.writeIndex().catch((err) => lib.problems.push(messageOf(err)));
    const manifest = await ensureBuiltinFiles().catch((err: unknown) => (lib.problems.push(messageOf(err)), null));
    await lib.listBuiltins(manifest, index.builtinMemory, index.builtinStale);
    return lib;
  }

  private writeIndex(): Promise<void> {
    return writeIndex(this.dir, this.entries.values());
  }

  /**
   * Lists the built-in sets from their manifest (no pixels are read: the gallery loads them when
   * asked), with the included state the index remembered, then removes a former starter's copy.
   * `stale`: the index must be written again (new or migrated built-in entries).
   */
  private async listBuiltins(manifest: BuiltinManifest | null, memories: Map<string, Pick<DatasetSummary, 'included' | 'createdAt'>>, stale: boolean): Promise<void> {
    if (!manifest) {
      this.problems.push(`the built-in MNIST datasets were not found in ${builtinDir()}; only your own datasets are listed`);
      return;
    }
    for (const set of BUILTIN_SETS) {
      const facts = manifest.sets.find((x) => x.key === set.key)!;
      const memory = memories.get(set.id);
      if (!memory) stale = true;
      const report: ImportReport = { count: facts.count, perClass: facts.perClass.slice(), skipped: [], skippedCount: 0 };
      const summary = summaryOf(set.id, set.name, 'starter', 'built-in', { count: facts.count, perClass: facts.perClass, labelled: true }, report, memory?.included ?? set.included);
      if (memory) summary.createdAt = memory.createdAt;
      if (set.role) summary.role = set.role;
      this.entries.set(set.id, summary);
    }
    if (stale) await this.writeIndex().catch((err) => this.problems.push(messageOf(err)));
    // The former starter's own copy (8 MB): the training set holds all its digits, and the index
    // never needs a built-in set's file here, so it goes.
    await fs.rm(this.fileOfId(STARTER_ID), { force: true }).catch(() => undefined);
  }

  /** Runs mutations in order; a failed one doesn't block the next. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private fileOfId(id: string): string {
    return datasetFileIn(this.dir, id);
  }

  list(): DatasetSummary[] {
    // The built-in training set first, then its test set, the user's datasets oldest first,
    // custom handwriting last.
    const rank = (s: DatasetSummary) => (s.kind === 'starter' ? (s.role === 'test' ? 1 : 0) : s.kind === 'custom' ? 3 : 2);
    return [...this.entries.values()]
      .sort((a, b) => rank(a) - rank(b) || a.createdAt.localeCompare(b.createdAt))
      .map((s) => structuredClone(s));
  }

  get(id: string): DatasetSummary {
    const s = this.entries.get(id);
    if (!s) throw new UserError(msg('dataset.noSuchId', { id }));
    return structuredClone(s);
  }

  /** The .dsb file of a dataset (the ML process reads it directly; a built-in set's is where the app ships it). */
  fileOf(id: string): string {
    this.get(id);
    const set = builtinSetOfId(id);
    return set ? path.join(builtinDir(), set.file) : this.fileOfId(id);
  }

  async load(id: string): Promise<Dataset> {
    this.get(id);
    const hit = this.cache.get(id);
    if (hit) return hit;
    const set = builtinSetOfId(id);
    // A built-in set is read (and inflated) only when asked for: listing never needs its pixels.
    const ds = set ? await loadBuiltinDataset(set.key) : await loadDatasetFile(this.fileOfId(id));
    // A crash between writing a dataset and the index leaves the summary one step behind: repair it.
    const entry = this.entries.get(id);
    if (entry && !set && entry.count !== ds.count) {
      this.problems.push(`${this.fileOfId(id)}: the list said ${entry.count} samples, the file has ${ds.count}; list updated`);
      Object.assign(entry, { count: ds.count, perClass: countPerClass(ds), report: entry.kind === 'custom' ? emptyReport(ds) : entry.report });
      // Not awaited: load() may run inside a queued mutation, which would then wait on itself.
      void this.serial(() => this.writeIndex()).catch(() => undefined);
    }
    this.cache.set(id, ds);
    // Keep at most three in memory: the 42k CSV alone is 33 MB, the MNIST training set 47 MB.
    while (this.cache.size > 3) this.cache.delete(this.cache.keys().next().value!);
    return ds;
  }

  /**
   * Imports into a new dataset. The import and the saving of its file run on a worker thread
   * (import-thread.ts): the pixels never come back to this thread, only the report.
   */
  async importPaths(
    paths: string[],
    options: ImportThreadOptions & Pick<ImportJob, 'zipLimits'> & { log?: (line: string) => void } = {},
  ): Promise<DatasetSummary> {
    const id = newDatasetId();
    const file = this.fileOfId(id);
    const { signal, onProgress, zipLimits } = options;
    const discard = () => fs.rm(file, { force: true }).catch(() => undefined);
    let result;
    try {
      const started = Date.now();
      result = await importInThread({ paths, saveTo: file, zipLimits }, { signal, onProgress });
      options.log?.(`import of ${result.report.count} samples took ${((Date.now() - started) / 1000).toFixed(1)} s ${result.onThread ? 'on its worker thread' : 'in-process (the import thread could not start)'}`);
    } catch (err) {
      // A thread ended between saving and reporting would leave a file the list doesn't know.
      await discard();
      throw err;
    }
    if (signal?.aborted) {
      // Canceled as it finished: the user said no, so the saved file goes too.
      await discard();
      signal.throwIfAborted();
    }
    return this.serial(async () => {
      const origin = paths.map((p) => path.resolve(p)).join(', ');
      const { report } = result;
      const labelled = report.perClass.some((n) => n > 0);
      const summary = summaryOf(id, result.name, result.kind, origin, { count: report.count, perClass: report.perClass, labelled }, report, result.labelled);
      this.entries.set(id, summary);
      try {
        await this.writeIndex();
      } catch (err) {
        this.entries.delete(id);
        await discard();
        throw err;
      }
      return structuredClone(summary);
    });
  }

  async remove(id: string): Promise<void> {
    return this.serial(async () => {
      const s = this.get(id);
      if (s.kind === 'starter') throw new UserError(msg('dataset.builtinNotRemovable', { name: s.name }));
      this.entries.delete(id);
      try {
        await this.writeIndex();
      } catch (err) {
        this.entries.set(id, s);
        throw err;
      }
      this.cache.delete(id);
      await fs.rm(this.fileOfId(id), { force: true }).catch(() => undefined);
    });
  }

  async setIncluded(id: string, included: boolean): Promise<DatasetSummary> {
    return this.serial(async () => {
      const s = this.entries.get(id);
      if (!s) throw new UserError(msg('dataset.noSuchId', { id }));
      if (included && !s.labelled) throw new UserError(msg('dataset.noLabels', { name: s.name }));
      const before = s.included;
      s.included = included;
      try {
        await this.writeIndex();
      } catch (err) {
        s.included = before;
        throw err;
      }
      return structuredClone(s);
    });
  }

  async samples(args: { datasetId: string; digit: number | null; offset: number; limit: number }): Promise<SamplePage> {
    return samplePage(await this.load(args.datasetId), args);
  }

  async sampleDetail(datasetId: string, index: number): Promise<SampleDetail> {
    const ds = await this.load(datasetId);
    return sampleDetail(ds, index, this.get(datasetId).name);
  }

  /** Saves `ds` as a new dataset (a reviewed sheet of handwriting: main/sheet/). */
  async addDataset(ds: Dataset, name: string, kind: SourceKind, origin: string): Promise<DatasetSummary> {
    if (ds.count < 1) throw new UserError(msg('dataset.noSamplesToSave'));
    const id = newDatasetId();
    return this.serial(async () => {
      const file = this.fileOfId(id);
      await saveDatasetFile(file, ds);
      const summary = summaryFor(id, name, kind, origin, ds, emptyReport(ds), true);
      this.entries.set(id, summary);
      this.cache.set(id, ds);
      try {
        await this.writeIndex();
      } catch (err) {
        this.entries.delete(id);
        this.cache.delete(id);
        await fs.rm(file, { force: true }).catch(() => undefined);
        throw err;
      }
      return structuredClone(summary);
    });
  }

  /** Adds one sample to the handwriting set; `source` names where it came from (default: "drawn <time>"). */
  async addCustomSample(pixels: Uint8Array, label: number, source?: string): Promise<DatasetSummary> {
    if (!(pixels instanceof Uint8Array) || pixels.length !== IMAGE_PIXELS) throw new UserError(msg('dataset.samplePixels', { pixels: IMAGE_PIXELS }));
    if (!Number.isInteger(label) || label < 0 || label >= NUM_CLASSES) throw new UserError(msg('dataset.labelNotDigit', { label }));
    return this.serial(async () => {
      const existing = this.entries.get(CUSTOM_ID);
      const old = existing ? await this.load(CUSTOM_ID) : null;
      const added: Dataset = {
        count: 1,
        pixels: Uint8Array.from(pixels),
        labels: Int8Array.of(label),
        sources: [source ?? `drawn ${new Date().toISOString()}`],
      };
      const ds = old ? combineDatasets([old, added]) : added;
      await saveDatasetFile(this.fileOfId(CUSTOM_ID), ds);
      this.cache.set(CUSTOM_ID, ds);
      const summary = existing
        ? { ...existing, count: ds.count, perClass: countPerClass(ds), labelled: true, report: emptyReport(ds) }
        : summaryFor(CUSTOM_ID, CUSTOM_NAME, 'custom', 'drawn in Digit Studio', ds, emptyReport(ds), true);
      this.entries.set(CUSTOM_ID, summary);
      await this.writeIndex();
      return structuredClone(summary);
    });
  }

  /**
   * Removes the handwriting sample whose source is exactly `source` (the guided flow's "undo last":
   * its samples carry unique sources). Returns false when there is none.
   */
  async removeCustomSample(source: string): Promise<boolean> {
    return this.serial(async () => {
      const existing = this.entries.get(CUSTOM_ID);
      if (!existing) return false;
      const old = await this.load(CUSTOM_ID);
      const at = old.sources.lastIndexOf(source);
      if (at < 0) return false;
      const keep: number[] = [];
      for (let i = 0; i < old.count; i++) if (i !== at) keep.push(i);
      const ds = subsetDataset(old, keep);
      await saveDatasetFile(this.fileOfId(CUSTOM_ID), ds);
      this.cache.set(CUSTOM_ID, ds);
      this.entries.set(CUSTOM_ID, { ...existing, count: ds.count, perClass: countPerClass(ds), report: emptyReport(ds) });
      await this.writeIndex();
      return true;
    });
  }
}
