// Export figures (issue 14), on models saved the app's way and real MNIST digits:
// - export_onnx_max_abs_diff: the largest |ONNX Runtime − app (TF.js)| probability over 2,000 real
//   digits, across the seed CNN and the batch-norm default CNN (random weights with trained-looking
//   batch-norm statistics) and a default CNN trained for one epoch here; also per model.
// - export_web_max_abs_diff: the same for the web page's own forward pass (100 digits per model).
// - export_<format>_ms: median time of 5 exports of the default CNN (read, convert, write atomically).
// - export_<format>_bytes: the size of each exported format, beside model_folder_bytes (the
//   model.json + weights.bin it came from).
// - export_data_csv_10k_seconds / export_data_zip_10k_seconds and their sizes: the 10,000 starter digits.
// - export_web_forward_ms: the page's forward pass for one digit (default CNN, median of 50, in Node).
// Timings are medians on a shared 2-core machine: expect noise.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import type { Report } from '../bench';
import { exportModel, type ModelExportFormat } from '../../main/export/export-model';
import { exportDataset } from '../../main/export/dataset-export';
import { readModelFolder } from '../../main/export/model-reader';
import { modelToOnnx } from '../../main/export/onnx/export-onnx';
import { planModel } from '../../main/export/layer-plan';
import { runPlan } from '../../main/export/web/forward';
import { loadStarterDataset } from '../../main/data/starter';
import { imageAt } from '../../main/data/dataset';
import { appProbabilities, maxAbsDiff, saveArchModel, saveTrainedModel } from '../../tests/helpers/export-fixtures';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ort = require('onnxruntime-node') as typeof Ort;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function sizeOf(p: string): Promise<number> {
  const st = await fs.stat(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const f of await fs.readdir(p)) total += await sizeOf(path.join(p, f));
  return total;
}

export default async function exportBench(report: Report): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'digit-studio-bench-export-'));
  try {
    const all = await loadStarterDataset();
    const digits = await loadStarterDataset(200);
    const models: [string, string][] = [
      ['seed', await saveArchModel(dir, 'seed')],
      ['default', await saveArchModel(dir, 'default')],
      ['default_trained', await saveTrainedModel(dir, 'default-trained', 'default', 1)],
    ];
    let worst = 0;
    let worstWeb = 0;
    for (const [name, modelDir] of models) {
      const bytes = modelToOnnx(await readModelFolder(modelDir), 'bench');
      const session = await ort.InferenceSession.create(bytes);
      const x = Float32Array.from(digits.pixels.subarray(0, digits.count * 784), (v) => v / 255);
      const out = await session.run({ image: new ort.Tensor('float32', x, [digits.count, 28, 28, 1]) });
      await session.release();
      const app = await appProbabilities(modelDir, digits);
      const diff = maxAbsDiff(out.probabilities!.data as Float32Array, app);
      report(`export_onnx_max_abs_diff_${name}`, diff, 'probability');
      worst = Math.max(worst, diff);
      const plan = planModel(await readModelFolder(modelDir));
      let web = 0;
      for (let i = 0; i < 100; i++) {
        const p = runPlan(plan, x.subarray(i * 784, (i + 1) * 784));
        web = Math.max(web, maxAbsDiff(p, app.subarray(i * 10, i * 10 + 10)));
      }
      report(`export_web_max_abs_diff_${name}`, web, 'probability');
      worstWeb = Math.max(worstWeb, web);
    }
    report('export_onnx_max_abs_diff', worst, 'probability');
    report('export_web_max_abs_diff', worstWeb, 'probability');

    const model = models[1]![1];
    report('model_folder_bytes', (await fs.stat(path.join(model, 'model.json'))).size + (await fs.stat(path.join(model, 'weights.bin'))).size, 'bytes');
    const targets: [string, ModelExportFormat, string][] = [
      ['onnx', 'onnx', 'm.onnx'],
      ['tfjs_zip', 'tfjs', 'm.zip'],
      ['tfjs_folder', 'tfjs', 'm-tfjs'],
      ['web', 'web', 'm.html'],
    ];
    for (const [name, format, file] of targets) {
      const out = path.join(dir, file);
      const times: number[] = [];
      for (let k = 0; k < 5; k++) times.push(await timed(() => exportModel(model, format, out, 'bench')));
      report(`export_${name}_ms`, Math.round(median(times) * 10) / 10, 'ms');
      report(`export_${name}_bytes`, await sizeOf(out), 'bytes');
    }

    const plan = planModel(await readModelFolder(model));
    const one = Float32Array.from(imageAt(all, 0), (v) => v / 255);
    const forward: number[] = [];
    for (let k = 0; k < 50; k++) forward.push(await timed(async () => runPlan(plan, one)));
    report('export_web_forward_ms', Math.round(median(forward) * 100) / 100, 'ms');

    for (const format of ['csv', 'zip'] as const) {
      const out = path.join(dir, `data.${format}`);
      const times: number[] = [];
      for (let k = 0; k < 3; k++) times.push(await timed(() => exportDataset(all, format, out)));
      report(`export_data_${format}_10k_seconds`, Math.round(median(times) / 10) / 100, 's');
      report(`export_data_${format}_10k_bytes`, (await fs.stat(out)).size, 'bytes');
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
