// Reading a file named by a user or a drop: only a regular file (a link to one is fine), never a
// pipe, device or socket (a link to /dev/zero would never end, a FIFO would block), and never more
// than `max` bytes, even if the file grows while it is read.
import { constants, promises as fs } from 'node:fs';
import { msg } from '../i18n';
import { UserError, describeFsError } from './errors';

// Opening a FIFO for reading blocks until a writer appears: O_NONBLOCK makes open return at once,
// so fstat can refuse it. (Not defined on Windows, where there are no FIFOs to open this way.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Why `stat` is not something we read, or null for a regular file. */
export function notRegularFile(stat: { isFile(): boolean; isDirectory(): boolean }): string | null {
  if (stat.isFile()) return null;
  if (stat.isDirectory()) return msg('fs.why.isFolder');
  return msg('fs.why.notRegular');
}

/** The contents of regular file `file`, refused with a UserError naming it when larger than `max`. */
export async function readRegularFile(file: string, max: number, what = msg('fs.what.file')): Promise<Buffer> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (err) {
    throw new UserError(describeFsError(err, file), file);
  }
  try {
    const stat = await handle.stat();
    const why = notRegularFile(stat);
    if (why) throw new UserError(msg('fs.notRegular', { file, why }), file);
    if (stat.size > max) throw new UserError(msg('fs.tooLarge', { file, what, size: stat.size, max }), file);
    // Read at most max + 1 bytes: a file that grew past the limit since fstat is refused too.
    const buf = Buffer.allocUnsafe(Math.min(stat.size, max) + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > max) throw new UserError(msg('fs.tooLargeGrew', { file, what, max }), file);
    return buf.subarray(0, length);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(describeFsError(err, file), file);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
