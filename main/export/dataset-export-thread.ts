// Runs a dataset export on a worker thread: writing 60,000 samples as PNGs in a zip takes seconds
// of CPU (deflating each picture and the archive), which on Electron's main thread would freeze the
// windows and IPC meanwhile (the same reason imports run on a thread: main/data/import-thread.ts).
// The pixels and labels are copied to the worker; it writes the file and reports back. When the
// worker script is missing (a partial build), the export runs in-process.
import type { Language } from '../../preload/contract';
import type { Dataset } from '../data/dataset';
import { messageLanguage } from '../i18n';
import { UserError } from '../util/errors';
import { startWorkerScript } from '../util/worker-script';
import { exportDataset, type DataExportFormat, type DataExportResult } from './dataset-export';

export interface DatasetExportJob {
  count: number;
  pixels: Uint8Array;
  labels: Int8Array;
  format: DataExportFormat;
  out: string;
  /** The language of its messages (a thread doesn't share the main thread's; issue 15). */
  language: Language;
}

export type DatasetExportReply =
  | { type: 'done'; result: DataExportResult }
  | { type: 'failed'; message: string; file?: string; user: boolean; stack?: string };

export async function exportDatasetInThread(ds: Dataset, format: DataExportFormat, out: string): Promise<DataExportResult & { onThread: boolean }> {
  const job: DatasetExportJob = { count: ds.count, pixels: ds.pixels.subarray(0, ds.count * 784), labels: ds.labels.subarray(0, ds.count), format, out, language: messageLanguage() };
  const worker = startWorkerScript(__dirname, 'dataset-export-worker', { workerData: job });
  if (!worker) return { ...(await exportDataset(ds, format, out)), onThread: false };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate().catch(() => undefined);
    };
    worker.on('message', (m: DatasetExportReply) =>
      settle(() => {
        if (m.type === 'done') return resolve({ ...m.result, onThread: true });
        if (m.user) return reject(new UserError(m.message, m.file));
        const err = new Error(m.message);
        if (m.stack) err.stack = m.stack;
        reject(err);
      }),
    );
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the export thread stopped unexpectedly (exit code ${code})`))));
  });
}
