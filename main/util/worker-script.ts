// Starts a worker thread from a script that sits beside the code asking for it: the bundled
// `<name>.js` in a build (out/main, out/cli), or the TypeScript source under tsx (tests, scripts).
// Returns null when neither can run, so callers can fall back to doing the work in-process.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

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
