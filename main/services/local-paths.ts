// Paths from a drop (importPaths, predictPath) name what the user dropped, but main still checks
// what they are before anything reads them: never a Windows network or device path, and only
// regular files (or folders, for imports). A FIFO would block a read forever and a device such as
// /dev/zero never ends; the IPC rule (main/ipc/rules.ts) refuses the network forms too, this is the
// check that holds for every caller.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isNetworkOrDevicePath } from '../ipc/rules';
import { looksLikeImageName } from '../data/image-decode';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { notRegularFile } from '../util/read-regular-file';

function refuseNetwork(file: string): void {
  if (isNetworkOrDevicePath(file)) {
    throw new UserError(msg('paths.network', { file }), file);
  }
}

/**
 * Paths to import: files or folders. Missing ones pass (the import reports them as skipped, with
 * the others imported); pipes, devices, sockets and network paths refuse the whole drop.
 */
export async function checkImportPaths(paths: readonly string[]): Promise<void> {
  for (const file of paths) {
    refuseNetwork(file);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      continue;
    }
    if (stat.isDirectory()) continue;
    const why = notRegularFile(stat);
    if (why) throw new UserError(msg('paths.notRegular', { file, why }), file);
  }
}

/** A picture to predict: a regular file with a picture's name, on this computer. */
export async function checkPicturePath(file: string): Promise<void> {
  refuseNetwork(file);
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    throw new UserError(describeFsError(err, file), file);
  }
  if (stat.isDirectory()) throw new UserError(msg('paths.folder', { file }), file);
  const why = notRegularFile(stat);
  if (why) throw new UserError(msg('paths.notRegular', { file, why }), file);
  if (!looksLikeImageName(file)) {
    throw new UserError(msg('paths.notPicture', { file: path.basename(file) }), file);
  }
}
