// Knowing our data folder when we see it. Resetting the data folder deletes it, and its path comes
// from settings.json, which anything can edit: before deleting, the folder must carry the marker
// the services write when they start on a folder that is new or holds only our own layout, or
// (a folder from before the marker) hold nothing but that layout.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { msg } from '../i18n';
import { UserError } from '../util/errors';

export const DATA_DIR_MARKER = '.digit-studio-data';

/** What a data folder holds: the libraries' folders (datasets, models, runs) and OS clutter. */
const OUR_LAYOUT = new Set(['datasets', 'models', 'runs', DATA_DIR_MARKER, '.DS_Store', 'Thumbs.db', 'desktop.ini']);

async function entriesOf(dir: string): Promise<string[] | null> {
  try {
    return await fs.readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Names in `dir` that are not ours ([] when it is missing, empty, marked or only our layout). */
export async function foreignEntries(dir: string): Promise<string[]> {
  const entries = await entriesOf(dir);
  if (!entries || entries.includes(DATA_DIR_MARKER)) return [];
  return entries.filter((name) => !OUR_LAYOUT.has(name)).sort();
}

/**
 * Called as the services start on `dir`, before they create anything there: marks it as ours when
 * it is new, empty or only our layout. A folder holding other things is used but never marked.
 */
export async function markDataDir(dir: string, log: (line: string) => void = () => undefined): Promise<void> {
  const foreign = await foreignEntries(dir);
  if (foreign.length) {
    log(`data folder: ${dir} holds other files (${foreign.slice(0, 3).join(', ')}…); not marked as a Digit Studio data folder`);
    return;
  }
  await fs.mkdir(dir, { recursive: true });
  const marker = path.join(dir, DATA_DIR_MARKER);
  await fs.writeFile(marker, 'This folder holds Digit Studio data (datasets, models, run history).\n', { flag: 'wx' }).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  });
}

/** Throws a UserError unless `dir` is (or looks like) our data folder, so it may be deleted. */
export async function mustBeDataDir(dir: string): Promise<void> {
  const foreign = await foreignEntries(dir);
  if (foreign.length) {
    const listed = foreign.slice(0, 5).join(', ');
    const shown = foreign.length > 5 ? msg('dataDir.foreignMore', { shown: listed, count: foreign.length }) : listed;
    throw new UserError(msg('dataDir.foreign', { dir, shown }), dir);
  }
}
