// The user's datasets, kept in `<dataDir>/datasets/`: `index.json` (the summaries) and one
// `<id>.dsb` per dataset (main/data/dataset-file.ts), both written atomically. The built-in MNIST
// sets (main/data/builtin/: the training set, and the test set kept for evaluation) are always
// listed; they can be excluded from training, not deleted, and their files are read where the app
// ships them, never copied here: the index only remembers whether each is included. A data folder
// from before (a copy of the 10,000-digit starter as starter.dsb) is moved over on opening: the
// training set takes the starter's id and its included state, and the copy is removed.
// Opening never crashes on a damaged folder: stale temp files are removed, unreadable entries are
// skipped and reported in `problems`, and a damaged index is set aside and rebuilt from the dataset
// files.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetSummary, ImportReport, SampleDetail, SampleImage, SamplePage, SourceKind } from '../../preload/contract';
import { cleanStaleTemps, writeJsonAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError, messageOf } from '../util/errors';
import { IMAGE_PIXELS, NUM_CLASSES, countPerClass, imageAt, type Dataset } from './dataset';
import { loadDatasetFile, saveDatasetFile } from './dataset-file';
import { combineDatasets, subsetDataset } from './dataset-ops';
import { previewDataUrl } from './image-decode';
import { importInThread, type ImportJob, type ImportThreadOptions } from './import-thread';
import { ensureBuiltinFiles, builtinDir, type BuiltinManifest } from './builtin/files';
import { loadBuiltinDataset } from './builtin/load';
import { BUILTIN_SETS, builtinSetOfId } from './builtin/sets';
import { openZip, readZipItem, InflateBudget } from './zip-read';

/** The built-in MNIST training set (the id of the former starter, which it replaces). */
export const STARTER_ID = BUILTIN_SETS.find((s) => s.key === 'train')!.id;
/** The built-in MNIST test set, for evaluation. */
export const MNIST_TEST_ID = BUILTIN_SETS.find((s) => s.key === 'test')!.id;
export const CUSTOM_ID = 'custom';
export const CUSTOM_NAME = 'My handwriting';
const INDEX_VERSION = 1;
/** Most samples one page of the gallery may ask for. */
export const MAX_PAGE = 1000;

interface IndexFile {
  version: number;
  datasets: DatasetSummary[];
}

function emptyReport(ds: Dataset): ImportReport {
  return { count: ds.count, perClass: countPerClass(ds), skipped: [], skippedCount: 0 };
}

function isSummary(x: unknown): x is DatasetSummary {
  const s = x as DatasetSummary;
  return (
    !!s &&
    typeof s.id === 'string' &&
    /^[a-z0-9-]{1,64}$/.test(s.id) &&
    typeof s.name === 'string' &&
    typeof s.count === 'number' &&
    Array.isArray(s.perClass) &&
    typeof s.included === 'boolean' &&
    typeof s.labelled === 'boolean' &&
    !!s.report
  );
}

function encodePixels(p: Uint8Array): string {
  return Buffer.from(p.buffer, p.byteOffset, p.length).toString('base64');
}

export class DatasetLibrary {
  private readonly entries = new Map<string, DatasetSummary>();
  /** Recently loaded datasets (the gallery pages through one at a time). */
  private readonly cache = new Map<string, Dataset>();
  /** Mutations run one after another, so index.json is never written by two at once. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Problems found when opening (unreadable entries, a damaged index), for the log. */
  readonly problems: string[] = [];
  /** What the index remembered of the built-in sets (their included state, when first listed). */
  private readonly builtinMemory = new Map<string, Pick<DatasetSummary, 'included' | 'createdAt'>>();
  /** Whether the index must be written again after opening (new or migrated built-in entries). */
  private indexStale = false;

  private constructor(readonly dir: string) {}

  static async open(dataDir: string): Promise<DatasetLibrary> {
    const lib = new DatasetLibrary(path.join(dataDir, 'datasets'));
    try {
      await fs.mkdir(lib.dir, { recursive: true });
    } catch (err) {
      throw new UserError(msg('dataset.couldNotCreateFolder', { cause: describeFsError(err, lib.dir) }), lib.dir);
    }
    await cleanStaleTemps(lib.dir);
    await lib.readIndex();
    await lib.listBuiltins(await ensureBuiltinFiles().catch((err: unknown) => (lib.problems.push(messageOf(err)), null)));
    return lib;
  }

