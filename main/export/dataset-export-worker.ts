// Worker-thread entry for dataset exports (main/export/dataset-export-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { setMessageLanguage } from '../i18n';
import { workerFailure } from '../util/worker-script';
import { exportDataset } from './dataset-export';
import type { DatasetExportJob, DatasetExportReply } from './dataset-export-thread';

const port = parentPort;
if (port) {
  const job = workerData as DatasetExportJob;
  setMessageLanguage(job.language);
  const send = (reply: DatasetExportReply) => port.postMessage(reply);
  const sources = new Array<string>(job.count).fill('');
  exportDataset({ count: job.count, pixels: job.pixels, labels: job.labels, sources }, job.format, job.out).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) => send({ type: 'failed', ...workerFailure(err) }),
  );
}
