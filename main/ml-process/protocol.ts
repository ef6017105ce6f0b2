// The messages between the main side (MlClient) and the ML process (ml-worker.ts). Plain,
// structured-clone and JSON friendly data only, so the same messages work over Electron's
// utilityProcess and over child_process.fork.
import type { BackendInfo, Language, EpochPoint, ModelArch, RunMetrics, TrainEvent } from '../../preload/contract';
import type { EvaluationResult } from './evaluate';
import type { ReplaySpec } from './replay';

export interface TrainRequest {
  runId: string;
  /** .dsb dataset files (main/data/dataset-file.ts), combined in order. */
  datasetFiles: string[];
  model: ModelArch;
  valSplit: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  augment: boolean;
  seed: number;
  earlyStopping: boolean;
  /** Fine-tune from this model folder instead of starting fresh. */
  baseModelDir: string | null;
  baseModelId: string | null;
  freezeFeatures: boolean;
  /** Fine-tuning: MNIST digits mixed into the training samples, and measured on afterwards (replay.ts). */
  replay?: ReplaySpec | null;
  /** Where the best model is saved (atomically; an existing folder is replaced only when complete). */
  outDir: string;
  /** For metadata.json. */
  name: string;
  trainedOn: string;
  /** For metadata.json: the app's dataset ids it learns from (and its base model's). */
  trainedOnDatasetIds?: string[];
  /** Seconds of training after which the run ends like a finished one (CLI --time-budget). */
  timeBudgetSec?: number;
}

export interface TrainOutcome {
  state: 'succeeded' | 'canceled';
  /** Whether a model was written to outDir. */
  modelSaved: boolean;
  metrics: RunMetrics | null;
  epochs: EpochPoint[];
  stoppedEarly: boolean;
  backend: BackendInfo;
  trainCount: number;
  valCount: number;
  /** Validation samples the metrics were measured on, when fewer than valCount (a cancel in the first epoch). */
  metricsValCount?: number;
  perClass: number[];
}

/** Every request carries the language its messages are to be in (issue 15; absent: English). */
export type ParentMessage = (
  | { type: 'backend'; id: number }
  | { type: 'predict'; id: number; modelDir: string; inputs: number[][] }
  | { type: 'evaluate'; id: number; modelDir: string; datasetFiles: string[] }
  | { type: 'train'; id: number; request: TrainRequest }
  | { type: 'cancel'; id: number }
  | { type: 'exit' }
  /** This process runs long work (training, evaluations): below-normal CPU priority from now on (issue 12). */
  | { type: 'background' }
  /** Batch prediction (issue 17): every sample of a .dsb file, answered block by block with 'rows'. */
  | { type: 'predictFile'; id: number; modelDir: string; datasetFile: string }
  /** Under the hood (issue 15, inspect.ts): the model's anatomy; with an input, its maps and saliency. */
  | { type: 'describe'; id: number; modelDir: string }
  | { type: 'inspect'; id: number; modelDir: string; input: number[] }
  /** Reading numbers (issue 13, read-verifier.ts): how likely each piece is one whole digit; null: no verifier shipped. */
  | { type: 'verifyPieces'; id: number; inputs: number[][] }
) & { lang?: Language };

export type WorkerMessage =
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string; user: boolean }
  | { type: 'event'; id: number; event: TrainEvent }
  /** How far a long request (an evaluation) has got. */
  | { type: 'progress'; id: number; done: number; total: number }
  /** Batch prediction: the probabilities of samples [from, from + n), n × 10 numbers in order. */
  | { type: 'rows'; id: number; from: number; total: number; probabilities: number[] };

export type { EvaluationResult };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  if (!m || typeof m !== 'object') return false;
  const t = (m as { type?: unknown }).type;
  return (t === 'result' || t === 'error' || t === 'event' || t === 'progress' || t === 'rows') && typeof (m as { id?: unknown }).id === 'number';
}
