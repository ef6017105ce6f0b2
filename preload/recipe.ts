// The one definition of how Digit Studio trains: the default recipe, the fine-tuning recipe and the
// limits on every training setting. The app (renderer form and IPC validation), the CLI, the ML
// process and the benchmarks all read these, so `digit-studio train` with no options gives what the
// app gives. Like the contract, this file imports nothing: the renderer compiles it too.
import type { ModelArch } from './contract';

/** Limits on training settings, the same in the app, over IPC and in the CLI. */
export const TRAIN_LIMITS = {
  valSplit: { min: 0.05, max: 0.5 },
  epochs: { min: 1, max: 200 },
  batchSize: { min: 8, max: 1024 },
  /** Exclusive minimum 0; above 1 every model here diverges. */
  learningRate: { min: 1e-7, max: 1 },
  seed: { min: 0, max: 0xffff_ffff },
} as const;

export interface Recipe {
  model: ModelArch;
  epochs: number;
  batchSize: number;
  learningRate: number;
  augment: boolean;
  valSplit: number;
  seed: number;
  earlyStopping: boolean;
}

// Measured to reach 99.1% on 2,000 held-out MNIST digits (scripts/bench/train.ts): 20 epochs at
// batch 64, learning rate 0.002 with a cosine schedule, mild augmentation.
export const DEFAULT_RECIPE: Readonly<Recipe> = {
  model: 'default',
  epochs: 20,
  batchSize: 64,
  learningRate: 0.002,
  augment: true,
  valSplit: 0.1,
  seed: 42,
  earlyStopping: true,
};

/** Fine-tuning a saved model on a small set of someone's handwriting. */
export const FINETUNE_RECIPE: Readonly<Recipe> = {
  ...DEFAULT_RECIPE,
  epochs: 8,
  learningRate: 0.0003,
};
