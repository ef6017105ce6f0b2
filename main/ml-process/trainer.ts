// The training loop (runs inside the ML process). A hand-written loop rather than model.fit: it
// lets us freeze layers cleanly (frozen batch-norm layers stay in inference mode), check every
// batch for NaN/Inf, stop within one batch on cancel, keep the best weights by validation accuracy (ties: lower loss),
// and report throttled progress, all with seeded, reproducible randomness. This file runs the
// epochs (validation, the kept epoch, early stopping); one epoch's steps are ./epoch-steps.ts, the
// configuration, callbacks and result ./train-config.ts.
import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import type { EpochPoint } from '../../preload/contract';
import type { Dataset } from '../data/dataset';
import { seededRandom, subsetDataset } from '../data/dataset-ops';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { DEFAULT_METHOD } from '../../preload/recipe';
import { BatchSource } from './batch-source';
import { BatchStepper, MIN_SPLIT } from './batch-step';
import { type RunClock, runEpochSteps } from './epoch-steps';
import { profiler } from './profile';
import { learningRateAt } from './schedule';
import {
  CANCEL_VALIDATION_SAMPLES,
  type TrainCallbacks,
  type TrainConfig,
  type TrainResult,
  TrainingDiverged,
  isBetter,
} from './train-config';
import { tf } from './backend';
import { buildModel, isFeatureLayer } from './models';
import { type LossOptions, Replica, replicaWorthwhile } from './replica';
import { resolveWorkerEntry } from '../util/ml-entry';
import { loadTf } from './backend';
import { predictDataset } from './predict-dataset';
import { prepareTraining } from './input-prep';
// Where evaluation lived before it had a file of its own; callers still import it from here.
export { EvaluationCanceled, predictDataset, predictDatasetInSteps, type EvalOutput } from './predict-dataset';
// The run's configuration, callbacks and result have a file of their own; callers import them from here.
export {
  CANCEL_VALIDATION_SAMPLES,
  type TrainCallbacks,
  type TrainConfig,
  type TrainResult,
  TrainingDiverged,
  configFromRecipe,
  isBetter,
} from './train-config';

