// The PyTorch reference (../shared/reference/*.py, run with /usr/bin/python3 when it has torch), run
// inside the same bench as ours so both see the same load on this shared machine.
import { execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IMAGE_PIXELS, type Dataset } from '../../../main/data/dataset';

const PYTHON = '/usr/bin/python3';

export function referenceDir(): string | null {
  for (const dir of [process.env.DIGIT_STUDIO_TORCH_REFERENCE, path.resolve(__dirname, '../../../../shared/reference'), '/work/shared/reference']) {
    if (dir && existsSync(path.join(dir, 'torch_tta.py'))) return dir;
  }
  return null;
}

/** BENCH_TORCH=0 leaves PyTorch out (a long part, e.g. tta, run for our figure alone). */
export async function torchAvailable(): Promise<boolean> {
  if (process.env.BENCH_TORCH === '0' || !existsSync(PYTHON) || !referenceDir()) return false;
  return new Promise((resolve) => execFile(PYTHON, ['-c', 'import torch'], (err) => resolve(!err)));
}

/** torch_bench.py on these digits: the seed CNN's training images/s (median of 3 epochs). */
export async function torchThroughput(ds: Dataset, threads = 2): Promise<number> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ds-torch-'));
  try {
    const csv = path.join(dir, 'train.csv');
    const lines = ['label,' + Array.from({ length: IMAGE_PIXELS }, (_, i) => `pixel${i}`).join(',')];
    for (let i = 0; i < ds.count; i++) lines.push(`${ds.labels[i]},${Array.from(ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)).join(',')}`);
    await fs.writeFile(csv, lines.join('\n') + '\n');
    const out = await run(['torch_bench.py', String(ds.count), String(threads), csv]);
    return Number(out.trim().split('\n')[0]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export interface TorchEpoch {
  epoch: number;
  seconds: number;
  accuracy: number;
}

/** torch_tta.py: per epoch, cumulative training seconds and test accuracy on the official 10,000. */
export async function torchTimeToAccuracy(idxDir: string, arch: 'seed' | 'strong', epochs: number, onEpoch: (e: TorchEpoch) => void): Promise<TorchEpoch[]> {
  const got: TorchEpoch[] = [];
  await run(['torch_tta.py', idxDir, arch, String(epochs), '2'], (line) => {
    const [, e, s, a] = line.trim().split(/\s+/);
    if (!a) return;
    const point = { epoch: Number(e), seconds: Number(s), accuracy: Number(a) };
    got.push(point);
    onEpoch(point);
  });
  return got;
}

function run(args: string[], onLine?: (line: string) => void): Promise<string> {
  const dir = referenceDir()!;
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(dir, args[0]!), ...args.slice(1)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      pending += chunk.toString();
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine?.(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0]} exited with ${code}`))));
  });
}
