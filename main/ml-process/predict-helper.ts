// A second core for batch prediction. The WASM backend runs one thread in Node, so predicting
// 28,000 digits with the default CNN kept one core busy for ~20 s while the other sat idle. A
// helper worker thread holds a copy of the model and predicts half of every block while this
// thread predicts the other half (the same split the training replica uses, replica.ts).
import os from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../data/dataset';
import { loadTf, tf } from './backend';
import { foldedForward } from './inference';
import { winogradForward } from './winograd/forward';

interface InitMessage {
  type: 'init';
  topology: string;
  weights: { shape: number[]; data: Float32Array }[];
}

interface WorkMessage {
  type: 'predict';
  /** n × 784 floats 0–1. */
  x: Float32Array;
  n: number;
}

type HelperReply = { type: 'ready' } | { type: 'probabilities'; data: Float32Array } | { type: 'error'; message: string };

/** Whether a helper is worth starting: WASM (single-threaded) and at least two cores, and enough work. */
export function helperWorthwhile(kind: string, samples: number): boolean {
  if (process.env.DIGIT_STUDIO_PREDICT_HELPER === '0') return false;
  if (process.env.DIGIT_STUDIO_PREDICT_HELPER === '1') return true;
  // Starting the thread (loading WASM and the model) costs ~0.5 s: not worth it for a few pictures.
  return kind === 'wasm' && os.cpus().length >= 2 && samples >= 2048;
}

/**
 * Images per forward pass. Measured the same speed as 1,024 on WASM, and the first convolution's
 * output for 1,024 images is 100 MB where 256 is 25 MB.
 */
const PASS = 256;

/** Ten probabilities per image for n images, given n × 784 floats. */
type Forward = (x: Float32Array, n: number) => Float32Array;

/** The forward pass of each model, made on first use: Winograd (winograd/forward.ts) where it fits, else folded (inference.ts). */
const forwards = new WeakMap<LayersModel, Forward>();

function forwardOf(model: LayersModel): Forward {
  let forward = forwards.get(model);
  if (forward) return forward;
  const wino = winogradForward(model);
  if (wino) forward = (x, n) => wino.run(x, n);
  else {
    const t = tf();
    const folded = foldedForward(model);
    forward = (x, n) => {
      const input = t.tensor4d(x.subarray(0, n * IMAGE_PIXELS), [n, 28, 28, 1]);
      const out: Tensor = folded.run(input);
      input.dispose();
      const data = out.dataSync() as Float32Array;
      out.dispose();
      return data;
    };
  }
  forwards.set(model, forward);
  return forward;
}

/** Ten probabilities per image for n images, on this thread. */
export function predictFloats(model: LayersModel, x: Float32Array, n: number): Float32Array {
  const forward = forwardOf(model);
  const result = new Float32Array(n * 10);
  for (let from = 0; from < n; from += PASS) {
    const m = Math.min(PASS, n - from);
    result.set(forward(x.subarray(from * IMAGE_PIXELS, (from + m) * IMAGE_PIXELS), m), from * 10);
  }
  return result;
}

export class PredictHelper {
  private pending: { resolve(r: Float32Array): void; reject(e: Error): void } | null = null;
  private failed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: HelperReply) => {
      if (m.type === 'ready') return;
      const p = this.pending;
      this.pending = null;
      if (m.type === 'error') p?.reject(new Error(`prediction helper: ${m.message}`));
      else p?.resolve(m.data);
    });
    const die = (err: Error) => {
      this.failed = err;
      this.pending?.reject(err);
      this.pending = null;
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`prediction helper stopped (exit code ${code})`)));
  }

  static async start(entry: { entry: string }, model: LayersModel): Promise<PredictHelper> {
    // Worker threads don't inherit `--import tsx`; from TypeScript sources, load it by hand.
    const workerData = { role: 'predict-helper' };
    const worker = entry.entry.endsWith('.ts')
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry.entry)});`, { eval: true, workerData, env: { ...process.env } })
      : new Worker(entry.entry, { workerData, env: { ...process.env } });
    const helper = new PredictHelper(worker);
    try {
      await new Promise<void>((resolve, reject) => {
        const onMessage = (m: HelperReply) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'error') reject(new Error(m.message));
          else return;
          worker.off('message', onMessage);
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`prediction helper could not start (exit code ${code})`)));
        const weights = model.getWeights().map((w) => ({ shape: w.shape, data: w.dataSync() as Float32Array }));
        const init: InitMessage = { type: 'init', topology: JSON.stringify(model.toJSON(null, false)), weights };
        worker.postMessage(init);
      });
    } catch (err) {
      await helper.stop();
      throw err;
    }
    return helper;
  }

  /** Ten probabilities per image for n images (n × 784 floats), on the helper thread. */
  predict(x: Float32Array, n: number): Promise<Float32Array> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<Float32Array>((resolve, reject) => {
      this.pending = { resolve, reject };
      const message: WorkMessage = { type: 'predict', x, n };
      this.worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate().catch(() => undefined);
  }
}

/** The worker-thread side (entered from ml-worker.ts when workerData.role is 'predict-helper'). */
export async function runPredictHelper(port: MessagePort): Promise<void> {
  const { tf: t } = await loadTf();
  let model: LayersModel | null = null;
  port.on('message', async (m: InitMessage | WorkMessage) => {
    try {
      if (m.type === 'init') {
        model = await t.models.modelFromJSON(JSON.parse(m.topology));
        const fresh = m.weights.map((w) => t.tensor(w.data, w.shape));
        model.setWeights(fresh);
        fresh.forEach((w) => w.dispose());
        port.postMessage({ type: 'ready' } satisfies HelperReply);
        return;
      }
      const data = predictFloats(model!, m.x, m.n);
      port.postMessage({ type: 'probabilities', data } satisfies HelperReply);
    } catch (err) {
      port.postMessage({ type: 'error', message: (err as Error).message } satisfies HelperReply);
    }
  });
}
