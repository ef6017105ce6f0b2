// Atomic writes: a file or folder is either the old version or the complete new one, never half
// written. Data goes to a temp name beside the target, is fsynced, then renamed over it; rename is
// atomic within a filesystem on every platform we ship. A crash leaves at most a stray temp file,
// which cleanStaleTemps removes on the next start.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const TEMP_MARK = '.tmp-';

function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `${TEMP_MARK}${path.basename(target)}-${randomBytes(4).toString('hex')}`);
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

/** Writes `data` to `target` atomically, creating the parent folder if needed. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = tempNameFor(target);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
    await fsyncPath(path.dirname(target)).catch(() => undefined);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
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
      aside = tempNameFor(target);
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

/** Removes temp leftovers of interrupted writes in `dir` (not recursive). */
export async function cleanStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_MARK)) continue;
    await fs.rm(path.join(dir, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}

export function isTempName(name: string): boolean {
  return name.startsWith(TEMP_MARK);
}
