// Helpers shared by the CLI's ML commands (train, evaluate, predict): reading the user's data
// through the import pipeline into temporary dataset files for the ML process, and progress output.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TrainEvent } from '../../preload/contract';
import type { CliIo } from './io';
import { importInThread, type ImportSummary } from '../data/import-thread';
import { UserError } from '../util/errors';
import { builtinRefFile, isBuiltinRef } from './builtin-data';

export interface TempData {
  /** Dataset files for the ML process: the built-in sets' own files, then the imported one. */
  files: string[];
  /** The imports (none when only built-in data was named). */
  results: ImportSummary[];
  /** Samples in all of them. */
  count: number;
  /** What the data is, for a model's metadata: file names and built-in set names. */
  names: string[];
  cleanup(): Promise<void>;
}

/**
 * Imports `paths` (anything the import pipeline reads) into a temporary .dsb file, the way the app
 * imports: on the import thread, straight to the file, never the whole dataset in memory.
 * `builtin:train` and `builtin:test` name the built-in MNIST sets, which are read as they are.
 */
export async function importToTemp(paths: string[], io: CliIo, what: string): Promise<TempData> {
  const builtins = await Promise.all(paths.filter(isBuiltinRef).map(builtinRefFile));
  const others = paths.filter((p) => !isBuiltinRef(p));
  const base = {
    files: builtins.map((b) => b.file),
    count: builtins.reduce((n, b) => n + b.set.count, 0),
    names: [...builtins.map((b) => b.set.name), ...others.map((d) => path.basename(d))],
  };
  if (!others.length) return { ...base, results: [], cleanup: async () => undefined };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'data.dsb');
    const result = await importInThread({ paths: others.map((p) => path.resolve(p)), saveTo: file });
    if (result.report.skippedCount) io.err(`skipped ${result.report.skippedCount} item(s) that could not be read`);
    return { files: [...base.files, file], results: [result], count: base.count + result.report.count, names: base.names, cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '?';
  const s = Math.round(sec);
  const m = Math.floor(s / 60);
  return m ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** Renders training events: a redrawn bar on a terminal, plain throttled lines otherwise. */
export function trainProgress(io: CliIo, epochs: number): { onEvent(e: TrainEvent): void; end(): void } {
  let barShown = false;
  let lastLine = 0;
  const clearBar = () => {
    if (barShown) process.stderr.write('\r\x1b[K');
    barShown = false;
  };
  return {
    onEvent(e) {
      if (e.kind === 'status') {
        clearBar();
        io.err(e.message);
      } else if (e.kind === 'epoch') {
        clearBar();
        const p = e.point;
        io.err(
          `epoch ${p.epoch}/${epochs}: loss ${p.loss.toFixed(4)} acc ${(p.accuracy * 100).toFixed(2)}% · ` +
            `val loss ${p.valLoss.toFixed(4)} val acc ${(p.valAccuracy * 100).toFixed(2)}% · ` +
            `${Math.round(p.imagesPerSec)} images/s · ${p.seconds.toFixed(1)}s`,
        );
      } else {
        const { done, total } = e.progress;
        const text =
          `epoch ${e.point.epoch}/${epochs} batch ${done}/${total} loss ${e.point.loss.toFixed(4)} ` +
          `acc ${(e.point.accuracy * 100).toFixed(1)}% ${Math.round(e.imagesPerSec)} img/s ETA ${formatDuration(e.etaSec)}`;
        if (io.isTty) {
          const pct = total ? done / total : 0;
          const bar = '#'.repeat(Math.round(pct * 25)).padEnd(25, '.');
          process.stderr.write(`\r\x1b[K[${bar}] ${text}`);
          barShown = true;
        } else if (Date.now() - lastLine > 5000) {
          lastLine = Date.now();
          io.err(text);
        }
      }
    },
    end: clearBar,
  };
}

export function intFlag(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export function numFlag(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UserError(`--${name} must be a number from ${min} to ${max}`);
  return n;
}
