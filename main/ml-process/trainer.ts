// The training loop (runs inside the ML process). A hand-written loop rather than model.fit: it
// lets us freeze layers cleanly (frozen batch-norm layers stay in inference mode), check every
// batch for NaN/Inf, stop within one batch on cancel, keep the best weights by validation accuracy (ties: lower loss),
// and report throttled progress, all with seeded, reproducible randomness.
import type { LayersModel, Tensor, Variable } from '@tensorflow/tfjs';
import type { BatchPoint, EpochPoint, ModelArch, RunMetrics, TaskProgress } from '../../preload/contract';
import type { Dataset } from '../data/dataset';
import { seededRandom, subsetDataset } from '../data/dataset-ops';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { DEFAULT_METHOD, DEFAULT_RECIPE, type Recipe, type TrainingMethod } from '../../preload/recipe';
import { type AugmentStyle, type Batch, BatchSource } from './batch-source';
import { BatchStepper, MIN_SPLIT } from './batch-step';
import { profiler } from './profile';
import { type Schedule, learningRateAt } from './schedule';
import { tf } from './backend';
import { buildModel, isFeatureLayer } from './models';
import { type LossOptions, Replica, replicaWorthwhile } from './replica';
import { resolveWorkerEntry } from '../util/ml-entry';
import { loadTf } from './backend';
import { predictDataset } from './predict-dataset';
import { prepareTraining } from './input-prep';
// Where evaluation lived before it had a file of its own; callers still import it from here.
export { EvaluationCanceled, predictDataset, predictDatasetInSteps, type EvalOutput } from './predict-dataset';

export interface TrainConfig {
  arch: ModelArch;
  epochs: number;
  batchSize: number;
  learningRate: number;
  augment: boolean;
  seed: number;
  freezeFeatures: boolean;
  earlyStopping: boolean;
  /** Epochs without a better validation result (see `isBetter`) before stopping early. */
  patience?: number;
  /** Minimum time between batch reports. */
  batchReportMs?: number;
  /** The learning-rate schedule (./schedule.ts); the recipe's when not given. */
  schedule?: Schedule;
  /** How training images are augmented when `augment` is on; the recipe's when not given. */
  augmentStyle?: AugmentStyle;
  /** Label smoothing of the loss; the recipe's when not given. */
  labelSmoothing?: number;
  /** A new model learns on, and is fed, deskewed samples (input-prep.ts); the recipe's when not given. Fine-tuning keeps the base model's. */
  deskew?: boolean;
  /**
   * Seconds of training (validation excluded) after which the run ends at the next batch, like a
   * finished run; a one-cycle schedule is compressed to end by then. 0 or absent: no limit.
   */
  timeBudgetSec?: number;
}

/** The one default recipe (preload/recipe.ts) as the trainer's configuration. */
export function configFromRecipe(r: Recipe = DEFAULT_RECIPE, m: TrainingMethod = DEFAULT_METHOD): TrainConfig {
  return {
    arch: r.model,
    epochs: r.epochs,
    batchSize: r.batchSize,
    learningRate: r.learningRate,
    augment: r.augment,
    seed: r.seed,
    freezeFeatures: false,
    earlyStopping: r.earlyStopping,
    ...m,
  };
}

export interface TrainCallbacks {
  onBatch?(point: BatchPoint, progress: TaskProgress, imagesPerSec: number, etaSec: number): void;
  onEpoch?(point: EpochPoint): void;
  onStatus?(message: string): void;
  /** Polled before every batch: true stops the run, keeping the best model so far. */
  shouldStop?(): boolean;
  /** After each complete epoch, with the model as it is: true ends the run there (the bench stops at a mark). */
  afterEpoch?(model: LayersModel, point: EpochPoint): boolean;
}

export interface TrainResult {
  /** The model holding the best weights seen (by `isBetter`), or null if there are none. */
  model: LayersModel | null;
  state: 'succeeded' | 'canceled';
  metrics: RunMetrics | null;
  epochs: EpochPoint[];
  stoppedEarly: boolean;
  bestEpoch: number | null;
  /** Validation samples the metrics were measured on, when fewer than the whole set (a cancel). */
  metricsValCount?: number;
}

