// Runs an import (and the save of its dataset) on a worker thread, so that:
// - the caller's thread stays free: in the app that is Electron's main thread, which also serves
//   windows and IPC and must not stall for the 20 s of a 21,000-photo import;
// - memory stays near the dataset's own size. Decoding churns through short-lived garbage, and
//   V8's default young generation (up to 3 × 16 MB) then fills up: measured, that alone was ~30 MB
//   more resident memory for the whole import. A worker takes `resourceLimits`; Electron's main
//   process can't be given V8 flags. The dataset never crosses back: the worker saves it.
// - a hostile file that makes the import run out of memory ends the worker, not the app.
// When the worker script is missing (a partial build), the same import runs in-process.
import type { Worker } from 'node:worker_threads';
import { messageLanguage, msg } from '../i18n';
import { UserError } from '../util/errors';
import { startWorkerScript } from '../util/worker-script';
import type { ImportProgress } from './import';
import { runImport, type ImportJob, type ImportSummary, type ImportWorkerReply } from './import-run';

export type { ImportJob, ImportSummary } from './import-run';

export interface ImportThreadOptions {
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
}

/** Young generation of the import thread, in MB. 1, 2, 4 and 8 MB measured the same speed; 8 cost ~9 MB more. */
const YOUNG_GENERATION_MB = 2;
/** A cap on the import's own JS heap (file names, the report): pixels and sources are kept outside it. */
export const IMPORT_HEAP_LIMIT_MB = 1024;
/** After a cancel, how long the import may take to stop before its thread is ended. */
const CANCEL_GRACE_MS = 5000;

/** The import's summary, and whether it really ran on its own thread (false: the in-process fallback). */
export type ImportThreadResult = ImportSummary & { onThread: boolean };

export async function importInThread(job: ImportJob, options: ImportThreadOptions = {}): Promise<ImportThreadResult> {
  const { signal, onProgress } = options;
  signal?.throwIfAborted();
  const worker = startWorkerScript(__dirname, 'import-worker', {
    workerData: { ...job, language: job.language ?? messageLanguage() },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: IMPORT_HEAP_LIMIT_MB },
  });
  if (!worker) return { ...(await runImport(job, options)), onThread: false };
  return { ...(await watch(worker, job, signal, onProgress)), onThread: true };
}

function watch(worker: Worker, job: ImportJob, signal: AbortSignal | undefined, onProgress: ((p: ImportProgress) => void) | undefined): Promise<ImportSummary> {
  return new Promise<ImportSummary>((resolve, reject) => {
    let settled = false;
    let grace: NodeJS.Timeout | undefined;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(grace);
      fn();
      // The worker has finished (or failed, or was canceled): end it.
      void worker.terminate().catch(() => undefined);
    };
    const canceled = () => signal?.reason ?? new Error('canceled');
    function onAbort() {
      worker.postMessage({ type: 'cancel' });
      grace = setTimeout(() => settle(() => reject(canceled())), CANCEL_GRACE_MS);
      grace.unref();
    }
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: ImportWorkerReply) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') settle(() => resolve(m.summary));
      else if (m.type === 'failed') {
        settle(() => {
          if (m.aborted || signal?.aborted) return reject(canceled());
          if (m.user) return reject(new UserError(m.message, m.file));
          const err = new Error(m.message);
          if (m.stack) err.stack = m.stack;
          reject(err);
        });
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      settle(() => {
        if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          reject(new UserError(msg('import.outOfMemory', { file: job.paths[0]!, mb: IMPORT_HEAP_LIMIT_MB }), job.paths[0]));
        } else reject(err);
      });
    });
    worker.on('exit', (code) => settle(() => reject(signal?.aborted ? canceled() : new Error(`the import thread stopped unexpectedly (exit code ${code})`))));
  });
}
