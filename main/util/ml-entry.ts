// Where the ML process's script is: the TypeScript source under tsx (tests, scripts), else the
// bundle's out/main/ml-worker.js. Shared by the parent, which forks it, and by the ML process,
// whose replica thread runs the same file.
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the bundled worker lives, given the folder of the running bundle: out/main/ml-worker.js,
 * reached from out/main (Electron main) as well as from out/cli (the CLI). Pure, so the Electron
 * side can test the packaged layout (app.asar/out/main/ml-worker.js).
 */
export function workerEntryPath(bundleDir: string): string {
  return path.join(bundleDir, '..', 'main', 'ml-worker.js');
}

/** The worker entry and the Node flags it needs, from TypeScript sources or from a bundle. */
export function resolveWorkerEntry(here: string = __dirname): { entry: string; execArgv: string[] } {
  const source = path.join(here, '..', 'ml-process', 'ml-worker.ts');
  if (existsSync(source)) return { entry: source, execArgv: ['--import', 'tsx'] };
  return { entry: workerEntryPath(here), execArgv: [] };
}

