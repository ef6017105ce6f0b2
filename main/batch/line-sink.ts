// Where batch readings are written line by line: a file, atomically (temp, fsync, rename: a
// canceled or failed prediction leaves no half-written predictions.csv, and an old one stays
// intact), or a callback (the CLI's stdout). Lines are gathered into ~1 MB writes.
import { openAtomicFile, type AtomicFile } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';

const FLUSH_CHARS = 1 << 20;

export interface LineSink {
  line(text: string): void;
  /** Puts the file in place (or flushes); the first write error, if any, is thrown here. */
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export function callbackSink(out: (line: string) => void): LineSink {
  return { line: out, commit: async () => undefined, discard: async () => undefined };
}

export async function atomicFileSink(target: string): Promise<LineSink> {
  let file: AtomicFile;
  try {
    file = await openAtomicFile(target);
  } catch (err) {
    throw new UserError(msg('batch.couldNotWrite', { cause: describeFsError(err, target) }), target);
  }
  let buffered: string[] = [];
  let size = 0;
  let writing: Promise<unknown> = Promise.resolve();
  let failure: unknown = null;
  const flush = () => {
    if (!buffered.length) return;
    const chunk = buffered.join('\n') + '\n';
    buffered = [];
    size = 0;
    writing = writing.then(() => file.handle.write(chunk)).catch((err: unknown) => (failure ??= err));
  };
  const fail = (err: unknown) => new UserError(msg('batch.couldNotWrite', { cause: describeFsError(err, target) }), target);
  return {
    line(text) {
      buffered.push(text);
      size += text.length + 1;
      if (size >= FLUSH_CHARS) flush();
    },
    async commit() {
      flush();
      await writing;
      if (failure) {
        await file.discard();
        throw fail(failure);
      }
      try {
        await file.commit();
      } catch (err) {
        throw fail(err);
      }
    },
    async discard() {
      buffered = [];
      await writing;
      await file.discard();
    },
  };
}
