// Where the user's data lives (datasets, models, run history) and how it moves.
// By default: <userData>/data, where each platform expects per-user app data; nothing is ever
// written beside the executable. The user may move it (File ▸ Move Data Folder…): the data is
// copied into the new place, the copy is checked, and only then does the app switch to it. The
// old folder is left alone unless the user confirms its removal. No Electron import here.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeDirAtomic, writeJsonAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';

export interface Settings {
  /** Absolute path of a data folder the user chose; absent = the default. */
  dataDir?: string;
}

/** The folder created inside the one the user picks when moving the data. */
export const MOVED_FOLDER_NAME = 'Digit Studio Data';

export const settingsFile = (userData: string): string => path.join(userData, 'settings.json');
export const defaultDataDir = (userData: string): string => path.join(userData, 'data');

export async function loadSettings(userData: string): Promise<Settings> {
  try {
    const raw: unknown = JSON.parse(await fs.readFile(settingsFile(userData), 'utf8'));
    const dataDir = (raw as Settings | null)?.dataDir;
    return typeof dataDir === 'string' && path.isAbsolute(dataDir) && !dataDir.includes('\0') ? { dataDir } : {};
  } catch {
    return {};
  }
}

export async function saveSettings(userData: string, settings: Settings): Promise<void> {
  await writeJsonAtomic(settingsFile(userData), settings);
}

export function resolveDataDir(userData: string, settings: Settings): string {
  return settings.dataDir ?? defaultDataDir(userData);
}

const isInside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/** Counts files and bytes under `dir`, to check a copy against its original. */
export async function folderTally(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  const walk = async (d: string): Promise<void> => {
    for (const entry of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile()) {
        files++;
        bytes += (await fs.stat(p)).size;
      }
    }
  };
  try {
    await walk(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { files, bytes };
}

/**
 * Copies the data folder `from` into `<chosenParent>/Digit Studio Data` and returns the new path.
 * The copy is made in a temp folder and renamed into place only once complete and checked, so the
 * destination is either absent or a full copy. `from` is never modified. Refuses a destination
 * inside the current folder (or the reverse) and a destination that already holds files.
 */
export async function copyDataDir(from: string, chosenParent: string): Promise<string> {
  if (!path.isAbsolute(chosenParent)) throw new UserError(msg('dataDir.notAbsolute', { dir: chosenParent }));
  const source = path.resolve(from);
  const target = path.join(path.resolve(chosenParent), MOVED_FOLDER_NAME);
  if (isInside(target, source)) throw new UserError(msg('dataDir.insideCurrent', { dir: target }));
  if (isInside(source, target)) throw new UserError(msg('dataDir.currentInside', { dir: target }));
  if (!(await isEmptyOrMissing(target))) {
    throw new UserError(msg('dataDir.notEmpty', { dir: target }));
  }
  const before = await folderTally(source);
  try {
    await writeDirAtomic(target, async (temp) => {
      await fs.cp(source, temp, { recursive: true, errorOnExist: true, force: false }).catch((err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err; // nothing to copy yet: an empty folder
      });
      const after = await folderTally(temp);
      if (after.files !== before.files || after.bytes !== before.bytes) {
        throw new UserError(msg('dataDir.incomplete', { dir: target, copied: after.files, files: before.files, source }));
      }
    });
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(msg('dataDir.copyFailed', { cause: describeFsError(err, target), source }));
  }
  return target;
}
