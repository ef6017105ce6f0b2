// Random access to a zip archive's bytes (main/data/zip-read.ts reads archives through it): a file
// on disk, read through two reused windows so the archive is never all in memory, or a Buffer
// (tests, fuzzing, and archives already in memory). Apart from the zip parsing because this is
// about memory and file handles, not the zip format.
import { promises as fs } from 'node:fs';
import { UserError, describeFsError } from '../util/errors';

/** Random access to the archive's bytes: a file on disk or a Buffer. */
export interface ZipSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export function bufferSource(buf: Buffer): ZipSource {
  return {
    size: buf.length,
    read: async (offset, length) => buf.subarray(offset, offset + length),
    close: async () => undefined,
  };
}

/** Reads are served from a window of this size: entries are read in order, so one read serves many. */
const READ_WINDOW = 512 * 1024;

export async function fileSource(file: string): Promise<ZipSource> {
  let handle: fs.FileHandle;
  let size: number;
  try {
    handle = await fs.open(file, 'r');
    size = (await handle.stat()).size;
  } catch (err) {
    throw new UserError(describeFsError(err, file), file);
  }
  let closed = false;
  const readInto = async (buf: Buffer, offset: number, length: number): Promise<number> => {
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buf, got, length - got, offset + got);
      if (!bytesRead) break;
      got += bytesRead;
    }
    return got;
  };
  // Two window buffers, reused for the whole archive: one being read from, one being filled. Small
  // reads get their own copy, never a view of a window, so a window can be refilled while what was
  // read from it is still in use. (A fresh 1 MB window per read lived long enough to reach V8's old
  // generation, and dead ones piled up as tens of MB until a full garbage collection.)
  const windows = [Buffer.allocUnsafe(Math.min(READ_WINDOW, size)), Buffer.allocUnsafe(Math.min(READ_WINDOW, size))];
  let current = -1;
  let start = 0;
  let filled = 0;
  let loading: Promise<void> | null = null;
  return {
    size,
    read: async (offset, length) => {
      if (length <= 0 || offset >= size) return Buffer.alloc(0);
      if (length > READ_WINDOW / 2) {
        const buf = Buffer.allocUnsafe(length);
        const got = await readInto(buf, offset, length);
        return got === length ? buf : buf.subarray(0, got);
      }
      const copyOut = () => {
        const from = offset - start;
        return Buffer.from(windows[current]!.subarray(from, Math.min(filled, from + length)));
      };
      for (;;) {
        if (current >= 0 && offset >= start && offset + length <= start + filled) return copyOut();
        if (loading) {
          await loading;
          continue;
        }
        // Only one fill at a time, always into the window nobody is reading from.
        const next = current === 0 ? 1 : 0;
        loading = readInto(windows[next]!, offset, Math.min(READ_WINDOW, size - offset))
          .then((got) => {
            current = next;
            start = offset;
            filled = got;
          })
          .finally(() => {
            loading = null;
          });
        await loading;
        // A window starting right here holds all the file has here (less near the end).
        if (start === offset) return copyOut();
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
