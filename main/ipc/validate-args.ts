// Argument checks for every call of the contract. Whatever sends a call (the preload over Electron
// IPC, or the WebSocket harness), its arguments are checked here before a handler sees them:
// types, ranges, id shapes, pixel buffer sizes, and no unknown fields. The table is typed against
// `Calls`, so a call added to the contract without a validator fails to compile.
import { DIGIT_STYLES, LANGUAGES, MAX_DROPPED_PATHS, type CallArgs, type CallName, type TrainSettings } from '../../preload/contract';
import {
  ArgumentError,
  absolutePath,
  arrayOf,
  base64OfLength,
  bool,
  id,
  int,
  nullable,
  num,
  object,
  oneOf,
  optional,
  text,
  type Rule,
} from './rules';
import { TRAIN_LIMITS } from '../../preload/recipe';
import { PER_DIGIT_LIMITS } from '../guide/record';

/** Limits, exported so tests and the UI can quote the same numbers. */
export const LIMITS = {
  ...TRAIN_LIMITS,
  /** Samples per page in the data browser. */
  pageLimit: { min: 1, max: 1000 },
  /** Far above any dataset we can hold, but keeps offsets from being absurd. */
  maxIndex: 100_000_000,
  /** Datasets named in one call. */
  datasetIds: { min: 1, max: 200 },
  /** Files dropped in one go (a folder counts as one). */
  droppedPaths: { min: 1, max: MAX_DROPPED_PATHS },
  /** The drawing pad sends at most this many pixels per side. */
  drawingSide: { min: 1, max: 1024 },
  runName: 100,
} as const;

const SAMPLE_BYTES = 28 * 28;

/** A sheet's row order: one digit per row, 1 to 20 rows. */
const rowOrder: Rule<string> = (value, where) => {
  if (typeof value !== 'string' || !/^[0-9]{1,20}$/.test(value)) throw new ArgumentError(`${where} must be 1 to 20 digits, one per row (like 0123456789)`);
  return value;
};

const datasetIds = arrayOf(id, LIMITS.datasetIds.min, LIMITS.datasetIds.max, 'choose at least one dataset');
const digit = int(0, 9);
const index = int(0, LIMITS.maxIndex);

const trainSettings = object<TrainSettings>(
  {
    datasetIds,
    valSplit: num(LIMITS.valSplit.min, LIMITS.valSplit.max),
    model: oneOf(['seed', 'default']),
    epochs: int(LIMITS.epochs.min, LIMITS.epochs.max),
    batchSize: int(LIMITS.batchSize.min, LIMITS.batchSize.max),
    learningRate: num(LIMITS.learningRate.min, LIMITS.learningRate.max),
    augment: bool,
    seed: int(LIMITS.seed.min, LIMITS.seed.max),
    baseModelId: nullable(id),
    freezeFeatures: bool,
    earlyStopping: bool,
    name: text(LIMITS.runName),
  },
);

type Drawing = CallArgs<'predictDrawing'>[0];
const drawing = object<Drawing>(
  {
    width: int(LIMITS.drawingSide.min, LIMITS.drawingSide.max),
    height: int(LIMITS.drawingSide.min, LIMITS.drawingSide.max),
    // Checked against width × height below, once both are known to be sane.
    pixels: (value, where) => {
      if (typeof value !== 'string') throw new ArgumentError(`${where} must be base64 text`);
      return value;
    },
    modelId: optional(id),
  },
  (value, where) => {
    base64OfLength(value.width * value.height, `${where}: pixels`, value.pixels);
  },
);

type ArgsRule<K extends CallName> = (args: readonly unknown[]) => CallArgs<K>;

/** A call without arguments. JSON turns a trailing undefined into null, so both are accepted. */
function none<K extends CallName>(name: K): ArgsRule<K> {
  return (args) => {
    if (args.length === 0 || (args.length === 1 && (args[0] === undefined || args[0] === null))) return [] as unknown as CallArgs<K>;
    throw new ArgumentError(`${name}: takes no arguments (got ${args.length})`);
  };
}

/** A call taking one object argument checked by `rule`. */
function one<K extends CallName>(name: K, rule: Rule<CallArgs<K>[0]>): ArgsRule<K> {
  return (args) => {
    if (args.length !== 1) throw new ArgumentError(`${name}: takes one argument object (got ${args.length} arguments)`);
    return [rule(args[0], name)] as unknown as CallArgs<K>;
  };
}

