// The main side of the ML process. Prediction and evaluation share one warm process that keeps the
// last model loaded; each training run gets a process of its own, so a crash or a kill there loses
// only that run. A process that dies or stops answering rejects its pending calls with a clear
// error, and the next call starts a fresh one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BackendInfo, InputInspection, ModelAnatomy, TrainEvent } from '../../preload/contract';
import { MODEL_JSON, WEIGHTS_BIN } from './model-metadata';
import { messageLanguage, msg } from '../i18n';
import { UserError } from '../util/errors';
import type { EvaluationResult } from '../ml-process/evaluate';
import type { ParentMessage, TrainOutcome, TrainRequest, WorkerMessage } from '../ml-process/protocol';
import { isWorkerMessage } from '../ml-process/protocol';
import type { MlProcessHandle, MlSpawner } from './spawner';

export type { TrainOutcome, TrainRequest, EvaluationResult };

export interface MlClientOptions {
  /**
   * After a cancel message, how long the training process may go without a word (a status, the
   * save's acknowledgement) before it is killed. Tied to progress, not to the whole stop: saving
   * the best model may take longer on a large set, and it keeps reporting meanwhile.
   */
  cancelGraceMs?: number;
  /** A training process silent this long is considered hung and killed. */
  trainSilenceMs?: number;
  /** Time limits for the warm process's calls. */
  predictTimeoutMs?: number;
  evaluateTimeoutMs?: number;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onEvent?(e: TrainEvent): void;
  onProgress?(done: number, total: number): void;
  onRows?(from: number, total: number, probabilities: number[]): void;
}

type Bare<T> = T extends unknown ? Omit<T, 'id'> : never;

function exitText(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

/** One running ML process and its in-flight requests. */
class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  dead = false;
  private lastHeard = Date.now();

  constructor(
    readonly handle: MlProcessHandle,
    private readonly role: string,
  ) {
    handle.onMessage((m) => this.receive(m));
    handle.onExit((code, signal) => this.fail(new Error(`the ${role} process stopped unexpectedly (${exitText(code, signal)})`)));
  }

  get silentForMs(): number {
    return Date.now() - this.lastHeard;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  request<T>(
    message: Bare<ParentMessage>,
    onEvent?: (e: TrainEvent) => void,
    onProgress?: (done: number, total: number) => void,
    onRows?: Pending['onRows'],
  ): { id: number; done: Promise<T> } {
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => {
      if (this.dead) {
        reject(new Error(`the ${this.role} process is not running`));
        return;
      }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent, onProgress, onRows });
      this.lastHeard = Date.now();
      // The ML process speaks the language of the latest call (issue 15): its errors are made there.
      this.handle.send({ ...message, id, lang: messageLanguage() });
    });
    return { id, done };
  }

  send(message: ParentMessage): void {
    if (!this.dead) this.handle.send(message);
  }

  private receive(m: unknown): void {
    if (!isWorkerMessage(m)) return;
    this.lastHeard = Date.now();
    const p = this.pending.get(m.id);
    if (!p) return;
    const msg = m as WorkerMessage;
    if (msg.type === 'event') {
      p.onEvent?.(msg.event);
      return;
    }
    if (msg.type === 'progress') {
      p.onProgress?.(msg.done, msg.total);
      return;
    }
    if (msg.type === 'rows') {
      p.onRows?.(msg.from, msg.total, msg.probabilities);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(msg.user ? new UserError(msg.message) : new Error(msg.message));
  }

  /** Rejects everything pending with `err` and marks the process dead (killing it if still alive). */
  fail(err: Error): void {
    const first = !this.dead;
    this.dead = true;
    // Rejected before the kill, so `err` (not the exit the kill causes) is what callers see.
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    if (first) this.handle.kill();
  }

  rejectOne(id: number, err: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(err);
  }

  close(): void {
    if (this.dead) return;
    this.handle.send({ type: 'exit' });
    const timer = setTimeout(() => this.handle.kill(), 2000);
    timer.unref?.();
    this.handle.onExit(() => clearTimeout(timer));
    this.dead = true;
  }
}

/**
 * Whether a model is in `outDir` after its process was ended: models are written atomically, so a
 * complete one is there or nothing is.
 */
function savedWords(outDir: string): string {
  return existsSync(path.join(outDir, MODEL_JSON)) && existsSync(path.join(outDir, WEIGHTS_BIN))
    ? `the model it had saved is kept in ${outDir}`
    : 'no model was saved';
}

export class MlClient {
  private warm: Connection | null = null;
  private readonly training = new Set<Connection>();
  private backendCache: BackendInfo | null = null;
  private readonly opts: Required<MlClientOptions>;

  constructor(
    private readonly spawn: MlSpawner,
    options: MlClientOptions = {},
  ) {
    this.opts = {
      cancelGraceMs: options.cancelGraceMs ?? 5000,
      trainSilenceMs: options.trainSilenceMs ?? 180_000,
      predictTimeoutMs: options.predictTimeoutMs ?? 60_000,
      evaluateTimeoutMs: options.evaluateTimeoutMs ?? 30 * 60_000,
    };
  }

