// Bundles the Node-side entry points (Electron main, preload, training worker, CLI) with esbuild.
// The renderer is built separately by Vite (see renderer/vite.config.mts): one tool per kind of output,
// so each stays simple. node_modules stay external: native modules (sharp, tfjs-node) and WASM files
// must be loaded from disk, and electron-builder ships node_modules as they are.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  { in: 'main/electron/main.ts', out: 'out/main/index.js' },
  { in: 'main/worker/ml-worker.ts', out: 'out/main/ml-worker.js' },
  { in: 'main/cli/cli.ts', out: 'out/cli/cli.js' },
  // Picture decoding runs on worker threads; the pool looks for its script beside the bundle that uses it.
  { in: 'main/data/decode-worker.ts', out: 'out/main/decode-worker.js' },
  { in: 'main/data/decode-worker.ts', out: 'out/cli/decode-worker.js' },
  // Imports run on a worker thread of their own (main/data/import-thread.ts), found the same way.
  { in: 'main/data/import-worker.ts', out: 'out/main/import-worker.js' },
  { in: 'main/data/import-worker.ts', out: 'out/cli/import-worker.js' },
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