export const ARG_VALIDATORS: { readonly [K in CallName]: ArgsRule<K> } = {
  appInfo: none('appInfo'),
  listDatasets: none('listDatasets'),
  importWithDialog: one('importWithDialog', object({ mode: oneOf(['files', 'folder']) })),
  importPaths: one(
    'importPaths',
    object({ paths: arrayOf(absolutePath, LIMITS.droppedPaths.min, LIMITS.droppedPaths.max, 'no files were dropped') }),
  ),
  datasetSamples: one(
    'datasetSamples',
    object({
      datasetId: id,
      digit: nullable(digit),
      offset: index,
      limit: int(LIMITS.pageLimit.min, LIMITS.pageLimit.max),
    }),
  ),
  sampleDetail: one('sampleDetail', object({ datasetId: id, index })),
  setDatasetIncluded: one('setDatasetIncluded', object({ datasetId: id, included: bool })),
  removeDataset: one('removeDataset', object({ datasetId: id })),
  addCustomSample: one(
    'addCustomSample',
    object({ pixels: (value, where) => base64OfLength(SAMPLE_BYTES, where, value), label: digit }),
  ),
  listTasks: none('listTasks'),
  cancelTask: one('cancelTask', object({ taskId: id })),
  startTraining: one('startTraining', trainSettings),
  currentRun: none('currentRun'),
  listRuns: none('listRuns'),
  getRun: one('getRun', object({ runId: id })),
  listModels: none('listModels'),
  setActiveModel: one('setActiveModel', object({ modelId: id })),
  evaluate: one('evaluate', object({ modelId: id, datasetIds })),
  getEvaluation: one('getEvaluation', object({ evaluationId: id })),
  predictDrawing: one('predictDrawing', drawing),
  predictImageWithDialog: one('predictImageWithDialog', object({ modelId: optional(id) })),
  predictPath: one('predictPath', object({ path: absolutePath, modelId: optional(id) })),
  // Batch prediction (issue 17)
  predictDataset: one('predictDataset', object({ datasetId: id, modelId: optional(id) })),
  getBatchPrediction: one('getBatchPrediction', object({ batchId: id })),
  batchReadings: one('batchReadings', object({ batchId: id, offset: index, limit: int(LIMITS.pageLimit.min, LIMITS.pageLimit.max) })),
  saveBatchPrediction: one('saveBatchPrediction', object({ batchId: id, format: oneOf(['kaggle', 'csv']) })),
  predictInput: one(
    'predictInput',
    object({ input: (value, where) => base64OfLength(SAMPLE_BYTES, where, value), modelId: optional(id) }),
  ),
  // Learn: under the hood (issue 15)
  describeModel: one('describeModel', object({ modelId: optional(id) })),
  inspectInput: one('inspectInput', object({ input: (value, where) => base64OfLength(SAMPLE_BYTES, where, value), modelId: optional(id) })),
  // Export and model import (issue 14)
  exportModelWithDialog: one('exportModelWithDialog', object({ modelId: id, format: oneOf(['onnx', 'tfjs', 'web']) })),
  exportDatasetWithDialog: one('exportDatasetWithDialog', object({ datasetId: id, format: oneOf(['csv', 'zip']) })),
  importModelWithDialog: none('importModelWithDialog'),
  readNumberDrawing: one('readNumberDrawing', drawing),
  readNumberWithDialog: one('readNumberWithDialog', object({ modelId: optional(id) })),
  readNumberPath: one('readNumberPath', object({ path: absolutePath, modelId: optional(id) })),
  readSheetWithDialog: one('readSheetWithDialog', object({ order: rowOrder })),
  saveSheet: one(
    'saveSheet',
    object({ reviewId: id, cells: arrayOf(object({ index: int(0, 10_000), label: digit }), 1, 10_000, 'keep at least one cell') }),
  ),
  // Make it yours (issue 18)
  guideState: none('guideState'),
  guideStart: one('guideStart', object({ perDigit: int(PER_DIGIT_LIMITS.min, PER_DIGIT_LIMITS.max), fresh: bool })),
  guideAddDrawing: one(
    'guideAddDrawing',
    object<CallArgs<'guideAddDrawing'>[0]>(
      {
        width: int(LIMITS.drawingSide.min, LIMITS.drawingSide.max),
        height: int(LIMITS.drawingSide.min, LIMITS.drawingSide.max),
        pixels: (value, where) => {
          if (typeof value !== 'string') throw new ArgumentError(`${where} must be base64 text`);
          return value;
        },
        label: digit,
      },
      (value, where) => {
        base64OfLength(value.width * value.height, `${where}: pixels`, value.pixels);
      },
    ),
  ),
  guideSkip: none('guideSkip'),
  guideUndo: none('guideUndo'),
  guideUseDatasets: one('guideUseDatasets', object({ datasetIds: arrayOf(id, 0, LIMITS.datasetIds.max) })),
  guideCollect: none('guideCollect'),
  guideCheck: none('guideCheck'),
  guideFineTune: none('guideFineTune'),
  guideUseModel: none('guideUseModel'),
  guideDismiss: none('guideDismiss'),
  // Language and digits (issue 15)
  uiSettings: none('uiSettings'),
  setUiSettings: one('setUiSettings', object({ language: optional(oneOf(LANGUAGES)), digits: optional(oneOf(DIGIT_STYLES)) })),
  makeSheetWithDialog: one('makeSheetWithDialog', object({ paper: oneOf(['a4', 'letter']), format: oneOf(['pdf', 'png']), order: rowOrder })),
};

/**
 * Checks the arguments of call `name` and returns a clean copy (only the known fields).
 * Throws ArgumentError with a readable message naming the call and the field.
 */
export function validateCallArgs<K extends CallName>(name: K, args: readonly unknown[]): CallArgs<K> {
  const validator = ARG_VALIDATORS[name] as ArgsRule<K> | undefined;
  if (!validator) throw new ArgumentError(`${name}: no argument check is defined for this call`);
  if (!Array.isArray(args)) throw new ArgumentError(`${name}: arguments must be a list`);
  return validator(args);
}
