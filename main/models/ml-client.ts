// The main side of the ML processes. Two warm processes keep the last model loaded, one lane each:
// - the long lane: evaluations, batch prediction, Under the hood, bulk readings: work that can keep
//   a process busy for minutes, one request at a time;
// - the pad lane: readings a person waits for (the pad, a picture, another model's reading of the
//   same input). The ML process serves one request at a time, so a pad reading queued behind an
//   evaluation waited for all of it; on a lane of its own it waits for nothing but the CPU
//   (issue 12: the pad must feel instant). It runs the same entry and the same predict handler.
// Each training run gets a process of its own (ml-train-call.ts), so a crash or a kill there loses
// only that run. A process that dies or stops answering rejects its pending calls with a clear
// error, and the next call on its lane starts a fresh one.
import type { BackendInfo, InputInspection, ModelAnatomy, TrainEvent } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { VIEW_VALUES } from '../read/piece-view';
import type { EvaluationResult } from '../ml-process/evaluate';
import type { ParentMessage, TrainOutcome, TrainRequest } from '../ml-process/protocol';
import { Connection, withTimeout, type Bare } from './ml-connection';
import { trainInOwnProcess } from './ml-train-call';
import type { MlSpawner } from './spawner';

export type { TrainOutcome, TrainRequest, EvaluationResult };

/** Which warm process serves a call: 'long' work, or the 'pad' lane that long work never occupies. */
export type MlLane = 'long' | 'pad';

export interface MlClientOptions {
  /**
   * After a cancel message, how long the training process may go without a word (a status, the
   * save's acknowledgement) before it is killed. Tied to progress, not to the whole stop: saving
   * the best model may take longer on a large set, and it keeps reporting meanwhile.
   */
  cancelGraceMs?: number;
  /** A training process silent this long is considered hung and killed. */
  trainSilenceMs?: number;
  /** Time limits for the warm processes' calls. */
  predictTimeoutMs?: number;
  evaluateTimeoutMs?: number;
  /**
   * Run long work (training processes, the long lane) at below-normal CPU priority, so the pad's
   * process and the window get the cores first when they are contended. The app sets it; the CLI
   * doesn't (there the long work is what the person waits for).
   */
  backgroundLongWork?: boolean;
}

export class MlClient {
  private readonly lanes: Record<MlLane, Connection | null> = { long: null, pad: null };
  private readonly training = new Set<Connection>();
  private backendCache: BackendInfo | null = null;
  private readonly opts: Required<MlClientOptions>;
  private disposed = false;

  constructor(
    private readonly spawn: MlSpawner,
    options: MlClientOptions = {},
  ) {
    this.opts = {
      cancelGraceMs: options.cancelGraceMs ?? 5000,
      trainSilenceMs: options.trainSilenceMs ?? 180_000,
      predictTimeoutMs: options.predictTimeoutMs ?? 60_000,
      evaluateTimeoutMs: options.evaluateTimeoutMs ?? 30 * 60_000,
      backgroundLongWork: options.backgroundLongWork ?? false,
    };
  }

  /** The lane's process, started on first use and again after it died. */
  private connection(lane: MlLane): Connection {
    const conn = this.lanes[lane];
    if (conn && !conn.dead) return conn;
    const fresh = new Connection(this.spawn(), lane === 'pad' ? 'ML (pad)' : 'ML');
    if (lane === 'long' && this.opts.backgroundLongWork) fresh.send({ type: 'background' });
    return (this.lanes[lane] = fresh);
  }

  /** A call on a warm process, killed and rejected if it takes longer than `timeoutMs`. */
  private async warmCall<T>(message: Bare<ParentMessage>, timeoutMs: number, lane: MlLane = 'long'): Promise<T> {
    const conn = this.connection(lane);
    return withTimeout(conn, conn.request<T>(message).done, timeoutMs);
  }

  async backend(): Promise<BackendInfo> {
    if (this.backendCache) return this.backendCache;
    this.backendCache = await this.warmCall<BackendInfo>({ type: 'backend' }, this.opts.predictTimeoutMs);
    return this.backendCache;
  }

  /**
   * Ten probabilities for each 784-byte normalised input (0 = background, 255 = ink). `lane: 'pad'`
   * for a reading a person waits for (never queued behind an evaluation or a batch); bulk readings
   * stay on the long lane so they don't hold the pad up in turn.
   */
  async predict(modelDir: string, inputs: Uint8Array[], options: { lane?: MlLane } = {}): Promise<number[][]> {
    for (const [k, px] of inputs.entries()) {
      if (px.length !== 784) throw new UserError(msg('predict.inputPixels', { index: k + 1, count: px.length }));
    }
    return this.warmCall<number[][]>(
      { type: 'predict', modelDir, inputs: inputs.map((px) => Array.from(px)) },
      this.opts.predictTimeoutMs,
      options.lane ?? 'long',
    );
  }

