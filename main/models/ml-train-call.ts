// A training run on the main side: a process of its own per run, so a crash or a kill there loses
// only that run. Cancel asks the process to stop after the current batch (it then saves the best
// model so far); a process that then goes silent for the grace period, or silent for too long at
// any time, is ended and the call says whether a model was saved.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TrainEvent } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { TrainOutcome, TrainRequest } from '../ml-process/protocol';
import { MODEL_JSON, WEIGHTS_BIN } from './model-metadata';
import { Connection } from './ml-connection';
import type { MlSpawner } from './spawner';

/**
 * Whether a model is in `outDir` after its process was ended: models are written atomically, so a
 * complete one is there or nothing is.
 */
function savedWords(outDir: string): string {
  return existsSync(path.join(outDir, MODEL_JSON)) && existsSync(path.join(outDir, WEIGHTS_BIN))
    ? `the model it had saved is kept in ${outDir}`
    : 'no model was saved';
}

export interface TrainCallOptions {
  cancelGraceMs: number;
  trainSilenceMs: number;
  /** Below-normal CPU priority for the run's process (MlClientOptions.backgroundLongWork). */
  background?: boolean;
  /** Where the running process is kept while it runs (the client lists and ends them). */
  running: Set<Connection>;
}

export async function trainInOwnProcess(
  spawn: MlSpawner,
  opts: TrainCallOptions,
  request: TrainRequest,
  onEvent: (e: TrainEvent) => void,
  signal?: AbortSignal,
): Promise<TrainOutcome> {
  if (signal?.aborted) throw new UserError(msg('train.canceledBeforeStart'));
  const conn = new Connection(spawn(), 'training');
  opts.running.add(conn);
  if (opts.background) conn.send({ type: 'background' });
  const { id, done } = conn.request<TrainOutcome>({ type: 'train', request }, onEvent);
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    conn.send({ type: 'cancel', id });
    const grace = opts.cancelGraceMs;
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
    if (conn.silentForMs > opts.trainSilenceMs) {
      conn.fail(new Error(`the training process stopped responding (silent for ${Math.round(conn.silentForMs / 1000)} s) and was ended`));
    }
  }, Math.min(5000, opts.trainSilenceMs));
  watchdog.unref?.();
  try {
    return await done;
  } finally {
    clearInterval(graceTimer);
    clearInterval(watchdog);
    signal?.removeEventListener('abort', onAbort);
    conn.rejectOne(id, new Error('finished'));
    conn.close();
    opts.running.delete(conn);
  }
}
