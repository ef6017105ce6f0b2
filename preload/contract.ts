// THE contract between the renderer and the main side. Every call and every pushed event is listed
// here, and main (handlers), preload (bridge), the WebSocket test harness and the renderer all type
// against it. Nothing in this file may import Node or Electron: the renderer compiles it too.
//
// Conventions
// - A call takes at most one argument, a plain object, so it can be validated field by field and
//   sent unchanged over Electron IPC or JSON (the end-to-end harness).
// - Pixel data crosses as base64 strings, never typed arrays, for the same reason.
// - Long work (import, training, evaluation) is a Task: it is returned at once, and its later states
//   arrive as `task` events. Task ids are stable, so a reloaded renderer can reattach.
// - File paths never come from the renderer, except through the preload's drop helpers, which take
//   real dropped File objects (a File made in the page has no path and is refused).

import { DEFAULT_RECIPE } from './recipe';

/** Which TensorFlow backend runs the model, and why. Shown plainly: never silently slow. */
export interface BackendInfo {
  kind: 'tensorflow' | 'wasm' | 'cpu';
  /** For people: "native TensorFlow" or "WebAssembly (WASM)". */
  label: string;
  /** Why this one: "native module loaded", "WASM: native module not installed", ... */
  reason: string;
}

export interface AppInfo {
  name: string;
  version: string;
  /** null until the ML process has started and reported its backend. */
  backend: BackendInfo | null;
  dataDir: string;
  platform: string;
  credits: string[];
}

// ---------------------------------------------------------------------------------------------
// Data

export type SourceKind = 'starter' | 'csv' | 'idx' | 'zip' | 'folder' | 'custom' | 'sheet';

export interface SkippedItem {
  /** The file (or `file:row N`, `archive.zip!0/a.png`) that was skipped. */
  file: string;
  reason: string;
}

export interface ImportReport {
  count: number;
  /** Ten numbers: samples per digit. */
  perClass: number[];
  skipped: SkippedItem[];
  /** Total skipped, which may exceed skipped.length when the list was capped. */
  skippedCount: number;
}

export interface DatasetSummary {
  id: string;
  name: string;
  kind: SourceKind;
  /** Where it came from: a file or folder path, or "built-in". */
  origin: string;
  count: number;
  perClass: number[];
  /** false for unlabelled data such as Kaggle's test.csv: usable for prediction only. */
  labelled: boolean;
  /** Whether it goes into training. */
  included: boolean;
  createdAt: string;
  report: ImportReport;
  // --- Built-in data (issue 11): the MNIST test set is for evaluation ---
  /**
   * 'test' marks a set kept for evaluation (the built-in "MNIST test set (10,000)"): it is not in
   * training by default, the Train page doesn't preselect it, and Evaluate picks it by default.
   * Absent for every other dataset.
   */
  role?: 'test';
}

export interface SampleImage {
  index: number;
  /** -1 when unlabelled. */
  label: number;
  /** base64 of 784 bytes, row-major 28×28, 0 = background, 255 = ink. */
  pixels: string;
  source: string;
}

export interface SampleDetail extends SampleImage {
  /** data: URL of the original picture when it can still be read, else null. */
  original: string | null;
}

export interface SamplePage {
  total: number;
  samples: SampleImage[];
}

// ---------------------------------------------------------------------------------------------
// Tasks (long jobs)

export type TaskKind = 'import' | 'train' | 'evaluate' | 'predict';
export type TaskState = 'running' | 'succeeded' | 'failed' | 'canceled';

export interface TaskProgress {
  done: number;
  total: number;
  /** What is counted: "files", "rows", "batches", "images". */
  unit: string;
}

export interface Task {
  id: string;
  kind: TaskKind;
  title: string;
  state: TaskState;
  progress: TaskProgress | null;
  /** Latest human-readable status line. */
  message: string;
  /** Set when state is 'failed': what went wrong, naming the file where there is one. */
  error: string | null;
  startedAt: string;
  endedAt: string | null;
  /** The dataset, run or evaluation this task produced. */
  resultId: string | null;
}

// ---------------------------------------------------------------------------------------------
// Training

/** 'seed' is the original notebook's CNN; 'default' is the stronger one chosen by measurement. */
export type ModelArch = 'seed' | 'default';

