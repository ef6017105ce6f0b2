// The pictures an import reads, planned before any is read so the total is known up front: a
// folder of digit folders, a folder of loose pictures (for prediction), or a zip. Each picture is a
// job made on demand (see JobList), read when its turn comes. Apart from import.ts, which runs the
// jobs, because walking folders and archives (what counts, what is skipped and why) is a job of its own.
import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import type { DatasetBuilder } from './dataset-builder';
import { MAX_IMAGE_BYTES } from './image-decode';
import { InflateBudget, openZip, readZipItem, type ZipLimits } from './zip-read';
import { digitOfName, isDigitName, labelFromEntryPath } from './digit-name';

/** Most files a folder import will look at. */
export const MAX_FOLDER_FILES = 200_000;

export interface PictureJob {
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
export interface JobList {
  readonly length: number;
  at(i: number): PictureJob;
}

export function listOf(jobs: PictureJob[]): JobList {
  return { length: jobs.length, at: (i) => jobs[i]! };
}

/** A folder's entries, or a UserError naming the folder. */
async function readDir(dir: string) {
  try {
    return await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new UserError(describeFsError(err, dir), dir);
  }
}

/** Walks a folder: digit folders at its top, or one level down. Symlinks are never followed. */
export async function planFolder(root: string, builder: DatasetBuilder): Promise<JobList> {
  // Like a zip's, a folder's jobs are made on demand: each file is only its name and its folder.
  const names: string[] = [];
  const folderOf: number[] = [];
  const folders: { dir: string; label: number }[] = [];
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
export async function readBounded(file: string): Promise<Buffer> {
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
export async function planLooseFolder(root: string, builder: DatasetBuilder): Promise<JobList> {
  const entries = await readDir(root);
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

export async function hasDigitFolder(root: string): Promise<boolean> {
  const top = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  return top.some((e) => e.isDirectory() && isDigitName(e.name));
}

/** The pictures of a zip (opened here and added to `opened`, which the import closes): entries named by digit folders. */
export async function planZip(file: string, builder: DatasetBuilder, limits: ZipLimits, opened: { close(): Promise<void> }[], anyFolder = false): Promise<JobList> {
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