  private get indexPath(): string {
    return path.join(this.dir, 'index.json');
  }

  private async readIndex(): Promise<void> {
    let text: string | null = null;
    try {
      text = await fs.readFile(this.indexPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.problems.push(describeFsError(err, this.indexPath));
    }
    let list: unknown[] | null = null;
    if (text !== null) {
      try {
        const parsed = JSON.parse(text) as IndexFile;
        if (!parsed || !Array.isArray(parsed.datasets)) throw new Error('no dataset list');
        list = parsed.datasets;
      } catch (err) {
        const aside = `${this.indexPath}.damaged-${Date.now()}`;
        this.problems.push(`${this.indexPath}: damaged (${messageOf(err)}); kept as ${path.basename(aside)} and rebuilt`);
        await fs.rename(this.indexPath, aside).catch(() => undefined);
      }
    }
    for (const item of list ?? []) {
      if (!isSummary(item)) {
        this.problems.push(`${this.indexPath}: skipped an unreadable entry`);
        continue;
      }
      if (builtinSetOfId(item.id)) {
        // Its facts come from the shipped files; only the user's choice is kept. The former
        // starter (10,000 digits, its own copy here) counts as the training set.
        this.builtinMemory.set(item.id, { included: item.included, createdAt: item.createdAt });
        if (item.count !== builtinSetOfId(item.id)!.count) this.indexStale = true;
        continue;
      }
      const exists = await fs.stat(this.fileOfId(item.id)).then((s) => s.isFile(), () => false);
      if (!exists) {
        this.problems.push(`${this.fileOfId(item.id)}: missing; dataset "${item.name}" dropped from the list`);
        continue;
      }
      this.entries.set(item.id, item);
    }
    // Dataset files the index doesn't know (a damaged index, or a crash between the two writes).
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    let recovered = 0;
    for (const name of names) {
      const m = /^([a-z0-9-]{1,64})\.dsb$/.exec(name);
      if (!m || this.entries.has(m[1]!) || builtinSetOfId(m[1]!)) continue;
      try {
        const ds = await loadDatasetFile(path.join(this.dir, name));
        const id = m[1]!;
        const kind: SourceKind = id === CUSTOM_ID ? 'custom' : 'folder';
        this.entries.set(id, this.summaryFor(id, id === CUSTOM_ID ? CUSTOM_NAME : `Recovered dataset ${id}`, kind, 'recovered', ds, emptyReport(ds), true));
        recovered++;
      } catch (err) {
        this.problems.push(messageOf(err));
      }
    }
    if (recovered || this.problems.length) await this.writeIndex().catch((err) => this.problems.push(messageOf(err)));
  }

  private summaryFor(id: string, name: string, kind: SourceKind, origin: string, ds: Dataset, report: ImportReport, included: boolean): DatasetSummary {
    let labelled = false;
    for (let i = 0; i < ds.count && !labelled; i++) if (ds.labels[i]! >= 0) labelled = true;
    return this.summaryOf(id, name, kind, origin, { count: ds.count, perClass: countPerClass(ds), labelled }, report, included);
  }

  private summaryOf(
    id: string,
    name: string,
    kind: SourceKind,
    origin: string,
    facts: { count: number; perClass: number[]; labelled: boolean },
    report: ImportReport,
    included: boolean,
  ): DatasetSummary {
    return {
      id,
      name,
      kind,
      origin,
      count: facts.count,
      perClass: facts.perClass.slice(),
      labelled: facts.labelled,
      included: included && facts.labelled,
      createdAt: new Date().toISOString(),
      report,
    };
  }

  private async writeIndex(): Promise<void> {
    const file: IndexFile = { version: INDEX_VERSION, datasets: [...this.entries.values()] };
    try {
      await writeJsonAtomic(this.indexPath, file);
    } catch (err) {
      throw new UserError(msg('dataset.couldNotSaveList', { cause: describeFsError(err, this.indexPath) }), this.indexPath);
    }
  }

  /**
   * Lists the built-in sets from their manifest (no pixels are read: the gallery loads them when
   * asked), with the included state the index remembered, then removes a former starter's copy.
   */
  private async listBuiltins(manifest: BuiltinManifest | null): Promise<void> {
    if (!manifest) {
      this.problems.push(`the built-in MNIST datasets were not found in ${builtinDir()}; only your own datasets are listed`);
      return;
    }
    for (const set of BUILTIN_SETS) {
      const facts = manifest.sets.find((x) => x.key === set.key)!;
      const memory = this.builtinMemory.get(set.id);
      if (!memory) this.indexStale = true;
      const report: ImportReport = { count: facts.count, perClass: facts.perClass.slice(), skipped: [], skippedCount: 0 };
      const summary = this.summaryOf(set.id, set.name, 'starter', 'built-in', { count: facts.count, perClass: facts.perClass, labelled: true }, report, memory?.included ?? set.included);
      if (memory) summary.createdAt = memory.createdAt;
      if (set.role) summary.role = set.role;
      this.entries.set(set.id, summary);
    }
    if (this.indexStale) await this.writeIndex().catch((err) => this.problems.push(messageOf(err)));
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
    return path.join(this.dir, `${id}.dsb`);
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
    const id = `ds-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
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
      const summary = this.summaryOf(id, result.name, result.kind, origin, { count: report.count, perClass: report.perClass, labelled }, report, result.labelled);
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
    const ds = await this.load(args.datasetId);
    const { digit } = args;
    if (digit !== null && !(Number.isInteger(digit) && digit >= -1 && digit < NUM_CLASSES)) throw new UserError(msg('dataset.digitNotDigit', { digit }));
    const offset = Math.max(0, Math.floor(args.offset) || 0);
    const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(args.limit) || 0));
    const samples: SampleImage[] = [];
    let total = 0;
    for (let i = 0; i < ds.count; i++) {
      if (digit !== null && ds.labels[i] !== digit) continue;
      if (total >= offset && samples.length < limit) samples.push(this.sampleOf(ds, i));
      total++;
    }
    return { total, samples };
  }

  private sampleOf(ds: Dataset, i: number): SampleImage {
    return { index: i, label: ds.labels[i]!, pixels: encodePixels(imageAt(ds, i)), source: ds.sources[i]! };
  }

  async sampleDetail(datasetId: string, index: number): Promise<SampleDetail> {
    const ds = await this.load(datasetId);
    if (!Number.isInteger(index) || index < 0 || index >= ds.count) {
      throw new UserError(msg('dataset.noSuchSample', { index, name: this.get(datasetId).name, count: ds.count }));
    }
    const sample = this.sampleOf(ds, index);
    return { ...sample, original: await this.originalOf(sample.source) };
  }

  /** The original picture of a sample, re-read from its file or zip entry, when still there. */
  private async originalOf(source: string): Promise<string | null> {
    try {
      const bang = source.search(/\.zip!/i);
      if (bang >= 0) {
        const zipPath = source.slice(0, bang + 4);
        const entryName = source.slice(bang + 5);
        const zip = await openZip(zipPath);
        try {
          const item = zip.items.find(entryName);
          if (!item) return null;
          const data = await readZipItem(zip, item, new InflateBudget(item.size + 1), source);
          return await previewDataUrl({ buffer: data, name: source });
        } finally {
          await zip.close();
        }
      }
      if (path.isAbsolute(source)) return await previewDataUrl({ path: source });
    } catch {
      // Moved, deleted or changed since the import: there's simply no original to show.
    }
    return null;
  }

  /** Saves `ds` as a new dataset (a reviewed sheet of handwriting: main/sheet/). */
  async addDataset(ds: Dataset, name: string, kind: SourceKind, origin: string): Promise<DatasetSummary> {
    if (ds.count < 1) throw new UserError(msg('dataset.noSamplesToSave'));
    const id = `ds-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    return this.serial(async () => {
      const file = this.fileOfId(id);
      await saveDatasetFile(file, ds);
      const summary = this.summaryFor(id, name, kind, origin, ds, emptyReport(ds), true);
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
        : this.summaryFor(CUSTOM_ID, CUSTOM_NAME, 'custom', 'drawn in Digit Studio', ds, emptyReport(ds), true);
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