export interface TrainSettings {
  datasetIds: string[];
  /** Fraction held out for validation, stratified and seeded. 0.05–0.5. */
  valSplit: number;
  model: ModelArch;
  epochs: number;
  batchSize: number;
  learningRate: number;
  augment: boolean;
  seed: number;
  /** Fine-tune from this model instead of starting fresh. */
  baseModelId: string | null;
  /** With a base model: keep the convolutional layers' weights fixed. */
  freezeFeatures: boolean;
  earlyStopping: boolean;
  name: string;
}

export interface BatchPoint {
  /** Batches done since the run started. */
  step: number;
  epoch: number;
  loss: number;
  accuracy: number;
}

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  imagesPerSec: number;
  seconds: number;
}

export type TrainEvent =
  | {
      runId: string;
      kind: 'batch';
      point: BatchPoint;
      progress: TaskProgress;
      imagesPerSec: number;
      etaSec: number;
    }
  | { runId: string; kind: 'epoch'; point: EpochPoint }
  | { runId: string; kind: 'status'; message: string };

export interface RunMetrics {
  trainAccuracy: number;
  trainLoss: number;
  valAccuracy: number;
  valLoss: number;
  /** Fine-tuning: validation accuracy of the base model before training. */
  baselineValAccuracy: number | null;
  /** Fine-tuning: accuracy on the 10,000 MNIST test digits after training (so forgetting shows), and the base model's before. */
  mnistTestAccuracy?: number | null;
  baselineMnistTestAccuracy?: number | null;
  /** Fine-tuning: MNIST training digits mixed into the training samples. */
  replayed?: number;
}

export interface RunSummary {
  id: string;
  name: string;
  settings: TrainSettings;
  state: TaskState;
  startedAt: string;
  endedAt: string | null;
  backend: string;
  /** The saved model (the best so far when canceled), or null. */
  modelId: string | null;
  metrics: RunMetrics | null;
  error: string | null;
  /** The task driving it while it runs. */
  taskId: string | null;
}

export interface RunDetail extends RunSummary {
  batches: BatchPoint[];
  epochs: EpochPoint[];
}

export interface ModelSummary {
  id: string;
  name: string;
  arch: ModelArch;
  createdAt: string;
  valAccuracy: number | null;
  /** e.g. "10,000 samples from MNIST starter, my-digits.zip" */
  trainedOn: string;
  backend: string;
  baseModelId: string | null;
  active: boolean;
  /** The base model shipped with the app: read-only (it can't be deleted or replaced). */
  builtIn?: boolean;
  // --- What the model was trained on (issue 16) ---
  /** Ids of the datasets it learnt from, its base model's included; absent when not known. */
  trainedOnDatasetIds?: string[];
  // --- Input preparation (issue 11) ---
  /** The model reads its digits deskewed (metadata.json input.deskew); absent: as they are. */
  deskew?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Evaluation and prediction

export interface ClassMetrics {
  precision: number;
  recall: number;
  support: number;
}

export interface Misclassified {
  datasetId: string;
  index: number;
  label: number;
  predicted: number;
  probabilities: number[];
  pixels: string;
  /** What the model read (base64) when it deskews its input (issue 11); absent: `pixels` themselves. */
  seen?: string;
}

export interface Evaluation {
  id: string;
  modelId: string;
  datasetIds: string[];
  accuracy: number;
  count: number;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted] */
  confusion: number[][];
  misclassified: Misclassified[];
  /** Samples read correctly, for the matrix's diagonal: per digit the least sure ones, at most 48. */
  correct: Misclassified[];
}

export interface Prediction {
  digit: number;
  confidence: number;
  probabilities: number[];
  /** base64 of the normalised 28×28 input (what is saved to a dataset, and sent to other models). */
  input: string;
  /** base64 of what the model read when it prepares its input (deskewing, issue 11); absent: `input` itself. */
  seen?: string;
  modelId: string;
}

export interface ImagePrediction extends Prediction {
  file: string;
  /** data: URL of the picture as opened (downscaled for display). */
  preview: string;
}

// ---------------------------------------------------------------------------------------------
// Batch prediction (issue 17): a whole dataset read by a model, the readings shown least sure
// first, corrected into the handwriting set (addCustomSample) and saved as CSV.