  private warmConnection(): Connection {
    if (!this.warm || this.warm.dead) this.warm = new Connection(this.spawn(), 'ML');
    return this.warm;
  }

  /** A call on the warm process, killed and rejected if it takes longer than `timeoutMs`. */
  private async warmCall<T>(message: Bare<ParentMessage>, timeoutMs: number): Promise<T> {
    const conn = this.warmConnection();
    return this.withTimeout(conn, conn.request<T>(message).done, timeoutMs);
  }

  private async withTimeout<T>(conn: Connection, done: Promise<T>, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const err = new Error(`the ML process stopped responding (no answer in ${Math.round(timeoutMs / 1000)} s)`);
        conn.fail(err);
        reject(err);
      }, timeoutMs);
    });
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async backend(): Promise<BackendInfo> {
    if (this.backendCache) return this.backendCache;
    this.backendCache = await this.warmCall<BackendInfo>({ type: 'backend' }, this.opts.predictTimeoutMs);
    return this.backendCache;
  }

  /** Ten probabilities for each 784-byte normalised input (0 = background, 255 = ink). */
  async predict(modelDir: string, inputs: Uint8Array[]): Promise<number[][]> {
    for (const [k, px] of inputs.entries()) {
      if (px.length !== 784) throw new UserError(msg('predict.inputPixels', { index: k + 1, count: px.length }));
    }
    return this.warmCall<number[][]>(
      { type: 'predict', modelDir, inputs: inputs.map((px) => Array.from(px)) },
      this.opts.predictTimeoutMs,
    );
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

  /**
   * Evaluates on the warm process, reporting images done. Aborting `signal` stops the computation
   * there (between steps of ~2,000 images) and rejects; the process stays warm for the next call.
   */
  async evaluate(
    modelDir: string,
    datasetFiles: string[],
    options: { onProgress?(done: number, total: number): void; signal?: AbortSignal } = {},
  ): Promise<EvaluationResult> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const conn = this.warmConnection();
    const { id, done } = conn.request<EvaluationResult>({ type: 'evaluate', modelDir, datasetFiles }, undefined, onProgress);
    const onAbort = () => conn.send({ type: 'cancel', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.withTimeout(conn, done, this.opts.evaluateTimeoutMs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
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
    const { signal, onRows } = options;
    signal?.throwIfAborted();
    const conn = this.warmConnection();
    const { id, done } = conn.request<{ count: number; helper: boolean }>({ type: 'predictFile', modelDir, datasetFile }, undefined, undefined, onRows);
    const onAbort = () => conn.send({ type: 'cancel', id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.withTimeout(conn, done, this.opts.evaluateTimeoutMs);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Trains in a dedicated process. Aborting `signal` asks it to stop after the current batch (it
   * then saves the best model so far and resolves with state 'canceled'); if it then goes silent
   * for cancelGraceMs it is killed and the call rejects, saying whether a model was saved.
   */
  async train(request: TrainRequest, onEvent: (e: TrainEvent) => void, signal?: AbortSignal): Promise<TrainOutcome> {
    if (signal?.aborted) throw new UserError(msg('train.canceledBeforeStart'));
    const conn = new Connection(this.spawn(), 'training');
    this.training.add(conn);
    const { id, done } = conn.request<TrainOutcome>({ type: 'train', request }, onEvent);
    let graceTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      conn.send({ type: 'cancel', id });
      const grace = this.opts.cancelGraceMs;
      const canceledAt = Date.now();
      // Every message from the process (a status, the result) counts as progress.
      graceTimer = setInterval(() => {
        if (Math.min(conn.silentForMs, Date.now() - canceledAt) <= grace) return;
        clearInterval(graceTimer);
        conn.fail(new Error(`training did not finish stopping when canceled (silent for ${Math.round(grace / 1000)} s), so its process was ended; ${savedWords(request.outDir)}`));
      }, Math.max(10, Math.min(1000, grace / 5)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const watchdog = setInterval(() => {
      if (conn.silentForMs > this.opts.trainSilenceMs) {
        conn.fail(new Error(`the training process stopped responding (silent for ${Math.round(conn.silentForMs / 1000)} s) and was ended`));
      }
    }, Math.min(5000, this.opts.trainSilenceMs));
    watchdog.unref?.();
    try {
      const outcome = await done;
      this.backendCache ??= outcome.backend;
      return outcome;
    } finally {
      clearInterval(graceTimer);
      clearInterval(watchdog);
      signal?.removeEventListener('abort', onAbort);
      conn.rejectOne(id, new Error('finished'));
      conn.close();
      this.training.delete(conn);
    }
  }

  /** Pids of the running training processes (for fault tests and diagnostics). */
  trainingPids(): number[] {
    return [...this.training].map((c) => c.handle.pid).filter((p): p is number => typeof p === 'number');
  }

  async dispose(): Promise<void> {
    this.warm?.close();
    this.warm = null;
    for (const c of this.training) c.fail(new Error('the app is shutting down'));
    this.training.clear();
  }
}
