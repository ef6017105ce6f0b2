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
  /**
   * Fine-tuning only: MNIST training digits mixed into the training set (at the dataset level, so
   * every shuffled batch holds a share of them), per sample of the user's, so the model keeps what
   * it knew. At least `replayMin` are mixed in. Absent: none.
   */
  replayPerSample?: number;
  replayMin?: number;
}

/**
 * How the engine trains, beyond the settings a person picks (kept apart from Recipe, whose fields
 * are exactly the app's training form and its IPC arguments).
 */
export interface TrainingMethod {
  /**
   * Learning-rate schedule: 'onecycle' warms up to learningRate over the first quarter and anneals
   * to almost 0 (per batch); 'cosine' anneals to 5% (per epoch); 'constant'.
   */
  schedule: 'onecycle' | 'cosine' | 'constant';
  /** With augment: 'shift' moves each image up to ±2 px; 'distort' adds rotation, scale and elastic warps. */
  augmentStyle: 'shift' | 'distort';
  /** Label smoothing of the cross-entropy (0 = none). */
  labelSmoothing: number;
  /**
   * Train a new model on deskewed digits (MNIST-style moment deskewing), and feed it deskewed input
   * ever after: recorded in the model's metadata.json (`input.deskew`), applied by the ML process and
   * the exports. Fine-tuning ignores this and keeps the base model's: a model's input preparation is
   * fixed once it is trained. Chosen by scripts/bench/recognition.ts (BENCH_RECOG=deskew).
   */
  deskew: boolean;
}

// The batch-norm CNN with the strong PyTorch recipe's training (one-cycle to 0.003, ±2 px shifts,
// label smoothing 0.1, batch 128: two ghost batches of 64 for batch norm). Epochs chosen on a
// validation split of the 60,000 MNIST training digits (scripts/bench/train.ts, mnist60k_*).
export const DEFAULT_RECIPE: Readonly<Recipe> = {
  model: 'default',
  epochs: 8,
  batchSize: 128,
  learningRate: 0.003,
  augment: true,
  valSplit: 0.1,
  seed: 42,
  earlyStopping: true,
};

/** How DEFAULT_RECIPE trains. */
export const DEFAULT_METHOD: Readonly<TrainingMethod> = {
  schedule: 'onecycle',
  augmentStyle: 'shift',
  labelSmoothing: 0.1,
  deskew: true,
};

/**
 * Fine-tuning a saved model (usually the shipped base model) on 100–2,000 samples of someone's
 * handwriting, with no tuning: augmentation, enough passes for a small set, and as many MNIST
 * digits replayed as the user has samples (at least 500), so MNIST accuracy stays where it was.
 * Measured by scripts/bench/recognition.ts on proxy writers (transformed MNIST test digits).
 * Epochs and learning rate chosen there (BENCH_RECOG=choosefinetune, on 2,000 other digits in the
 * proxy's hand, never the reported ones, and on MNIST training digits it wasn't tuned on, for
 * forgetting), with the deskewing base model: 20 epochs at 7e-4 read the hand at 98.65% and kept
 * MNIST at 99.70% (15 at 5e-4: 98.30% / 99.75%; 20 at 1e-3: 98.65% but MNIST 99.50%, also with
 * three replayed digits per sample; 30 at 1e-3: 98.65% / 99.40%).
 */
export const FINETUNE_RECIPE: Readonly<Recipe> = {
  ...DEFAULT_RECIPE,
  epochs: 20,
  batchSize: 64,
  learningRate: 0.0007,
  earlyStopping: false,
  replayPerSample: 1,
  replayMin: 500,
};

/** How FINETUNE_RECIPE trains: gently, on varied distortions of a few hundred samples. */
export const FINETUNE_METHOD: Readonly<TrainingMethod> = {
  schedule: 'cosine',
  augmentStyle: 'distort',
  labelSmoothing: 0.1,
  // Never used to choose: fine-tuning keeps the base model's own input preparation
  // (main/ml-process/input-prep.ts prepareTraining); the same value as DEFAULT_METHOD for clarity.
  deskew: DEFAULT_METHOD.deskew,
};
