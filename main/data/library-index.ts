// The dataset library's `index.json` (main/data/library.ts): reading it back and writing it. Apart
// from the library because reading is most of the library's care for a damaged data folder: every
// entry is checked, an entry whose file is gone is dropped, a damaged index is set aside (renamed,
// never deleted) and rebuilt from the dataset files it no longer lists. Each problem is reported in
// `problems`, for the log; none stops the app from opening.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetSummary, SourceKind } from '../../preload/contract';
import { writeJsonAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError, messageOf } from '../util/errors';
import { loadDatasetFile } from './dataset-file';
import { builtinSetOfId } from './builtin/sets';
import { CUSTOM_ID, CUSTOM_NAME } from './library-ids';
import { emptyReport, summaryFor } from './library-summary';

const INDEX_VERSION = 1;

interface IndexFile {
  version: number;
  datasets: DatasetSummary[];
}

/** What the index held, repaired. */
export interface IndexContents {
  /** The user's datasets whose files are there (recovered ones included). */
  entries: Map<string, DatasetSummary>;
  /** What the index remembered of the built-in sets (their included state, when first listed). */
  builtinMemory: Map<string, Pick<DatasetSummary, 'included' | 'createdAt'>>;
  /** A built-in set's entry no longer matches the shipped set (the former starter): write again. */
  builtinStale: boolean;
  /** How many dataset files the index didn't list were taken back in. */
  recovered: number;
}

export function indexPathIn(dir: string): string {
  return path.join(dir, 'index.json');
}

/** A user dataset's file in the library folder. */
export function datasetFileIn(dir: string, id: string): string {
  return path.join(dir, `${id}.dsb`);
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

/** Reads the index of the library folder `dir`, repairing what it can; problems are pushed to `problems`. */
export async function readIndex(dir: string, problems: string[]): Promise<IndexContents> {
  const indexPath = indexPathIn(dir);
  const contents: IndexContents = { entries: new Map(), builtinMemory: new Map(), builtinStale: false, recovered: 0 };
  let text: string | null = null;
  try {
    text = await fs.readFile(indexPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(describeFsError(err, indexPath));
  }
  let list: unknown[] | null = null;
  if (text !== null) {
    try {
      const parsed = JSON.parse(text) as IndexFile;
      if (!parsed || !Array.isArray(parsed.datasets)) throw new Error('no dataset list');
      list = parsed.datasets;
    } catch (err) {
      const aside = `${indexPath}.damaged-${Date.now()}`;
      problems.push(`${indexPath}: damaged (${messageOf(err)}); kept as ${path.basename(aside)} and rebuilt`);
      await fs.rename(indexPath, aside).catch(() => undefined);
    }
  }
  for (const item of list ?? []) {
    if (!isSummary(item)) {
      problems.push(`${indexPath}: skipped an unreadable entry`);
      continue;
    }
    if (builtinSetOfId(item.id)) {
      // Its facts come from the shipped files; only the user's choice is kept. The former
      // starter (10,000 digits, its own copy here) counts as the training set.
      contents.builtinMemory.set(item.id, { included: item.included, createdAt: item.createdAt });
      if (item.count !== builtinSetOfId(item.id)!.count) contents.builtinStale = true;
      continue;
    }
    const file = datasetFileIn(dir, item.id);
    const exists = await fs.stat(file).then((s) => s.isFile(), () => false);
    if (!exists) {
      problems.push(`${file}: missing; dataset "${item.name}" dropped from the list`);
      continue;
    }
    contents.entries.set(item.id, item);
  }
  // Dataset files the index doesn't know (a damaged index, or a crash between the two writes).
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const m = /^([a-z0-9-]{1,64})\.dsb$/.exec(name);
    if (!m || contents.entries.has(m[1]!) || builtinSetOfId(m[1]!)) continue;
    try {
      const ds = await loadDatasetFile(path.join(dir, name));
      const id = m[1]!;
      const kind: SourceKind = id === CUSTOM_ID ? 'custom' : 'folder';
      contents.entries.set(id, summaryFor(id, id === CUSTOM_ID ? CUSTOM_NAME : `Recovered dataset ${id}`, kind, 'recovered', ds, emptyReport(ds), true));
      contents.recovered++;
    } catch (err) {
      problems.push(messageOf(err));
    }
  }
  return contents;
}

/** Writes the index atomically: a crash leaves the old one or the new one, never half of one. */
export async function writeIndex(dir: string, datasets: Iterable<DatasetSummary>): Promise<void> {
  const indexPath = indexPathIn(dir);
  const file: IndexFile = { version: INDEX_VERSION, datasets: [...datasets] };
  try {
    await writeJsonAtomic(indexPath, file);
  } catch (err) {
    throw new UserError(msg('dataset.couldNotSaveList', { cause: describeFsError(err, indexPath) }), indexPath);
  }
}