export interface BatchReading {
  /** The sample's index in its dataset. */
  index: number;
  /** Where it came from: "test.csv:row 12", a picture's path. */
  source: string;
  digit: number;
  confidence: number;
  probabilities: number[];
  /** base64 of the 784 normalised pixels the model read. */
  pixels: string;
  /** The dataset's own label (-1 when unlabelled): shown, never used for the reading. */
  label: number;
}

export interface BatchPrediction {
  id: string;
  modelId: string;
  modelName: string;
  datasetId: string;
  datasetName: string;
  count: number;
  /** Readings per digit. */
  perDigit: number[];
  /** Readings below 90% confidence: the ones worth a look. */
  unsure: number;
}

export interface BatchReadingPage {
  total: number;
  /** Least confident first. */
  readings: BatchReading[];
}

/** 'kaggle': exactly `ImageId,Label`; 'csv': source, digit, confidence, p0..p9. */
export type BatchSaveFormat = 'kaggle' | 'csv';

// Export and model import (issue 14). Paths come from native dialogs in main, never the renderer.

/** onnx: one .onnx file; tfjs: TensorFlow.js layers model (+ labels, metadata) as a zip; web: one .html page. */
export type ModelExportFormat = 'onnx' | 'tfjs' | 'web';
/** csv: Kaggle-style label,pixel0..pixel783; zip: PNG pictures in folders 0–9. */
export type DataExportFormat = 'csv' | 'zip';

export interface ExportOutcome {
  format: ModelExportFormat | DataExportFormat;
  /** Where it was written (chosen by the user in the save dialog). */
  path: string;
  bytes: number;
  /** Dataset exports: samples written, and unlabelled ones left out. */
  count: number | null;
  leftOut: number | null;
}

// ---------------------------------------------------------------------------------------------
// Reading whole numbers (issue 13): every digit in a picture or a wide drawing.

export interface NumberDigit {
  digit: number;
  confidence: number;
  probabilities: number[];
  /** [x, y, width, height] in the picture's pixels (see NumberReading.width/height). */
  box: [number, number, number, number];
  /** base64 of the normalised 28×28 input the model saw for this digit. */
  input: string;
  /** Line of the digit, 0 = top. */
  line: number;
}

export interface NumberReading {
  /** The digits read, lines separated by "\n". */
  text: string;
  /** The chance every digit is right (the product of the digits' confidences). */
  confidence: number;
  digits: NumberDigit[];
  /** The size of the picture the boxes refer to. */
  width: number;
  height: number;
  modelId: string;
  /** The picture's file name, or null for a drawing. */
  file: string | null;
  /** data: URL of the picture (downscaled), or null for a drawing. */
  preview: string | null;
}

// Sheets of handwriting (issue 13): a page of rows, each one digit written many times.

export type SheetPaper = 'a4' | 'letter';

export interface SheetCellReview {
  index: number;
  /** Row on the page, 0 = top. */
  row: number;
  /** The row's digit (from the row order). */
  label: number;
  /** base64 of the normalised 28×28 sample. */
  pixels: string;
  /** [x, y, width, height] in the picture's pixels. */
  box: [number, number, number, number];
  /** Why this cell looks doubtful (it starts unticked in the review), or null. */
  flag: string | null;
}

export interface SheetReview {
  id: string;
  file: string;
  order: string;
  /** data: URL of the page (downscaled). */
  preview: string;
  width: number;
  height: number;
  cells: SheetCellReview[];
  rows: { label: number; count: number }[];
  /** Rows that don't fit, in words. */
  problems: string[];
}


// ---------------------------------------------------------------------------------------------
// Make it yours (issue 18): a guided flow that collects the user's handwriting on the pad, checks
// the base model on a held-out part of it, fine-tunes (FINETUNE_RECIPE) and shows before and after.
// Its state lives in the data folder (main/guide/), so it survives restarts.

/** intro: not started; collect: drawing; check: the base model read the held-out samples; finetune: running; result: before and after. */
export type GuideStep = 'intro' | 'collect' | 'check' | 'finetune' | 'result';

/** One held-out sample as a model read it. */
export interface GuideReading {
  /** The sample's key in the flow (stable across restarts). */
  key: string;
  label: number;
  predicted: number;
  confidence: number;
  /** base64 of the 784 normalised pixels. */
  pixels: string;
}

