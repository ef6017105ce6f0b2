// Import speed and memory on realistic inputs, generated from 10,000 real MNIST digits (the first
// 10,000 of the built-in training set, which the former starter held) into os.tmpdir() (never committed; reused between runs when already there):
// - a 42,000-row Kaggle-format train.csv (the 10,000 digits, each copy shifted so rows are unique);
// - a zip of 21,000 ~100×100 "photos": digits enlarged, dark ink on unevenly lit paper, noisy,
//   JPEG and PNG mixed, in folders 0–9;
// - the same photos as a plain folder of digit folders.
// Reports import_csv_42k_seconds, import_zip_21k_seconds, import_folder_21k_seconds and
// import_peak_rss_ratio (the largest increase of resident memory during an import over the
// dataset's Uint8 size; also per import).
// Targets: < 3 s, < 20 s, < 3×. Each import runs in a fresh process, three times (medians).
import { createWriteStream, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import type { Report } from '../bench';
import { IMAGE_PIXELS, IMAGE_SIDE, imageAt, type Dataset } from '../../main/data/dataset';
import { loadStarterDataset } from '../../main/data/starter';
import { digitPhoto, encodeGray, rng } from '../../tests/helpers/digit-photos';
import { writeZip, type ForgedEntry } from '../../tests/helpers/zip-writer';

const DIR = path.join(os.tmpdir(), 'digit-studio-bench-import-v1');
const CSV_ROWS = 42_000;
const ZIP_PHOTOS = 21_000;

/** Copy k of a digit, shifted by up to a pixel so that no two rows are identical. */
function variant(src: Uint8Array, k: number): Uint8Array {
  if (k === 0) return src;
  const dx = [0, 1, -1, 0, 1][k % 5]!;
  const dy = [1, 0, 0, -1, 1][k % 5]!;
  const out = new Uint8Array(IMAGE_PIXELS);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < IMAGE_SIDE && sy < IMAGE_SIDE) out[y * IMAGE_SIDE + x] = src[sy * IMAGE_SIDE + sx]!;
    }
  }
  out[(k * 7) % IMAGE_PIXELS] ^= 1; // and one pixel nudged, in case a shift changes nothing
  return out;
}