  /**
   * Reading numbers (issue 13): for each piece (main/read/piece-view.ts), how likely it is one whole, well-cut digit
   * (the shipped read verifier, whatever the digit model); null when the app ships no verifier.
   */
  async verifyPieces(inputs: Uint8Array[]): Promise<number[] | null> {
    for (const [k, px] of inputs.entries()) {
      if (px.length !== VIEW_VALUES) throw new UserError(msg('predict.inputPixels', { index: k + 1, count: px.length }));
    }
    return this.warmCall<number[] | null>({ type: 'verifyPieces', inputs: inputs.map((px) => Array.from(px)) }, this.opts.predictTimeoutMs);
  }

  /** Under the hood (issue 15): a model's layers and first-layer filters, on the warm process. */
  async describe(modelDir: string): Promise<Omit<ModelAnatomy, 'modelId'>> {
    return this.warmCall({ type: 'describe', modelDir }, this.opts.predictTimeoutMs);
  }

  /** Under the hood (issue 15): feature maps and saliency of one normalised 28×28 input. */
  async inspect(modelDir: string, input: Uint8Array): Promise<Omit<InputInspection, 'modelId' | 'input'>> {
    if (input.length !== 784) throw new UserError(msg('predict.theInputPixels', { count: input.length }));
    return this.warmCall({ type: 'inspect', modelDir, input: Array.from(input) }, this.opts.predictTimeoutMs);
  }

  /** A long call on the long lane: `signal` sends a cancel, which the process honours between steps. */
  private async longCall<T>(
    message: Bare<ParentMessage>,
    signal: AbortSignal | undefined,
    onProgress?: (done: number, total: number) => void,
    onRows?: (from: number, total: number, probabilities: number[]) => void,
  ): Promise<T> {
    signal?.throwIfAborted();
    const conn = this.connection('long');
    const { id, done } = conn.request<T>(message, undefined, onProgress, onRows);
    const onAbort = () => conn.send({ type: 'cancel', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await withTimeout(conn, done, this.opts.evaluateTimeoutMs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Evaluates on the warm process, reporting images done. Aborting `signal` stops the computation
   * there (between steps of ~2,000 images) and rejects; the process stays warm for the next call.
   */
  async evaluate(
    modelDir: string,
    datasetFiles: string[],
    options: { onProgress?(done: number, total: number): void; signal?: AbortSignal } = {},
  ): Promise<EvaluationResult> {
    return this.longCall({ type: 'evaluate', modelDir, datasetFiles }, options.signal, options.onProgress);
  }

  /**
   * Batch prediction (issue 17): every sample of a .dsb file, on the warm process. The readings come
   * block by block through `onRows` (probabilities of samples [from, from + n), n × 10 numbers), so
   * neither side holds the whole set. Aborting `signal` stops it between blocks and rejects.
   */
  async predictFile(
    modelDir: string,
    datasetFile: string,
    options: { onRows(from: number, total: number, probabilities: number[]): void; signal?: AbortSignal },
  ): Promise<{ count: number; helper: boolean }> {
    return this.longCall({ type: 'predictFile', modelDir, datasetFile }, options.signal, undefined, options.onRows);
  }

  /**
   * Trains in a dedicated process. Aborting `signal` asks it to stop after the current batch (it
   * then saves the best model so far and resolves with state 'canceled'); if it then goes silent
   * for cancelGraceMs it is killed and the call rejects, saying whether a model was saved.
   */
  async train(request: TrainRequest, onEvent: (e: TrainEvent) => void, signal?: AbortSignal): Promise<TrainOutcome> {
    const { cancelGraceMs, trainSilenceMs, backgroundLongWork: background } = this.opts;
    const outcome = await trainInOwnProcess(this.spawn, { cancelGraceMs, trainSilenceMs, background, running: this.training }, request, onEvent, signal);
    this.backendCache ??= outcome.backend;
    return outcome;
  }

  /** Pids of the running training processes (for fault tests and diagnostics). */
  trainingPids(): number[] {
    return [...this.training].map((c) => c.handle.pid).filter((p): p is number => typeof p === 'number');
  }

  /** Starts a lane's process and loads TensorFlow there, ahead of its first call; failures are left to that call. */
  async warm(lane: MlLane): Promise<void> {
    // After dispose (the services closed while the long lane was starting) nothing is started.
    if (this.disposed) return;
    await this.warmCall<BackendInfo>({ type: 'backend' }, this.opts.predictTimeoutMs, lane).catch(() => undefined);
  }

  /** Pid of a lane's warm process, if it runs (for fault tests and diagnostics). */
  lanePid(lane: MlLane): number | undefined {
    const conn = this.lanes[lane];
    return conn && !conn.dead ? conn.handle.pid : undefined;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const lane of ['long', 'pad'] as const) {
      this.lanes[lane]?.close();
      this.lanes[lane] = null;
    }
    for (const c of this.training) c.fail(new Error('the app is shutting down'));
    this.training.clear();
  }
}