/** A model's reading of the held-out samples (never used for fine-tuning). */
export interface GuideCheck {
  modelId: string;
  modelName: string;
  accuracy: number;
  count: number;
  readings: GuideReading[];
  /** Accuracy on the built-in MNIST test set (10,000 other people's digits), or null when unavailable. */
  mnistAccuracy: number | null;
}

export interface GuideResult {
  /** The fine-tuned model (in the model library; active only after "Use this model"). */
  modelId: string;
  modelName: string;
  before: GuideCheck;
  after: GuideCheck;
  /** Held-out samples the base model got wrong and the new one gets right, and the reverse. */
  fixed: string[];
  broken: string[];
  /** Samples the fine-tuning learnt from (none of them held out). */
  trainCount: number;
  /** Wall-clock seconds of the fine-tuning run (its own process: start, training, MNIST test digits, save). */
  seconds: number;
  active: boolean;
}

/**
 * Something the user should know, worded by the renderer in the user's language: the last fine-tune
 * did not finish (the app was closed), was cancelled or failed (`error`: main's own words, English),
 * or some drawings are no longer in the handwriting set.
 */
export type GuideNote =
  | { kind: 'interrupted' }
  | { kind: 'cancelled'; model: string }
  | { kind: 'failed'; model: string; error: string }
  | { kind: 'missing'; count: number };

/** What the running check or fine-tune is doing: the renderer says it in the user's language. */
export type GuidePhase = 'reading' | 'mnist' | 'starting' | 'training' | 'after';

export interface GuideState {
  step: GuideStep;
  /** Samples asked for per digit. */
  perDigit: number;
  /** Samples collected per digit (drawn here, plus the datasets added). */
  counts: number[];
  /** The digit the pad asks for now; null when every digit has its share. */
  prompt: number | null;
  /** Drawn samples that can be undone (the last one drawn is removed first). */
  drawn: number;
  /** Datasets added as other ways in (a folder of pictures, a sheet photo). */
  datasetIds: string[];
  /** Held-out samples per digit (chosen at the check, seeded and stratified). */
  heldOut: number;
  /** The model the flow starts from (the built-in base model when there is one). */
  baseModelId: string | null;
  baseModelName: string | null;
  check: GuideCheck | null;
  /** The running check or fine-tune task. */
  taskId: string | null;
  /** What that task is doing now (null when none runs). */
  phase: GuidePhase | null;
  result: GuideResult | null;
  /** Something the user should know (an interrupted or cancelled fine-tune), or null. */
  note: GuideNote | null;
  /** The user said "not now" on the first-start invitation. */
  dismissed: boolean;
}

// ---------------------------------------------------------------------------------------------
// Language and digits (issue 15). The app speaks English and Bengali; numbers may be shown with
// Bengali digits (০–৯) in either language.