/** Replaces Math.random while `fn` runs: tfjs's initializers and dropout draw from it. */
async function withSeed<T>(seed: number, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  Math.random = seededRandom(seed ^ 0x5bd1e995);
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

/**
 * Trains on `train`, validating on `val` after every epoch. With `base`, fine-tunes that model (and
 * reports its validation accuracy before training as the baseline). The returned model holds the
 * best weights; on divergence TrainingDiverged is thrown and nothing is returned.
 */
export async function trainModel(
  train: Dataset,
  val: Dataset,
  config: TrainConfig,
  callbacks: TrainCallbacks = {},
  base: LayersModel | null = null,
): Promise<TrainResult> {
  if (train.count === 0) throw new UserError(msg('train.noTrainingSamples'));
  return withSeed(config.seed, () => runTraining(train, val, config, callbacks, base));
}

async function runTraining(
  train: Dataset,
  val: Dataset,
  config: TrainConfig,
  cb: TrainCallbacks,
  base: LayersModel | null,
): Promise<TrainResult> {
  const t = tf();
  const rand = seededRandom(config.seed);
  const model = base ?? buildModel(config.arch);
  train = prepareTraining(model, base, config.deskew ?? DEFAULT_METHOD.deskew, train);
  const frozen = Boolean(base && config.freezeFeatures);
  for (const layer of model.layers) layer.trainable = !(frozen && isFeatureLayer(layer.getClassName()));
  const vars = model.trainableWeights.map((w) => w.read() as Variable);
  const optimizer = t.train.adam(config.learningRate);
  const setRate = (lr: number) => ((optimizer as unknown as { learningRate: number }).learningRate = lr);
  const schedule = config.schedule ?? DEFAULT_METHOD.schedule;
  const augmentStyle = config.augmentStyle ?? DEFAULT_METHOD.augmentStyle;
  const loss: LossOptions = { labelSmoothing: config.labelSmoothing ?? DEFAULT_METHOD.labelSmoothing };
  const batchSize = Math.max(1, Math.min(config.batchSize, train.count));
  const batchesPerEpoch = Math.ceil(train.count / batchSize);
  const totalBatches = batchesPerEpoch * config.epochs;
  const patience = config.patience ?? 3;
  const reportMs = config.batchReportMs ?? 250;

  let baseline: number | null = null;
  if (base && val.count) {
    cb.onStatus?.(msg('train.status.baseline'));
    baseline = predictDataset(model, val).accuracy;
  }


  const source = new BatchSource(train, batchSize, rand, config.augment ? augmentStyle : null);
  const epochs: EpochPoint[] = [];
  let best: { weights: Tensor[]; epoch: number; valLoss: number; valAccuracy: number; point: EpochPoint } | null = null;
  let canceled = false;
  let metricsValCount: number | undefined;
  let stoppedEarly = false;
  let outOfTime = false;
  let sinceBest = 0;
  const clock: RunClock = { step: 0, trainSeconds: 0, budget: config.timeBudgetSec ?? 0, runStart: performance.now(), lastReport: 0 };
  const prof = profiler();

  const snapshot = (epoch: number, valLoss: number, valAccuracy: number, point: EpochPoint) => {
    best?.weights.forEach((w) => w.dispose());
    best = { weights: model.getWeights().map((w) => t.keep(w.clone())), epoch, valLoss, valAccuracy, point };
  };
  const beatsBest = (v: { loss: number; accuracy: number }) =>
    !best || isBetter(v, best as { valLoss: number; valAccuracy: number });

  // Started last, so nothing before the try below can leave its thread running.
  const useReplica = replicaWorthwhile((await loadTf()).info.kind) && batchSize >= 2 * MIN_SPLIT;
  const replica = useReplica
    ? await Replica.start(resolveWorkerEntry(), model, loss).catch((err: Error) => {
        cb.onStatus?.(msg('train.status.oneCore', { cause: err.message }));
        return null;
      })
    : null;
  const stepper = new BatchStepper(model, vars, optimizer, loss, replica, (m) => cb.onStatus?.(m));

  try {
    for (let epoch = 1; epoch <= config.epochs && !canceled && !outOfTime; epoch++) {
      source.shuffle();
      if (schedule === 'cosine') setRate(learningRateAt('cosine', config.learningRate, config.epochs > 1 ? (epoch - 1) / (config.epochs - 1) : 0));
      const epochStart = performance.now();
      prof.reset();
      const run = await runEpochSteps({ epoch, source, stepper, config, cb, clock, totalBatches, batchesPerEpoch, setRate, schedule, reportMs, epochStart });
      const { lossSum, accSum, seen } = run;
      canceled = run.canceled;
      outOfTime = run.outOfTime;
      if (prof.enabled) process.stderr.write(`${prof.table(`epoch ${epoch}, ${stepper.threads} thread(s), ${((performance.now() - epochStart) / 1000).toFixed(1)} s`)}\n`);
      if ((canceled || outOfTime) && seen === 0) break;
      // Canceled with a measured epoch kept: keep it as it is. Measuring the partial epoch would take
      // a full validation pass, the slowest thing left, while the user waits for the save.
      if (canceled && best) {
        cb.onStatus?.(msg('train.status.canceledKeep', { epoch: (best as { epoch: number }).epoch }));
        break;
      }
      // Canceled in the first epoch: the partial weights, measured on a bounded part of the validation set.
      let measuredVal = val;
      if (canceled && val.count > CANCEL_VALIDATION_SAMPLES) {
        measuredVal = subsetDataset(val, Array.from({ length: CANCEL_VALIDATION_SAMPLES }, (_, i) => i));
        metricsValCount = CANCEL_VALIDATION_SAMPLES;
        cb.onStatus?.(
          msg('train.status.canceledMeasure', { count: CANCEL_VALIDATION_SAMPLES.toLocaleString('en-US'), total: val.count.toLocaleString('en-US') }),
        );
      }
      const seconds = (performance.now() - epochStart) / 1000;
      const v = measuredVal.count ? predictDataset(model, measuredVal) : { loss: lossSum / seen, accuracy: accSum / seen };
      if (!Number.isFinite(v.loss)) throw new TrainingDiverged(epoch, batchesPerEpoch, v.loss);
      const point: EpochPoint = {
        epoch,
        loss: lossSum / seen,
        accuracy: accSum / seen,
        valLoss: v.loss,
        valAccuracy: v.accuracy,
        imagesPerSec: seen / seconds,
        seconds,
      };
      if (canceled) {
        // A partial epoch: keep these weights only if they beat the best complete epoch.
        if (beatsBest(v)) snapshot(epoch, v.loss, v.accuracy, point);
        break;
      }
      epochs.push(point);
      cb.onEpoch?.(point);
      if (outOfTime) stoppedEarly = true;
      if (cb.afterEpoch?.(model, point)) {
        stoppedEarly = true;
        cb.onStatus?.(msg('train.status.stopAsked', { epoch }));
        outOfTime = true;
      }
      if (beatsBest(v)) {
        snapshot(epoch, v.loss, v.accuracy, point);
        sinceBest = 0;
      } else if (config.earlyStopping && ++sinceBest >= patience && epoch < config.epochs) {
        stoppedEarly = true;
        cb.onStatus?.(msg('train.status.early', { patience }));
        break;
      }
    }
  } catch (err) {
    await stepper.stop();
    const b = best as { weights: Tensor[] } | null;
    b?.weights.forEach((w) => w.dispose());
    optimizer.dispose();
    if (!base) model.dispose();
    throw err;
  }
  await stepper.stop();
  optimizer.dispose();
  const kept = best as { weights: Tensor[]; epoch: number; point: EpochPoint } | null;
  if (!kept) {
    if (!base) model.dispose();
    return { model: null, state: canceled ? 'canceled' : 'succeeded', metrics: null, epochs, stoppedEarly, bestEpoch: null };
  }
  model.setWeights(kept.weights);
  kept.weights.forEach((w) => w.dispose());
  return {
    model,
    state: canceled ? 'canceled' : 'succeeded',
    metrics: {
      trainAccuracy: kept.point.accuracy,
      trainLoss: kept.point.loss,
      valAccuracy: kept.point.valAccuracy,
      valLoss: kept.point.valLoss,
      baselineValAccuracy: baseline,
    },
    epochs,
    stoppedEarly,
    bestEpoch: kept.epoch,
    ...(metricsValCount !== undefined ? { metricsValCount } : {}),
  };
}
