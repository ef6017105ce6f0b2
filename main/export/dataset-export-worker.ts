// Worker-thread entry for dataset exports (main/export/dataset-export-thread.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { UserError, messageOf } from '../util/errors';
import { exportDataset } from './dataset-export';
import type { DatasetExportJob, DatasetExportReply } from './dataset-export-thread';

const port = parentPort;
if (port) {
  const job = workerData as DatasetExportJob;
  const send = (reply: DatasetExportReply) => port.postMessage(reply);
  const sources = new Array<string>(job.count).fill('');
  exportDataset({ count: job.count, pixels: job.pixels, labels: job.labels, sources }, job.format, job.out).then(
    (result) => send({ type: 'done', result }),
    (err: unknown) =>
      send({
        type: 'failed',
        message: messageOf(err),
        file: err instanceof UserError ? err.file : undefined,
        user: err instanceof UserError,
        stack: err instanceof Error && !(err instanceof UserError) ? err.stack : undefined,
      }),
  );
}
