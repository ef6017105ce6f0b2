// What the ML process does for each request. Kept apart from the transport (ml-worker.ts) so it
// can be read, and tested, as plain functions.
import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import type { BackendInfo, TrainEvent } from '../../preload/contract';
import { IMAGE_PIXELS, countPerClass, type Dataset } from '../data/dataset';
import { loadDatasetFile } from '../data/dataset-file';
import { combineDatasets, splitStratified, subsetDataset } from '../data/dataset-ops';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { DEFAULT_METHOD, FINETUNE_METHOD } from '../../preload/recipe';
import { loadTf, tf } from './backend';
import { evaluateParts, type EvaluationResult } from './evaluate';
import { loadModel, saveModel } from './model-files';
import { ARCH_DESCRIPTIONS } from './models';
import { describeModel as describeLoaded, inspectInput as inspectLoaded } from './inspect';
import { predictDatasetInSteps, trainModel } from './trainer';
import type { TrainOutcome, TrainRequest } from './protocol';
import { predictDatasetFile, type PredictFileHooks } from './batch-predict';
import { mixReplay, mnistTestAccuracy } from './replay';
import { inputPrepOf, prepareSample } from './input-prep';

export async function backendInfo(): Promise<BackendInfo> {
  return (await loadTf()).info;
}

// One model stays loaded for prediction, refreshed when its folder changes (a retrained model).
let cached: { dir: string; stamp: string; model: LayersModel } | null = null;

async function stampOf(dir: string): Promise<string> {
  const st = await fs.stat(path.join(dir, 'weights.bin')).catch(() => null);
  const st2 = await fs.stat(path.join(dir, 'model.json')).catch(() => null);
  return `${st?.mtimeMs}:${st?.size}:${st2?.mtimeMs}:${st2?.ino}`;
}

async function cachedModel(dir: string): Promise<LayersModel> {
  await loadTf();
  const abs = path.resolve(dir);
  const stamp = await stampOf(abs);
  if (cached && cached.dir === abs && cached.stamp === stamp) return cached.model;
  const { model } = await loadModel(abs);
  cached?.model.dispose();
  cached = { dir: abs, stamp, model };
  return model;
}

export async function predict(modelDir: string, inputs: number[][]): Promise<number[][]> {
  const model = await cachedModel(modelDir);
  if (!inputs.length) return [];
  const buf = new Float32Array(inputs.length * IMAGE_PIXELS);
  const sample = new Uint8Array(IMAGE_PIXELS);
  const seen = new Uint8Array(IMAGE_PIXELS);
  inputs.forEach((px, k) => {
    if (!Array.isArray(px) || px.length !== IMAGE_PIXELS) throw new UserError(msg('predict.inputNotImage', { index: k + 1 }));
    const o = k * IMAGE_PIXELS;
    for (let i = 0; i < IMAGE_PIXELS; i++) buf[o + i] = Math.min(255, Math.max(0, Number(px[i]) || 0));
    // As the model sees it (input-prep.ts): deskewed when it was trained so.
    if (inputPrepOf(model).deskew) {
      for (let i = 0; i < IMAGE_PIXELS; i++) sample[i] = Math.round(buf[o + i]!);
      buf.set(prepareSample(model, sample, seen), o);
    }
    for (let i = 0; i < IMAGE_PIXELS; i++) buf[o + i] = buf[o + i]! / 255;
  });
  const t = tf();
  const out = t.tidy(() => model.predict(t.tensor4d(buf, [inputs.length, 28, 28, 1])) as Tensor);
  const values = out.dataSync();
  out.dispose();
  return inputs.map((_, k) => Array.from(values.subarray(k * 10, k * 10 + 10)));
}

/** Under the hood (issue 15): layers and first-layer filters of the model in `modelDir`. */
export async function describe(modelDir: string): Promise<ReturnType<typeof describeLoaded>> {
  return describeLoaded(await cachedModel(modelDir));
}

/** Under the hood (issue 15): feature maps and saliency of one 28×28 input (0..255), as the model reads it (`seen`, base64). */
export async function inspect(modelDir: string, input: number[]): Promise<ReturnType<typeof inspectLoaded> & { seen: string }> {
  const model = await cachedModel(modelDir);
  if (!Array.isArray(input) || input.length !== IMAGE_PIXELS) throw new UserError(msg('predict.theInputNotImage'));
  // Looked inside on what the model reads (input-prep.ts): the deskewed digit for a deskewing model.
  const seen = prepareSample(model, Uint8Array.from(input, (v) => Math.min(255, Math.max(0, Number(v) || 0))));
  return { ...inspectLoaded(model, seen), seen: Buffer.from(seen).toString('base64') };
}

/** Batch prediction of a whole dataset file (batch-predict.ts); readings go out through hooks.onRows. */
export async function predictFile(modelDir: string, datasetFile: string, hooks: PredictFileHooks): Promise<{ count: number; helper: boolean }> {
  const model = await cachedModel(modelDir);
  const { info } = await loadTf();
  return predictDatasetFile(model, datasetFile, info.kind, hooks);
}