async function makeCsv(ds: Dataset, file: string): Promise<void> {
  if (existsSync(file)) return;
  const tmp = `${file}.part`;
  const out = createWriteStream(tmp);
  out.write('label,' + Array.from({ length: IMAGE_PIXELS }, (_, i) => `pixel${i}`).join(',') + '\n');
  for (let r = 0; r < CSV_ROWS; r++) {
    const i = r % ds.count;
    const px = variant(imageAt(ds, i), Math.floor(r / ds.count));
    if (!out.write(`${ds.labels[i]},${px.join(',')}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await fs.rename(tmp, file);
}

async function makeZip(ds: Dataset, file: string): Promise<void> {
  if (existsSync(file)) return;
  const entries: ForgedEntry[] = [];
  const r = rng(2024);
  for (let k = 0; k < ZIP_PHOTOS; k++) {
    const i = (k * 7919) % ds.count;
    const size = 90 + Math.floor(r() * 30);
    const digitSize = Math.floor(size * (0.5 + r() * 0.3));
    const photo = digitPhoto(imageAt(ds, i), {
      width: size,
      height: size,
      digitSize,
      at: { x: Math.floor(r() * (size - digitSize)), y: Math.floor(r() * (size - digitSize)) },
      paper: [200 + r() * 40, 140 + r() * 60],
      ink: 20 + r() * 50,
      noise: 4 + r() * 10,
      seed: k,
    });
    const jpeg = k % 2 === 0;
    const data = await encodeGray(photo, size, size, jpeg ? 'jpeg' : 'png');
    // Already-compressed pictures are stored, as real zip tools do.
    entries.push({ name: `my-digits/${ds.labels[i]}/photo_${k}.${jpeg ? 'jpg' : 'png'}`, data, method: 0 });
  }
  await fs.writeFile(`${file}.part`, writeZip(entries));
  await fs.rename(`${file}.part`, file);
}

/** The same photos as a plain folder (my-digits/<d>/photo_k.*), extracted from the zip. */
async function makeFolder(zipFile: string, dir: string): Promise<void> {
  if (existsSync(dir)) return;
  const { openZip, readZipItem, InflateBudget } = await import('../../main/data/zip-read');
  const zip = await openZip(zipFile);
  const tmp = `${dir}.part`;
  await fs.rm(tmp, { recursive: true, force: true });
  try {
    const budget = new InflateBudget(Number.MAX_SAFE_INTEGER);
    for (const item of zip.items) {
      const out = path.join(tmp, ...item.name.split('/'));
      await fs.mkdir(path.dirname(out), { recursive: true });
      await fs.writeFile(out, await readZipItem(zip, item, budget, item.name));
    }
  } finally {
    await zip.close();
  }
  await fs.rename(tmp, dir);
}

export interface Measured {
  seconds: number;
  cpuSeconds: number;
  peakRise: number;
  count: number;
  /** Size of the .dsb file written. */
  saved: number;
}

/**
 * The code measured is what users run: the import pipeline bundled by esbuild (as the CLI and the
 * app are), with its decode worker beside it, built here into a temp folder.
 */
export async function bundleImport(dir: string): Promise<string> {
  const { build } = await import('esbuild');
  const root = path.resolve(__dirname, '../..');
  await build({
    absWorkingDir: root,
    entryPoints: { 'import-entry': 'main/data/import-thread.ts', 'import-worker': 'main/data/import-worker.ts' },
    outdir: dir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return path.join(dir, 'import-entry.js');
}

/**
 * Runs in a fresh process (so one import's garbage can't skew the next) what the app runs for an
 * import: importInThread, which reads, normalises and saves the .dsb file on a worker thread.
 * The app's main process has sharp loaded from the start (previews, predictions), so it is loaded
 * before the baseline here too. RSS is sampled every 5 ms and the kernel's high-water mark (VmHWM)
 * read at the end; the rise over the RSS before the import is what the import cost, saving included.
 */
const CHILD = `
const [entry, ...paths] = process.argv.slice(1);
const { importInThread } = require(entry);
const fs = require('node:fs');
const path = require('node:path');
require('sharp');
const saveTo = path.join(path.dirname(entry), 'bench-' + process.pid + '.dsb');
const base = process.memoryUsage().rss;
let peak = base;
const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
importInThread({ paths, saveTo }).then((r) => {
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  const hwm = /VmHWM:\\s+(\\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  peak = Math.max(peak, hwm ? Number(hwm[1]) * 1024 : 0);
  const saved = fs.statSync(saveTo).size;
  fs.rmSync(saveTo, { force: true });
  console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRise: peak - base, count: r.report.count, saved }));
  process.exit(0);
}, (err) => { fs.rmSync(saveTo, { force: true }); console.error(String(err)); process.exit(1); });
`;

export async function measure(entry: string, paths: string[]): Promise<Measured> {
  // The bundle lives in the temp folder; its packages (sharp) resolve from the project's node_modules.
  const env = { ...process.env, NODE_PATH: path.resolve(__dirname, '../../node_modules') };
  const child = spawn(process.execPath, ['-e', CHILD, entry, ...paths], { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.dirname(entry), env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`import measurement failed (exit ${code})`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

export default async function importBench(report: Report): Promise<void> {
  await fs.mkdir(DIR, { recursive: true });
  const ds = await loadStarterDataset();
  const csv = path.join(DIR, 'train.csv');
  const zip = path.join(DIR, 'photos.zip');
  await makeCsv(ds, csv);
  await makeZip(ds, zip);
  const folder = path.join(DIR, 'photos');
  await makeFolder(zip, folder);

  // Medians of three runs each: other work on the machine makes single timings noisy.
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const runs = async (p: string, expect: number) => {
    const ms: Measured[] = [];
    for (let k = 0; k < 3; k++) {
      const m = await measure(entry, [p]);
      if (m.count < expect) throw new Error(`${path.basename(p)}: import gave ${m.count} samples, expected ${expect}`);
      if (m.saved < m.count * (IMAGE_PIXELS + 1)) throw new Error(`${path.basename(p)}: the saved dataset file is too small (${m.saved} bytes)`);
      ms.push(m);
    }
    return {
      seconds: median(ms.map((m) => m.seconds)),
      cpu: median(ms.map((m) => m.cpuSeconds)),
      ratio: median(ms.map((m) => m.peakRise / (m.count * IMAGE_PIXELS))),
    };
  };
  const entry = await bundleImport(path.join(DIR, 'bundle'));
  const c = await runs(csv, CSV_ROWS);
  report('import_csv_42k_seconds', Number(c.seconds.toFixed(3)), 's');
  report('import_csv_42k_cpu_seconds', Number(c.cpu.toFixed(3)), 's');
  const z = await runs(zip, Math.floor(ZIP_PHOTOS * 0.99));
  report('import_zip_21k_seconds', Number(z.seconds.toFixed(3)), 's');
  // CPU time over all threads: divided by the cores, what the wall time would be on an idle machine.
  report('import_zip_21k_cpu_seconds', Number(z.cpu.toFixed(3)), 's');
  const f = await runs(folder, Math.floor(ZIP_PHOTOS * 0.99));
  report('import_folder_21k_seconds', Number(f.seconds.toFixed(3)), 's');
  report('import_csv_peak_rss_ratio', Number(c.ratio.toFixed(2)), 'x');
  report('import_zip_peak_rss_ratio', Number(z.ratio.toFixed(2)), 'x');
  report('import_folder_peak_rss_ratio', Number(f.ratio.toFixed(2)), 'x');
  report('import_peak_rss_ratio', Number(Math.max(c.ratio, z.ratio, f.ratio).toFixed(2)), 'x');
}
