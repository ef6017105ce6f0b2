// What the installers carry, measured on a real electron-builder run (scripts/electron-builder-dry-run.mjs:
// the real file selection, app.asar and asarUnpack, with a stand-in Electron binary):
// app_asar_bytes (the archive with the app, its bundles and the production dependencies),
// app_unpacked_bytes (app.asar.unpacked: native modules, .wasm files and the built-in MNIST sets) and
// builtin_data_packaged_bytes (the built-in MNIST sets, part of the unpacked bytes). The Electron runtime
// itself (~100 MB per platform) is the same for every version and is not counted. Needs the
// renderer built (done here when missing) and a real node_modules folder (electron-builder can't
// list the dependencies through a symlinked one). Takes about a minute.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../bench';

export default async function installerBench(report: Report): Promise<void> {
  const root = path.resolve(__dirname, '../..');
  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html'))) {
    const vite = spawnSync(process.execPath, [require.resolve('vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.mts'], { cwd: root, encoding: 'utf8' });
    if (vite.status !== 0) throw new Error(`building the renderer failed: ${vite.stderr}`);
  }
  const run = spawnSync(process.execPath, ['scripts/electron-builder-dry-run.mjs'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const summary = JSON.parse(run.stdout) as { ok: boolean; archiveBytes: number; unpackedBytes: number; builtinDataBytes: number; problems: string[] };
  if (!summary.ok) throw new Error(`the packaging dry run found problems: ${summary.problems.join('; ').slice(0, 2000)}`);
  report('app_asar_bytes', summary.archiveBytes, 'bytes');
  report('app_unpacked_bytes', summary.unpackedBytes, 'bytes');
  report('builtin_data_packaged_bytes', summary.builtinDataBytes, 'bytes');
}
