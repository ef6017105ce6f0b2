// The main process log: every line goes to the console and to userData/logs/main.log, which keeps
// the most recent lines of this session (the previous session's file is kept as main.previous.log).
// The file is rewritten atomically a moment after the last line, so it is never half written and a
// burst of lines costs one write.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-file';

export interface Logger {
  (line: string): void;
  readonly file: string;
  /** Writes pending lines now (on quit). */
  flush(): Promise<void>;
}

const MAX_LINES = 5000;
const FLUSH_DELAY_MS = 500;

export async function createLogger(dir: string, options: { echo?: (line: string) => void } = {}): Promise<Logger> {
  const file = path.join(dir, 'main.log');
  await fs.mkdir(dir, { recursive: true }).catch(() => undefined);
  await fs.rename(file, path.join(dir, 'main.previous.log')).catch(() => undefined);
  const echo = options.echo ?? ((line: string) => console.log(line));
  const lines: string[] = [];
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    const text = lines.join('\n') + '\n';
    // Writes are chained so an older snapshot never lands after a newer one.
    writing = writing.then(() => writeFileAtomic(file, text)).catch(() => undefined);
    return writing;
  };

  const log = ((line: string) => {
    const stamped = `${new Date().toISOString()} ${line}`;
    echo(stamped);
    lines.push(stamped);
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    if (!timer) {
      timer = setTimeout(() => void flush(), FLUSH_DELAY_MS);
      timer.unref?.();
    }
  }) as Logger;
  Object.defineProperty(log, 'file', { value: file });
  log.flush = flush;
  return log;
}
