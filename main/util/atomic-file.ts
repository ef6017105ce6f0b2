// Atomic writes: a file or folder is either the old version or the complete new one, never half
// written. Data goes to a temp name beside the target, is fsynced, then renamed over it; rename is
// atomic within a filesystem on every platform we ship. A crash leaves at most a stray temp file,
// which cleanStaleTemps removes on the next start.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const TEMP_MARK = '.tmp-';
// A folder being replaced is first moved aside under this mark. Unlike a temp file it is the only
// complete copy for a moment (between the two renames), so it is restored, never deleted, when its
// target is missing.
const ASIDE_MARK = '.old-';
const RANDOM_SUFFIX = /-[0-9a-f]{8}$/;

function tempNameFor(target: string, mark = TEMP_MARK): string {
  return path.join(path.dirname(target), `${mark}${path.basename(target)}-${randomBytes(4).toString('hex')}`);
}

async function fsyncPath(p: string): Promise<void> {
  // Directories can't be opened for fsync on Windows; there rename is already durable enough.
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(p, 'r');
    await handle.sync();
  } catch (err) {
    if (process.platform !== 'win32') throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * A file being written under a temp name beside its target, in any order and at any offsets, then
 * put in place with commit() (fsync, rename) or thrown away with discard(). A crash in between
 * leaves only the temp file, which cleanStaleTemps removes.
 */
export interface AtomicFile {
  readonly handle: fs.FileHandle;
  /** The temp file's path (for the few callers that need it in messages). */
  readonly temp: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export async function openAtomicFile(target: string): Promise<AtomicFile> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = tempNameFor(target);
  // Read and write: a file written at offsets may be read back (dataset-spill.ts).
  const handle = await fs.open(temp, 'wx+');
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    await handle.close();
  };
  return {
    handle,
    temp,
    async commit() {
      try {
        await handle.sync();
        await close();
        await fs.rename(temp, target);
      } catch (err) {
        await close().catch(() => undefined);
        await fs.rm(temp, { force: true }).catch(() => undefined);
        throw err;
      }
      await fsyncPath(path.dirname(target)).catch(() => undefined);
    },
    async discard() {
      await close().catch(() => undefined);
      await fs.rm(temp, { force: true }).catch(() => undefined);
    },
  };
}

/**
 * Writes `data` to `target` atomically, creating the parent folder if needed. A list of chunks is
 * written one after another, so a large file (a dataset) never has to be joined into one buffer.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array | readonly Uint8Array[]): Promise<void> {
  const file = await openAtomicFile(target);
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await file.handle.writeFile(data);
    else for (const chunk of data) await file.handle.writeFile(chunk);
  } catch (err) {
    await file.discard();
    throw err;
  }
  await file.commit();
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Writes a whole folder atomically: `fill` writes into a fresh temp folder, which then replaces
 * `target`. An existing target is moved aside first and removed only after the swap succeeded,
 * so a crash at any point leaves either the old folder or the new one (plus temp leftovers).
 */
export async function writeDirAtomic(target: string, fill: (dir: string) => Promise<void>): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = tempNameFor(target);
  await fs.mkdir(temp);
  try {
    await fill(temp);
    for (const name of await fs.readdir(temp)) await fsyncPath(path.join(temp, name));
    let aside: string | null = null;
    try {
      await fs.rename(temp, target);
    } catch (err: unknown) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw err;
      aside = tempNameFor(target, ASIDE_MARK);
      await fs.rename(target, aside);
      await fs.rename(temp, target);
    }
    await fsyncPath(path.dirname(target)).catch(() => undefined);
    if (aside) await fs.rm(aside, { recursive: true, force: true });
  } catch (err) {
    await fs.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Brings back a folder whose replacement was interrupted between its two renames (the old copy
 * moved aside, the new one not yet in place). Readers call this before giving up on a missing
 * folder. Returns true when it restored one.
 */
export async function recoverDir(target: string): Promise<boolean> {
  if (await exists(target)) return false;
  const parent = path.dirname(target);
  const prefix = `${ASIDE_MARK}${path.basename(target)}-`;
  let names: string[];
  try {
    names = await fs.readdir(parent);
  } catch {
    return false;
  }
  const asides = names.filter((n) => n.startsWith(prefix) && /^[0-9a-f]{8}$/.test(n.slice(prefix.length)));
  if (asides.length === 0) return false;
  // Only one replacement runs at a time per folder, so there is at most one; take the newest anyway.
  const stats = await Promise.all(asides.map(async (n) => ({ n, t: (await fs.stat(path.join(parent, n))).mtimeMs })));
  stats.sort((a, b) => b.t - a.t);
  await fs.rename(path.join(parent, stats[0]!.n), target);
  return true;
}

/**
 * Tidies `dir` (not recursive) after interrupted writes: temp leftovers are removed, and a folder
 * moved aside whose target is missing is restored (removed when the target is there).
 */
export async function cleanStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith(ASIDE_MARK)) {
      const base = name.slice(ASIDE_MARK.length).replace(RANDOM_SUFFIX, '');
      if (await recoverDir(path.join(dir, base))) continue;
      if (!(await exists(path.join(dir, name)))) continue;
    } else if (!name.startsWith(TEMP_MARK)) {
      continue;
    }
    await fs.rm(path.join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_MARK) || name.startsWith(ASIDE_MARK);
}
