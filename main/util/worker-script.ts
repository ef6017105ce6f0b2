// Starts a worker thread from a script that sits beside the code asking for it: the bundled
// `<name>.js` in a build (out/main, out/cli), or the TypeScript source under tsx (tests, scripts).
// Returns null when neither can run, so callers can fall back to doing the work in-process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { UserError, messageOf } from './errors';

export function startWorkerScript(dir: string, name: string, options: WorkerOptions = {}): Worker | null {
  const bundled = path.join(dir, `${name}.js`);
  if (existsSync(bundled)) return new Worker(bundled, options);
  const source = path.join(dir, `${name}.ts`);
  if (!existsSync(source)) return null;
  try {
    require.resolve('tsx/cjs');
  } catch {
    return null;
  }
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { ...options, eval: true });
}

/** How a worker thread reports a failure: a UserError keeps its message and file; anything else its stack too. */
export interface WorkerFailure {
  message: string;
  file: string | undefined;
  user: boolean;
  stack: string | undefined;
}

export function workerFailure(err: unknown): WorkerFailure {
  return {
    message: messageOf(err),
    file: err instanceof UserError ? err.file : undefined,
    user: err instanceof UserError,
    stack: err instanceof Error && !(err instanceof UserError) ? err.stack : undefined,
  };
}
