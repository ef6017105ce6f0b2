// Entry of the ML process. Electron's utilityProcess gives us process.parentPort; child_process.fork
// gives process.send / process.on('message'). Both carry the messages of ./protocol.ts.
import os from 'node:os';
import { isMainThread, parentPort as threadPort, workerData } from 'node:worker_threads';
import type { TrainEvent } from '../../preload/contract';
import { setMessageLanguage } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import * as handlers from './handlers';
import { verifyPieces } from './read-verifier';
import type { ParentMessage, WorkerMessage } from './protocol';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: WorkerMessage): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.send) process.send(message);
}

function onMessage(listener: (m: ParentMessage) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data as ParentMessage));
  else process.on('message', (m) => listener(m as ParentMessage));
}

const cancelled = new Set<number>();

async function handle(m: ParentMessage): Promise<void> {
  switch (m.type) {
    case 'cancel':
      cancelled.add(m.id);
      return;
    case 'exit':
      process.exit(0);
      return;
    case 'background':
      // Long work yields the CPU to what a person waits for (the pad's own process, the window):
      // it only matters when the cores are contended. On Linux this is this thread's priority,
      // which the threads it starts later (replica, predict helper) inherit.
      try {
        os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
      } catch {
        // Not allowed here: run at normal priority.
      }
      return;
    case 'backend':
      return reply(m.id, () => handlers.backendInfo());
    case 'describe':
      return reply(m.id, () => handlers.describe(m.modelDir));
    case 'inspect':
      return reply(m.id, () => handlers.inspect(m.modelDir, m.input));
    case 'predict':
      return reply(m.id, () => handlers.predict(m.modelDir, m.inputs));
    case 'verifyPieces':
      return reply(m.id, () => verifyPieces(m.inputs));
    case 'evaluate':
      return reply(m.id, () =>
        handlers.evaluate(m.modelDir, m.datasetFiles, {
          onProgress: (done, total) => send({ type: 'progress', id: m.id, done, total }),
          shouldStop: () => cancelled.has(m.id),
        }),
      );
    case 'predictFile':
      return reply(m.id, () =>
        handlers.predictFile(m.modelDir, m.datasetFile, {
          onRows: (from, probabilities, total) => send({ type: 'rows', id: m.id, from, total, probabilities: Array.from(probabilities) }),
          shouldStop: () => cancelled.has(m.id),
        }),
      );
    case 'train':
      return reply(m.id, () =>
        handlers.train(
          m.request,
          (event: TrainEvent) => send({ type: 'event', id: m.id, event }),
          () => cancelled.has(m.id),
        ),
      );
    default:
      return;
  }
}

async function reply(id: number, fn: () => Promise<unknown>): Promise<void> {
  try {
    send({ type: 'result', id, value: await fn() });
  } catch (err) {
    send({ type: 'error', id, message: messageOf(err), user: err instanceof UserError });
  } finally {
    cancelled.delete(id);
  }
}

function startProcess(): void {
  // Requests run one at a time, in order: TensorFlow work is synchronous anyway, and a queue keeps a
  // prediction from interleaving with a model load.
  let queue: Promise<void> = Promise.resolve();
  onMessage((m) => {
    if (!m || typeof m !== 'object') return;
    if (m.lang === 'en' || m.lang === 'bn') setMessageLanguage(m.lang);
    if (m.type === 'cancel' || m.type === 'exit' || m.type === 'background') {
      void handle(m);
      return;
    }
    queue = queue.then(() => handle(m));
  });

  // The parent is gone (fork): nothing left to work for.
  process.on('disconnect', () => process.exit(0));
  process.on('uncaughtException', (err) => {
    process.stderr.write(`ml-worker: ${messageOf(err)}\n`);
    process.exit(1);
  });
}

// The same file also serves as the training replica thread (main/ml-process/replica.ts), so the bundle
// needs no extra entry.
if (!isMainThread && (workerData as { role?: string } | null)?.role === 'training-replica') {
  // require, not import(): it must resolve the same way from sources (tsx) and from the bundle.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runReplica } = require('./replica') as typeof import('./replica');
  void runReplica(threadPort!);
} else if (!isMainThread && (workerData as { role?: string } | null)?.role === 'predict-helper') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPredictHelper } = require('./predict-helper') as typeof import('./predict-helper');
  void runPredictHelper(threadPort!);
} else {
  startProcess();
}
