// What a training run is given and gives back (./trainer.ts runs it): its configuration (the
// recipe's by default), callbacks, result, and the rules every run follows: which epoch is kept
// (`isBetter`), how a diverged run ends, how much of the validation set a cancel measures.
import type { BatchPoint, EpochPoint, ModelArch, RunMetrics, TaskProgress } from '../../preload/contract';
import type { LayersModel } from '@tensorflow/tfjs';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { DEFAULT_METHOD, DEFAULT_RECIPE, type Recipe, type TrainingMethod } from '../../preload/recipe';
import type { AugmentStyle } from './batch-source';
import type { Schedule } from './schedule';

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

/**
 * Which epoch's weights to keep: the higher validation accuracy, ties broken by the lower loss.
 * Accuracy, not loss, because accuracy is what the user is shown and asked for: with label smoothing
 * and a one-cycle schedule the loss can tick up in the last epochs while accuracy still climbs (the
 * base model's run: epoch 6 had the lowest validation loss at 99.47%, epoch 7 reached 99.55%).
 */
export function isBetter(v: { loss: number; accuracy: number }, best: { valLoss: number; valAccuracy: number }): boolean {
  return v.accuracy > best.valAccuracy || (v.accuracy === best.valAccuracy && v.loss < best.valLoss);
}