export async function evaluate(
  modelDir: string,
  datasetFiles: string[],
  hooks: { onProgress?(done: number, total: number): void; shouldStop?(): boolean } = {},
): Promise<EvaluationResult> {
  const model = await cachedModel(modelDir);
  const datasets: Dataset[] = [];
  for (const file of datasetFiles) datasets.push(await loadDatasetFile(file));
  const total = datasets.reduce((n, ds) => n + ds.count, 0);
  hooks.onProgress?.(0, total);
  const parts = [];
  let before = 0;
  for (let f = 0; f < datasets.length; f++) {
    const ds = datasets[f]!;
    const { probabilities } = await predictDatasetInSteps(model, ds, {
      onProgress: (done) => hooks.onProgress?.(before + done, total),
      shouldStop: hooks.shouldStop,
    });
    before += ds.count;
    parts.push({ fileIndex: f, labels: ds.labels, pixels: ds.pixels, probabilities });
  }
  const result = evaluateParts(parts);
  if (result.count === 0) throw new UserError(msg('eval.noSamples'));
  return result;
}

function labelledOnly(ds: Dataset): Dataset {
  const keep: number[] = [];
  for (let i = 0; i < ds.count; i++) if (ds.labels[i]! >= 0) keep.push(i);
  return keep.length === ds.count ? ds : subsetDataset(ds, keep);
}

export async function train(
  req: TrainRequest,
  emit: (e: TrainEvent) => void,
  shouldStop: () => boolean,
): Promise<TrainOutcome> {
  const { info } = await loadTf();
  emit({ runId: req.runId, kind: 'status', message: msg('train.status.loading', { backend: info.label }) });
  const datasets: Dataset[] = [];
  for (const file of req.datasetFiles) datasets.push(await loadDatasetFile(file));
  const all = labelledOnly(combineDatasets(datasets));
  if (all.count < 10) throw new UserError(msg('train.notEnough', { count: all.count }));
  const { train, val } = splitStratified(all, req.valSplit, req.seed);
  let base: LayersModel | null = null;
  if (req.baseModelDir) base = (await loadModel(req.baseModelDir)).model;
  // Fine-tuning: a share of MNIST replayed in the training set (never in validation), so it doesn't forget.
  const replay = base && req.replay ? await mixReplay(train, req.replay, req.seed) : null;
  let mnistBefore: number | null = null;
  if (base && replay) {
    mnistBefore = req.replay?.baselineTestAccuracy ?? null;
    if (mnistBefore === null) {
      emit({ runId: req.runId, kind: 'status', message: msg('train.status.mnistBefore') });
      mnistBefore = await mnistTestAccuracy(base, req.replay ?? null);
    }
  }
  emit({
    runId: req.runId,
    kind: 'status',
    message: replay
      ? msg('train.status.trainingReplay', { train: train.count, replayed: replay.replayed, val: val.count, backend: info.label })
      : msg('train.status.training', { train: train.count, val: val.count, backend: info.label }),
  });
  const method = base ? FINETUNE_METHOD : DEFAULT_METHOD;
  // Fine-tuning keeps the base model's input preparation; a new model takes the method's (input-prep.ts).
  if (base ? inputPrepOf(base).deskew : method.deskew) {
    emit({ runId: req.runId, kind: 'status', message: msg(base ? 'train.status.deskewBase' : 'train.status.deskew') });
  }
  const result = await trainModel(
    replay?.mixed ?? train,
    val,
    {
      arch: req.model,
      epochs: req.epochs,
      batchSize: req.batchSize,
      learningRate: req.learningRate,
      augment: req.augment,
      seed: req.seed,
      freezeFeatures: req.freezeFeatures,
      earlyStopping: req.earlyStopping,
      // How the recipe trains, which the request does not carry (preload/recipe.ts).
      ...method,
      timeBudgetSec: req.timeBudgetSec,
    },
    {
      onBatch: (point, progress, imagesPerSec, etaSec) =>
        emit({ runId: req.runId, kind: 'batch', point, progress, imagesPerSec, etaSec }),
      onEpoch: (point) => emit({ runId: req.runId, kind: 'epoch', point }),
      onStatus: (message) => emit({ runId: req.runId, kind: 'status', message }),
      shouldStop,
    },
    base,
  );
  if (result.model && result.metrics && replay) {
    emit({ runId: req.runId, kind: 'status', message: msg('train.status.mnistAfter') });
    result.metrics.mnistTestAccuracy = await mnistTestAccuracy(result.model, req.replay ?? null);
    result.metrics.baselineMnistTestAccuracy = mnistBefore;
    result.metrics.replayed = replay.replayed;
  }
  let modelSaved = false;
  if (result.model) {
    emit({ runId: req.runId, kind: 'status', message: msg('train.status.saving') });
    const arch = base ? inferArch(base) : req.model;
    await saveModel(result.model, req.outDir, {
      format: 'digit-studio-model',
      version: 1,
      name: req.name,
      arch,
      architecture: ARCH_DESCRIPTIONS[arch],
      createdAt: new Date().toISOString(),
      backend: info.label,
      trainedOn: req.trainedOn,
      ...(req.trainedOnDatasetIds ? { trainedOnDatasetIds: req.trainedOnDatasetIds } : {}),
      dataset: { trainCount: train.count, valCount: val.count, perClass: countPerClass(all) },
      metrics: result.metrics,
      baseModelId: req.baseModelId,
      runId: req.runId,
    });
    modelSaved = true;
    result.model.dispose();
  }
  return {
    state: result.state,
    modelSaved,
    metrics: result.metrics,
    epochs: result.epochs,
    stoppedEarly: result.stoppedEarly,
    backend: info,
    trainCount: train.count,
    valCount: val.count,
    ...(result.metricsValCount !== undefined ? { metricsValCount: result.metricsValCount } : {}),
    perClass: countPerClass(all),
  };
}

function inferArch(model: LayersModel): 'seed' | 'default' {
  return model.name.includes('seed') ? 'seed' : 'default';
}
