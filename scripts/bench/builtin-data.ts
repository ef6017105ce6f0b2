// The built-in MNIST sets (main/data/builtin/), as the build makes them into out/builtin/:
// - builtin_data_bytes: what they add to the app (both compressed dataset files and the manifest);
//   builtin_raw_pixel_bytes for comparison (the 70,000 images uncompressed);
// - builtin_load_60k_seconds: loading the training set (read, checksum, inflate, checks), as the ML
//   process and the Data gallery do, with builtin_load_60k_peak_rss_ratio, the peak rise of resident
//   memory over its 47 MB of pixels; in a fresh process, three runs, medians;
// - library_open_seconds: opening a fresh data folder (what app start does), which lists the
//   built-in sets from their manifest without reading any pixels.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../bench';
import { IMAGE_PIXELS } from '../../main/data/dataset';
import { builtinDir, ensureBuiltinFiles } from '../../main/data/builtin/files';
import { BUILTIN_SETS } from '../../main/data/builtin/sets';

const CHILD = `
const [root, what, file] = process.argv.slice(1);
const fs = require('node:fs');
(async () => {
  // Modules first: the rise measured is the loading's own.
  const { loadDatasetFile } = require(root + '/main/data/dataset-file');
  const { DatasetLibrary } = require(root + '/main/data/library');
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const t0 = performance.now();
  let count;
  if (what === 'load') count = (await loadDatasetFile(file)).count;
  else count = (await DatasetLibrary.open(file)).list().length;
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  peak = Math.max(peak, hwm ? Number(hwm[1]) * 1024 : 0);
  console.log(JSON.stringify({ seconds, peakRise: peak - base, count }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

function inChild(what: 'load' | 'open', target: string): { seconds: number; peakRise: number; count: number } {
  const root = path.resolve(__dirname, '../..');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', CHILD, root, what, target], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`builtin-data bench (${what}) failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { seconds: number; peakRise: number; count: number };
}

export default async function builtinDataBench(report: Report): Promise<void> {
  if (!(await ensureBuiltinFiles())) throw new Error(`no built-in data in ${builtinDir()}: run npm run build:node`);
  const dir = builtinDir();
  const bytes = readdirSync(dir).reduce((a, f) => a + statSync(path.join(dir, f)).size, 0);
  report('builtin_data_bytes', bytes, 'bytes');
  report('builtin_raw_pixel_bytes', BUILTIN_SETS.reduce((a, s) => a + s.count * IMAGE_PIXELS, 0), 'bytes');

  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[1]!;
  const train = path.join(dir, BUILTIN_SETS.find((s) => s.key === 'train')!.file);
  const loads = [0, 1, 2].map(() => inChild('load', train));
  if (loads.some((l) => l.count !== 60_000)) throw new Error('the built-in training set did not load 60,000 digits');
  report('builtin_load_60k_seconds', Number(median(loads.map((l) => l.seconds)).toFixed(3)), 's');
  report('builtin_load_60k_peak_rss_ratio', Number(median(loads.map((l) => l.peakRise / (60_000 * IMAGE_PIXELS))).toFixed(2)), 'x');

  const opens = [0, 1, 2].map(() => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'digit-studio-bench-open-'));
    try {
      return inChild('open', dataDir);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  if (opens.some((o) => o.count !== BUILTIN_SETS.length)) throw new Error('a fresh library did not list the built-in sets');
  report('library_open_seconds', Number(median(opens.map((o) => o.seconds)).toFixed(3)), 's');
}
