// One valid argument list per call of the contract, typed against it: a call added to the contract
// without an example here fails to compile, so the tests below always cover every call.
import { DEFAULT_TRAIN_SETTINGS, type CallArgs, type CallName } from '../../../preload/contract';

export const PIXELS_784 = Buffer.alloc(784, 7).toString('base64');

export const VALID_ARGS: { [K in CallName]: CallArgs<K> } = {
  appInfo: [],
  listDatasets: [],
  importWithDialog: [{ mode: 'folder' }],
  importPaths: [{ paths: ['/home/ann/digits.zip', 'C:\\Users\\ann\\train.csv'] }],
  datasetSamples: [{ datasetId: 'ds-1', digit: null, offset: 0, limit: 100 }],
  sampleDetail: [{ datasetId: 'starter', index: 12 }],
  setDatasetIncluded: [{ datasetId: 'ds-1', included: false }],
  removeDataset: [{ datasetId: 'ds-1' }],
  addCustomSample: [{ pixels: PIXELS_784, label: 3 }],
  listTasks: [],
  cancelTask: [{ taskId: 'task-7' }],
  startTraining: [{ ...DEFAULT_TRAIN_SETTINGS, datasetIds: ['starter', 'ds-1'], name: 'my run' }],
  currentRun: [],
  listRuns: [],
  getRun: [{ runId: 'run_2026-11-26T07.30.00' }],
  listModels: [],
  setActiveModel: [{ modelId: 'model-1' }],
  evaluate: [{ modelId: 'model-1', datasetIds: ['ds-1'] }],
  getEvaluation: [{ evaluationId: 'eval-1' }],
  predictDrawing: [{ width: 280, height: 200, pixels: Buffer.alloc(280 * 200).toString('base64'), modelId: 'model-1' }],
  predictImageWithDialog: [{}],
  predictPath: [{ path: '/tmp/seven.png' }],
  predictInput: [{ input: PIXELS_784, modelId: 'model-1' }],
  predictDataset: [{ datasetId: 'ds-1', modelId: 'model-1' }],
  getBatchPrediction: [{ batchId: 'batch-1' }],
  batchReadings: [{ batchId: 'batch-1', offset: 0, limit: 100 }],
  saveBatchPrediction: [{ batchId: 'batch-1', format: 'kaggle' }],
  exportModelWithDialog: [{ modelId: 'model-1', format: 'onnx' }],
  exportDatasetWithDialog: [{ datasetId: 'ds-1', format: 'zip' }],
  importModelWithDialog: [],
  readNumberDrawing: [{ width: 640, height: 200, pixels: Buffer.alloc(640 * 200).toString('base64') }],
  readNumberWithDialog: [{}],
  readNumberPath: [{ path: '/tmp/number.png' }],
  readSheetWithDialog: [{ order: '0123456789' }],
  saveSheet: [{ reviewId: 'sheet-1', cells: [{ index: 0, label: 3 }] }],
  makeSheetWithDialog: [{ paper: 'a4', format: 'pdf', order: '0123456789' }],
};