/**
 * After a cancel before any epoch was complete, the partial weights are measured on at most this
 * many validation samples (well under a second), so stopping and saving stay quick on any set.
 */
export const CANCEL_VALIDATION_SAMPLES = 1000;

/** Training stopped because the loss stopped being a number: nothing is saved. */
export class TrainingDiverged extends UserError {
  constructor(epoch: number, step: number, value: number) {
    super(msg('train.diverged', { what: Number.isNaN(value) ? msg('train.nan') : msg('train.infinite'), epoch, batch: step }));
    this.name = 'TrainingDiverged';
  }
}


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
 * Which epoch's weights to keep: the higher validation accuracy, ties broken by the lower loss.
 * Accuracy, not loss, because accuracy is what the user is shown and asked for: with label smoothing
 * and a one-cycle schedule the loss can tick up in the last epochs while accuracy still climbs (the
 * base model's run: epoch 6 had the lowest validation loss at 99.47%, epoch 7 reached 99.55%).
 */
export function isBetter(v: { loss: number; accuracy: number }, best: { valLoss: number; valAccuracy: number }): boolean {
  return v.accuracy > best.valAccuracy || (v.accuracy === best.valAccuracy && v.loss < best.valLoss);
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

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
  let step = 0;
  let canceled = false;
  let metricsValCount: number | undefined;
  let stoppedEarly = false;
  let outOfTime = false;
  let sinceBest = 0;
  let lastReport = 0;
  const runStart = performance.now();
  let trainSeconds = 0;
  const budget = config.timeBudgetSec ?? 0;
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
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      let batch = source.fill(0);
      for (let b = 0; b < batchesPerEpoch; b++) {
        if (cb.shouldStop?.()) {
          canceled = true;
          break;
        }
        if (budget > 0 && trainSeconds >= budget) {
          outOfTime = true;
          cb.onStatus?.(msg('train.status.budget', { seconds: budget }));
          break;
        }
        if (schedule === 'onecycle') {
          // With a time budget the schedule runs on whichever ends first, steps or time, so the
          // rate has come down by the end either way.
          const p = Math.max(step / totalBatches, budget > 0 ? trainSeconds / budget : 0);
          setRate(learningRateAt('onecycle', config.learningRate, Math.min(1, p)));
        }
        const n = batch.n;
        const batchStart = performance.now();
        // The next batch is made while this thread would wait for the replica (or right after).
        let upcoming: Batch | null = null;
        const makeNext = () => {
          if (!upcoming && b + 1 < batchesPerEpoch) upcoming = source.fill(b + 1);
        };
        const r = await stepper.step(batch.x, batch.labels, n, (config.seed + step * 7919) >>> 0, makeNext);
        const loss = Number.isFinite(r.raw) ? r.loss : r.raw;
        const acc = r.accuracy;
        makeNext();
        trainSeconds += (performance.now() - batchStart) / 1000;
        step++;
        if (!Number.isFinite(loss)) throw new TrainingDiverged(epoch, b + 1, loss);
        lossSum += loss * n;
        accSum += acc * n;
        seen += n;
        const now = performance.now();
        if (cb.onBatch && (now - lastReport >= reportMs || b === batchesPerEpoch - 1)) {
          lastReport = now;
          const elapsed = (now - epochStart) / 1000;
          const perBatch = (now - runStart) / 1000 / step;
          cb.onBatch(
            { step, epoch, loss, accuracy: acc },
            { done: step, total: totalBatches, unit: 'batches' },
            elapsed > 0 ? seen / elapsed : 0,
            Math.max(0, (totalBatches - step) * perBatch),
          );
        }
        const endYield = prof.start('yield to events');
        await yieldToEvents();
        endYield();
        if (upcoming) batch = upcoming;
      }
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
