// Decodes and normalises pictures on worker threads (one per core), so a 21,000-photo import keeps
// every core busy: sharp's own threads decode, and our normalisation (plain JS) no longer queues on
// the main thread. When the worker script can't be found (a build without it), or workers fail to
// start, everything runs in-process instead: slower, never broken.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerScript } from '../util/worker-script';
import { UserError } from '../util/errors';
import type { DecodeReply, DecodeRequest } from './decode-worker';
import { decodeImage } from './image-decode';
import { normalizeDigit } from './normalize';

export interface DigitDecoder {
  /** Picture bytes → 784-byte sample. Rejects with UserError for unreadable pictures. */
  decode(buffer: Buffer, name: string): Promise<Uint8Array>;
  /** How the work is spread, for logs and the benchmark: "2 worker threads" or "in-process". */
  readonly mode: string;
  close(): Promise<void>;
}

async function decodeInProcess(buffer: Buffer, name: string): Promise<Uint8Array> {
  const img = await decodeImage({ buffer, name });
  return normalizeDigit(img.gray, img.width, img.height);
}

export function inProcessDecoder(): DigitDecoder {
  return { decode: decodeInProcess, mode: 'in-process', close: async () => undefined };
}

/**
 * A small young generation: decoding churns short-lived garbage, and V8's default (16 MB
 * semi-spaces) lets each worker's heap balloon by tens of MB for nothing. Measured: same speed.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 6 };

function startWorker(): Worker | null {
  return startWorkerScript(__dirname, 'decode-worker', { resourceLimits: WORKER_LIMITS });
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/**
 * A pool of `threads` workers (default: one fewer than the cores) plus the main thread itself, which
 * takes its share of pictures too: it is otherwise idle during an import, and every extra worker
 * costs memory (its own V8 heap and module copies).
 */
export function createDecoder(threads = Math.max(1, os.cpus().length - 1)): DigitDecoder {
  const slots: Slot[] = [];
  try {
    for (let i = 0; i < Math.max(1, threads); i++) {
      const worker = startWorker();
      if (!worker) break;
      worker.unref();
      slots.push({ worker, inFlight: 0 });
    }
  } catch {
    // Worker threads unavailable: fall back below.
  }
  if (!slots.length) return inProcessDecoder();

  let nextId = 1;
  let broken = false;
  let mainInFlight = 0;
  const pending = new Map<number, { slot: Slot; resolve: (p: Uint8Array) => void; reject: (e: Error) => void; buffer: Buffer; name: string }>();
  for (const slot of slots) {
    slot.worker.on('message', (reply: DecodeReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      slot.inFlight--;
      if ('pixels' in reply) p.resolve(reply.pixels);
      else p.reject(reply.user ? new UserError(reply.error, p.name) : new Error(reply.error));
    });
    const fail = () => {
      // A worker died (it shouldn't): finish its pictures in-process rather than lose them.
      broken = true;
      for (const [id, p] of pending) {
        if (p.slot !== slot) continue;
        pending.delete(id);
        decodeInProcess(p.buffer, p.name).then(p.resolve, p.reject);
      }
    };
    slot.worker.on('error', fail);
    slot.worker.on('exit', fail);
  }

  return {
    mode: `main thread + ${slots.length} worker thread${slots.length === 1 ? '' : 's'}`,
    decode(buffer, name) {
      const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      // The main thread also reads the archive and hands out work, so it takes a smaller share.
      if (broken || mainInFlight < slot.inFlight - 1) {
        mainInFlight++;
        return decodeInProcess(buffer, name).finally(() => mainInFlight--);
      }
      slot.inFlight++;
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { slot, resolve, reject, buffer, name });
        // A copy goes to the worker: `buffer` may be a view into a larger one we can't detach.
        const copy = new Uint8Array(buffer);
        const msg: DecodeRequest = { id, buffer: copy, name };
        slot.worker.postMessage(msg, [copy.buffer]);
      });
    },
    async close() {
      broken = true;
      await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
    },
  };
}
