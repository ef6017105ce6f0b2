// Makes sure out/renderer holds a build of the current renderer sources before a harness serves it.
// `npm test` builds first, so this usually finds a fresh build; when a developer runs one e2e file
// after editing a component, it rebuilds. A lock folder keeps parallel test files from building at once.
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const RENDERER_OUT = path.join(ROOT, 'out', 'renderer');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, await newestMtime(p));
    else newest = Math.max(newest, (await stat(p)).mtimeMs);
  }
  return newest;
}

async function isFresh(): Promise<boolean> {
  let built: number;
  try {
    built = (await stat(path.join(RENDERER_OUT, 'index.html'))).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(
    await newestMtime(path.join(ROOT, 'renderer')),
    (await stat(path.join(ROOT, 'preload', 'contract.ts'))).mtimeMs,
  );
  return built >= sources;
}

function runVite(): Promise<void> {
  return new Promise((resolve, reject) => {
    const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const child = spawn(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.mts', '--logLevel', 'error'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = path.join(os.tmpdir(), 'digit-studio-renderer-build.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(lock);
      break;
    } catch {
      // Someone else is building; a lock older than two minutes is a leftover of a killed run.
      const age = Date.now() - (await stat(lock).then((s) => s.mtimeMs, () => Date.now()));
      if (age > 120_000) await rm(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

/** Builds the renderer into out/renderer unless a build newer than its sources is already there. */
export async function ensureRendererBuilt(): Promise<void> {
  if (await isFresh()) return;
  await withLock(async () => {
    if (!(await isFresh())) await runVite();
  });
}