export const LANGUAGES = ['en', 'bn'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DIGIT_STYLES = ['latin', 'bengali'] as const;
export type DigitStyle = (typeof DIGIT_STYLES)[number];

export interface UiSettings {
  /** null until the user chooses: the system's locale decides ('bn' when it starts with bn). */
  language: Language | null;
  /** null until the user chooses: Bengali digits when the language is Bengali. */
  digits: DigitStyle | null;
}

/** The language for a system locale such as 'bn-BD', 'bn', 'en-GB': Bengali only for bn*. */
export const languageForLocale = (locale: string | null | undefined): Language => (/^bn\b/i.test(locale ?? '') ? 'bn' : 'en');

// ---------------------------------------------------------------------------------------------
// The calls: renderer → main, each answered once.

// --- Learn: under the hood (issue 15) ------------------------------------------------------
/** What a layer does, for its one plain sentence (the renderer holds the sentences). */
export type LayerKind = 'conv' | 'pool' | 'batchnorm' | 'activation' | 'dropout' | 'flatten' | 'dense' | 'softmax' | 'other';
export interface LayerInfo {
  name: string;
  className: string;
  kind: LayerKind;
  /** Output shape without the batch dimension, e.g. [26, 26, 32] or [10]. */
  outputShape: number[];
  params: number;
  activation?: string;
}
/** `count` small images of width×height bytes (base64, one after another); 128 = zero weight. */
export interface FilterImages {
  layer: string;
  width: number;
  height: number;
  count: number;
  pixels: string;
}
export interface ModelAnatomy {
  modelId: string;
  layers: LayerInfo[];
  totalParams: number;
  /** The first convolution's learned filters; null for a model without one. */
  filters: FilterImages | null;
}
/** One convolution block's output: `channels` maps of width×height bytes (base64, map after map), 0..255 over the layer. */
export interface FeatureMaps {
  layer: string;
  width: number;
  height: number;
  channels: number;
  pixels: string;
}
export interface InputInspection {
  modelId: string;
  /** The 28×28 input inspected (base64), as given. */
  input: string;
  /** The 28×28 the model read (base64): `input` deskewed when the model deskews its input (issue 11), else `input`. The saliency is over these pixels. */
  seen: string;
  digit: number;
  runnerUp: number;
  probabilities: number[];
  activations: FeatureMaps[];
  /** 784 signed values: > 0 pushed toward `digit`, < 0 toward `runnerUp` (integrated gradients). */
  saliency: number[];
  /** Sum of the saliency, and the change of log p(digit) − log p(runnerUp) from a black picture: close when the map accounts for the reading. */
  saliencyTotal: number;
  marginGain: number;
}
// -------------------------------------------------------------------------------------------

export interface Calls {
  appInfo(): AppInfo;

  listDatasets(): DatasetSummary[];
  /** Opens the native dialog; null when the user cancels. */
  importWithDialog(args: { mode: 'files' | 'folder' }): Task | null;
  /** Reached only through the preload's importDroppedFiles, with paths of real dropped files. */
  importPaths(args: { paths: string[] }): Task;
  datasetSamples(args: { datasetId: string; digit: number | null; offset: number; limit: number }): SamplePage;
  sampleDetail(args: { datasetId: string; index: number }): SampleDetail;
  setDatasetIncluded(args: { datasetId: string; included: boolean }): DatasetSummary;
  removeDataset(args: { datasetId: string }): void;
  /** "That's wrong: it's a __": adds a normalised sample to the custom handwriting dataset. */
  addCustomSample(args: { pixels: string; label: number }): DatasetSummary;

  listTasks(): Task[];
  cancelTask(args: { taskId: string }): void;

  startTraining(args: TrainSettings): Task;
  /** The running (or last) run with all its points so far, for reattaching after a reload. */
  currentRun(): RunDetail | null;
  listRuns(): RunSummary[];
  getRun(args: { runId: string }): RunDetail;

  listModels(): ModelSummary[];
  setActiveModel(args: { modelId: string }): void;

  /** Starts an evaluation task; its result arrives with getEvaluation(resultId). */
  evaluate(args: { modelId: string; datasetIds: string[] }): Task;
  getEvaluation(args: { evaluationId: string }): Evaluation;

  /** The drawing pad: grayscale pixels (base64, width×height bytes, 255 = ink). */
  predictDrawing(args: { width: number; height: number; pixels: string; modelId?: string }): Prediction;
  /** Opens the native image dialog; null when the user cancels. */
  predictImageWithDialog(args: { modelId?: string }): ImagePrediction | null;
  /** Reached only through the preload's predictDroppedFile. */
  predictPath(args: { path: string; modelId?: string }): ImagePrediction;

  // --- Re-reading what is on screen with another model (issue 16) ---
  /**
   * Reads an earlier prediction's `input` (the 28×28 picture already normalised once) with a model,
   * as it is: never normalised again, so another model sees exactly what the first one saw.
   */
  predictInput(args: { input: string; modelId?: string }): Prediction;

  // Batch prediction (issue 17) ------------------------------------------------------------
  /** Starts reading every sample of a dataset (labels ignored) as a 'predict' task; resultId is the batch id. */
  predictDataset(args: { datasetId: string; modelId?: string }): Task;
  getBatchPrediction(args: { batchId: string }): BatchPrediction;
  /** A page of the readings, least confident first. */
  batchReadings(args: { batchId: string; offset: number; limit: number }): BatchReadingPage;
  /** Opens the native save dialog and writes the readings; the file's name, or null when canceled. */
  saveBatchPrediction(args: { batchId: string; format: BatchSaveFormat }): string | null;
  // ------------------------------------------------------------------------------------------
  // --- Export and model import (issue 14) ---
  /** Opens the native save dialog and exports the model; null when the user cancels. */
  exportModelWithDialog(args: { modelId: string; format: ModelExportFormat }): ExportOutcome | null;
  /** Opens the native save dialog and exports the dataset; null when the user cancels. */
  exportDatasetWithDialog(args: { datasetId: string; format: DataExportFormat }): ExportOutcome | null;
  /**
   * Opens the native dialog for a TensorFlow.js layers model (its model.json, or a zip such as our
   * TF.js export) and adds it to the model library; anything not 28×28×1 in, 10 out is refused.
   * null when the user cancels.
   */
  importModelWithDialog(): ModelSummary | null;

  // --- Reading whole numbers (issue 13) ---
  /** A wide drawing: grayscale pixels (base64, width×height bytes, 255 = ink). */
  readNumberDrawing(args: { width: number; height: number; pixels: string; modelId?: string }): NumberReading;
  /** Opens the native image dialog; null when the user cancels. */
  readNumberWithDialog(args: { modelId?: string }): NumberReading | null;
  /** Reached only through the preload's readNumberDroppedFile. */
  readNumberPath(args: { path: string; modelId?: string }): NumberReading;
  /** Opens the native image dialog for a photo of a sheet; its cells labelled by row, to review. null when canceled. */
  readSheetWithDialog(args: { order: string }): SheetReview | null;
  /** Saves the reviewed cells (those kept, with their labels) as a new dataset. */
  saveSheet(args: { reviewId: string; cells: { index: number; label: number }[] }): DatasetSummary;
  /** Writes a printable blank sheet (PDF or PNG) through the native save dialog; the file's name, or null. */
  makeSheetWithDialog(args: { paper: SheetPaper; format: 'pdf' | 'png'; order: string }): string | null;

  // --- Make it yours (issue 18): the guided flow (main/guide/) ---
  guideState(): GuideState;
  /** Starts collecting (a new flow when `fresh`, else resumes); perDigit samples of each digit. */
  guideStart(args: { perDigit: number; fresh: boolean }): GuideState;
  /** Saves a pad drawing (grayscale, 255 = ink) as the digit asked for, into the handwriting set. */
  guideAddDrawing(args: { width: number; height: number; pixels: string; label: number }): GuideState;
  /** Asks for this digit later. */
  guideSkip(): GuideState;
  /** Removes the last drawing from the handwriting set. */
  guideUndo(): GuideState;
  /** The user's datasets (pictures, a sheet) used beside the drawings. */
  guideUseDatasets(args: { datasetIds: string[] }): GuideState;
  /** Back to collecting (more samples) from the check or the result. */
  guideCollect(): GuideState;
  /** The base model reads the held-out samples: a task; its outcome arrives in the state. */
  guideCheck(): Task;
  /** Fine-tunes the base model on the samples not held out: a 'train' task. */
  guideFineTune(): Task;
  /** Makes the fine-tuned model the active one. */
  guideUseModel(): GuideState;
  /** "Not now" on the first-start invitation. */
  guideDismiss(): GuideState;

  // --- Learn: under the hood (issue 15) ---
  /** A model's layers (shapes, parameters) and first-layer filters; the active model when no id. */
  describeModel(args: { modelId?: string }): ModelAnatomy;
  /** Feature maps and saliency for a 28×28 input (a prediction's `input`, base64) read by a model. */
  inspectInput(args: { input: string; modelId?: string }): InputInspection;

  // --- Language and digits (issue 15): kept in <dataDir>/ui-settings.json (main/i18n/) ---
  /** What the user chose; null fields = not chosen yet (the language then follows the system). */
  uiSettings(): UiSettings;
  /** Changes what is given; answers the whole record (also pushed as the `uiSettings` event). */
  setUiSettings(args: Partial<UiSettings>): UiSettings;
}

// ---------------------------------------------------------------------------------------------
// The events: main → renderer, pushed.

export interface Events {
  task: Task;
  train: TrainEvent;
  datasetsChanged: DatasetSummary[];
  modelsChanged: ModelSummary[];
  backend: BackendInfo;
  /** Something went wrong outside any call (for example the ML process died). */
  appError: { message: string };
  /** A picture opened from the system ("Open with", a second launch) or the menu, already predicted. */
  imageOpened: ImagePrediction;
  /** Make it yours (issue 18): the flow's state after every change. */
  guide: GuideState;
  /** Issue 15: the language or digits changed (from the app's menu or another window). */
  uiSettings: UiSettings;
}

export type CallName = keyof Calls;
export type EventName = keyof Events;
export type CallArgs<K extends CallName> = Parameters<Calls[K]>;
export type CallResult<K extends CallName> = ReturnType<Calls[K]>;

/** Main-side implementation of every call (sync or async). */
export type Handlers = { [K in CallName]: (...args: CallArgs<K>) => CallResult<K> | Promise<CallResult<K>> };

/**
 * Most paths one drop may name (a folder counts as one): the one limit, read by the preload, the IPC
 * rules and the data service.
 */
export const MAX_DROPPED_PATHS = 10_000;

/** Calls the renderer may not reach directly: only the preload's drop helpers use them. */
export type PreloadOnlyCall = 'importPaths' | 'predictPath' | 'readNumberPath';

/** What the renderer sees as `window.digitStudio`: one method per call, plus events and drop helpers. */
export type Api = { [K in Exclude<CallName, PreloadOnlyCall>]: (...args: CallArgs<K>) => Promise<CallResult<K>> } & {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Import files dropped on the window (paths are read from the File objects by the preload). */
  importDroppedFiles(files: File[]): Promise<Task>;
  /** Predict an image dropped on the window, with the model chosen on the page (else the active one). */
  predictDroppedFile(file: File, options: { modelId?: string }): Promise<ImagePrediction>;
  /** Read every digit of a picture dropped on the window, with the model chosen on the page (else the active one). */
  readNumberDroppedFile(file: File, options: { modelId?: string }): Promise<NumberReading>;
};

// Runtime lists, checked against the interfaces: adding a call without listing it fails to compile.
const callTable = {
  appInfo: true,
  listDatasets: true,
  importWithDialog: true,
  importPaths: true,
  datasetSamples: true,
  sampleDetail: true,
  setDatasetIncluded: true,
  removeDataset: true,
  addCustomSample: true,
  listTasks: true,
  cancelTask: true,
  startTraining: true,
  currentRun: true,
  listRuns: true,
  getRun: true,
  listModels: true,
  setActiveModel: true,
  evaluate: true,
  getEvaluation: true,
  predictDrawing: true,
  predictImageWithDialog: true,
  predictPath: true,
  predictInput: true,
  // Batch prediction (issue 17)
  predictDataset: true,
  getBatchPrediction: true,
  batchReadings: true,
  saveBatchPrediction: true,
  exportModelWithDialog: true,
  exportDatasetWithDialog: true,
  importModelWithDialog: true,
  readNumberDrawing: true,
  readNumberWithDialog: true,
  readNumberPath: true,
  readSheetWithDialog: true,
  saveSheet: true,
  makeSheetWithDialog: true,
  // Make it yours (issue 18)
  guideState: true,
  guideStart: true,
  guideAddDrawing: true,
  guideSkip: true,
  guideUndo: true,
  guideUseDatasets: true,
  guideCollect: true,
  guideCheck: true,
  guideFineTune: true,
  guideUseModel: true,
  guideDismiss: true,
  // Learn: under the hood (issue 15)
  describeModel: true,
  inspectInput: true,
  // Language and digits (issue 15)
  uiSettings: true,
  setUiSettings: true,
} as const satisfies Record<CallName, true>;

const eventTable = {
  task: true,
  train: true,
  datasetsChanged: true,
  modelsChanged: true,
  backend: true,
  appError: true,
  imageOpened: true,
  guide: true,
  uiSettings: true,
} as const satisfies Record<EventName, true>;

export const CALL_NAMES = Object.keys(callTable) as CallName[];
export const EVENT_NAMES = Object.keys(eventTable) as EventName[];

export const PRELOAD_ONLY_CALLS: readonly CallName[] = ['importPaths', 'predictPath', 'readNumberPath'] satisfies PreloadOnlyCall[];

export const callChannel = (name: CallName): string => `digit-studio:call:${name}`;
export const eventChannel = (name: EventName): string => `digit-studio:event:${name}`;

/** Errors cross the boundary as this shape, so the renderer always has a readable message. */
export interface CallError {
  message: string;
}

/** The app's starting settings: the one default recipe (preload/recipe.ts). */
export const DEFAULT_TRAIN_SETTINGS: Omit<TrainSettings, 'datasetIds'> = {
  ...DEFAULT_RECIPE,
  baseModelId: null,
  freezeFeatures: false,
  name: '',
};
