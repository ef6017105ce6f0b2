// Worker-thread entry for imports (main/data/import-thread.ts): runs the whole import, and saves
// the dataset file, off the caller's thread. In the app that keeps Electron's main thread free for
// windows and IPC during a long import, and it lets the import run with a small young generation
// (see import-thread.ts), which the main process can't be given.
import { parentPort, workerData } from 'node:worker_threads';
import { setMessageLanguage } from '../i18n';
import { workerFailure } from '../util/worker-script';
import { runImport, type ImportJob, type ImportWorkerReply } from './import-run';

const port = parentPort;
if (port) {
  const controller = new AbortController();
  port.on('message', (m: { type: 'cancel' }) => {
    if (m.type === 'cancel') controller.abort(new Error('canceled'));
  });
  const job = workerData as ImportJob;
  if (job.language) setMessageLanguage(job.language);
  const send = (reply: ImportWorkerReply) => port.postMessage(reply);
  runImport(job, { signal: controller.signal, onProgress: (progress) => send({ type: 'progress', progress }) }).then(
    (summary) => send({ type: 'done', summary }),
    (err: unknown) => send({ type: 'failed', ...workerFailure(err), aborted: controller.signal.aborted }),
  );
}
