// Data-parallel training on two cores. The stock WASM backend runs one thread in Node (its
// threaded build needs browser workers), so a second core would sit idle. Each batch is split:
// a replica in a worker thread computes the gradients of one half while this thread computes the
// other; the two are averaged (weighted by their sizes) and applied once (./batch-step.ts).
// Weights are sent to the replica before every batch, so both halves always see the same model.
// Each half carries its own random seed (dropout masks), so a half gives the same result on
// either thread.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { seededRandom } from '../data/dataset-ops';
import { loadTf, tf } from './backend';
import { type ProfileRows, profiler, sharedNow, threadCpuMs } from './profile';
import { trainingForward } from './train-forward';

export interface StepHalf {
  /** n × 784 floats 0–1. */
  x: Float32Array;
  labels: Int32Array;
  n: number;
  /** Seeds Math.random (dropout) for this half alone. */
  seed: number;
}

/** Settings of the loss that stay fixed for a run. */
export interface LossOptions {
  /** Weight moved from the true class to all classes evenly (0 = plain cross-entropy). */
  labelSmoothing: number;
}

export interface HalfResult {
  /** Gradients of the mean loss over the half, in trainable-weight order. */
  grads: Float32Array[];
  /** Non-trainable weights after the forward pass (batch-norm moving statistics). */
  nonTrainable: Float32Array[];
  loss: number;
  raw: number;
  accuracy: number;
  n: number;
  /** Milliseconds the half took on its thread (the replica's busy time, for the profile). */
  ms?: number;
  /** For the profile: the replica's CPU time for the half, its idle time before it (ms), when it posted this (sharedNow), its message delay in, and its tables. */
  cpu?: number;
  idle?: number;
  postedAt?: number;
  messageIn?: number;
  profile?: ProfileRows;
}

interface InitMessage {
  type: 'init';
  topology: string;
  trainable: boolean[];
  loss: LossOptions;
}

interface StepMessage {
  type: 'step';
  weights: Float32Array[];
  half: StepHalf;
  /** sharedNow() when sent (the profile's message delay). */
  sentAt: number;
}

/** Whether to train with a replica: WASM (single-threaded) and at least two cores. */
export function replicaWorthwhile(kind: string): boolean {
  if (process.env.DIGIT_STUDIO_REPLICA === '0') return false;
  if (process.env.DIGIT_STUDIO_REPLICA === '1') return true;
  return kind === 'wasm' && os.cpus().length >= 2;
}

/**
 * Forward and backward pass of one half batch: gradients of the mean clipped cross-entropy, plus
 * the unclipped loss (which turns Inf when the model diverges) and the accuracy.
 */
export function halfStep(
  model: LayersModel,
  trainableVars: import('@tensorflow/tfjs').Variable[],
  half: StepHalf,
  loss: LossOptions,
): HalfResult & { gradTensors: Tensor[] } {
  const t = tf();
  let raw = 0;
  let accuracy = 0;
  const endTensors = profiler().start('tensor creation');
  const x = t.tensor4d(half.x.subarray(0, half.n * 784), [half.n, 28, 28, 1]);
  const labels = t.tensor1d(half.labels.subarray(0, half.n), 'int32');
  const ls = loss.labelSmoothing;
  // (WASM's OneHot writes 0 for fractional on/off values, so the smoothing is done with plain ops.)
  const y = t.tidy(() => {
    const hot = t.cast(t.oneHot(labels, 10), 'float32');
    return ls > 0 ? t.add(t.mul(hot, 1 - ls), ls / 10) : hot;
  });
  endTensors();
  const endPass = profiler().start('forward + backward');
  const random = Math.random;
  Math.random = seededRandom(half.seed);
  let result;
  try {
    result = t.variableGrads(() => {
    const probs = trainingForward(model, x);
    const acc = t.mean(t.cast(t.equal(t.argMax(probs, 1), labels), 'float32'));
    // The unclipped loss of the true class (Inf or NaN once the model diverges).
    const rawT = t.neg(t.mean(t.log(t.sum(t.mul(t.oneHot(labels, 10), probs), 1))));
    accuracy = acc.dataSync()[0]!;
    raw = rawT.dataSync()[0]!;
    return t.mean(t.metrics.categoricalCrossentropy(y, probs)) as import('@tensorflow/tfjs').Scalar;
    }, trainableVars);
  } finally {
    Math.random = random;
    endPass();
  }
  const { value, grads } = result;
  const lossValue = value.dataSync()[0]!;
  value.dispose();
  x.dispose();
  labels.dispose();
  y.dispose();
  const gradTensors = trainableVars.map((v) => grads[v.name]!);
  return { gradTensors, grads: [], nonTrainable: [], loss: lossValue, raw, accuracy, n: half.n };
}

/** The main-thread side: a worker thread holding a copy of the model. */
export class Replica {
  private pending: { resolve(r: HalfResult): void; reject(e: Error): void } | null = null;
  private failed: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: HalfResult | { type: 'error'; message: string } | { type: 'ready' }) => {
      const p = this.pending;
      if ('type' in m && m.type === 'ready') return;
      this.pending = null;
      if ('type' in m && m.type === 'error') p?.reject(new Error(`training replica: ${m.message}`));
      else p?.resolve(m as HalfResult);
    });
    const die = (err: Error) => {
      this.failed = err;
      this.pending?.reject(err);
      this.pending = null;
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`training replica stopped (exit code ${code})`)));
  }

  static async start(entry: { entry: string; execArgv: string[] }, model: LayersModel, loss: LossOptions): Promise<Replica> {
    // Worker threads don't inherit `--import tsx`; from TypeScript sources, load it by hand.
    const fromSource = entry.entry.endsWith('.ts');
    const worker = fromSource
      ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(entry.entry)});`, {
          eval: true,
          workerData: { role: 'training-replica' },
          env: { ...process.env },
        })
      : new Worker(entry.entry, { workerData: { role: 'training-replica' }, env: { ...process.env } });
    const replica = new Replica(worker);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type?: string }) => {
        if (m?.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`training replica could not start (exit code ${code})`)));
      const init: InitMessage = {
        type: 'init',
        topology: JSON.stringify(model.toJSON(null, false)),
        trainable: model.layers.map((l) => l.trainable),
        loss,
      };
      worker.postMessage(init);
    });
    return replica;
  }

  /** Sends the current weights and a half batch; resolves with that half's gradients. */
  step(weights: Float32Array[], half: StepHalf): Promise<HalfResult> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<HalfResult>((resolve, reject) => {
      this.pending = { resolve, reject };
      const message: StepMessage = { type: 'step', weights, half, sentAt: sharedNow() };
      this.worker.postMessage(message);
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** The worker-thread side (entered from ml-worker.ts when workerData.role is 'training-replica'). */
export async function runReplica(port: import('node:worker_threads').MessagePort): Promise<void> {
  const { tf: t } = await loadTf();
  let model: LayersModel | null = null;
  let vars: import('@tensorflow/tfjs').Variable[] = [];
  let loss: LossOptions = { labelSmoothing: 0 };
  // Fault injection for tests (tests/main/ml-process/replica.test.ts): the thread dies after N steps.
  const crashAfter = Number(process.env.DIGIT_STUDIO_TEST_REPLICA_CRASH_AFTER ?? 0);
  let steps = 0;
  let lastPosted = 0;
  port.on('message', async (m: InitMessage | StepMessage) => {
    try {
      if (m.type === 'init') {
        loss = m.loss;
        model = await t.models.modelFromJSON(JSON.parse(m.topology));
        model.layers.forEach((l, i) => (l.trainable = m.trainable[i]!));
        vars = model.trainableWeights.map((w) => w.read() as import('@tensorflow/tfjs').Variable);
        port.postMessage({ type: 'ready' });
        return;
      }
      if (crashAfter > 0 && ++steps > crashAfter) process.exit(3);
      const t0 = performance.now();
      const received = sharedNow();
      // (Reading the thread's CPU time costs ~0.2 ms on a loaded machine: only when profiling.)
      const profiling = profiler().enabled;
      const cpu0 = profiling ? threadCpuMs() : 0;
      const mdl = model!;
      const endWeights = profiler().start('set weights');
      const current = mdl.getWeights();
      const fresh = m.weights.map((w, i) => t.tensor(w, current[i]!.shape));
      mdl.setWeights(fresh);
      fresh.forEach((w) => w.dispose());
      endWeights();
      const r = halfStep(mdl, vars, m.half, loss);
      const endRead = profiler().start('read gradients');
      const grads = r.gradTensors.map((g) => g.dataSync() as Float32Array);
      r.gradTensors.forEach((g) => g.dispose());
      const nonTrainable = mdl.nonTrainableWeights.map((w) => w.read().dataSync() as Float32Array);
      endRead();
      const out: HalfResult = {
        grads,
        nonTrainable,
        loss: r.loss,
        raw: r.raw,
        accuracy: r.accuracy,
        n: r.n,
        ms: performance.now() - t0,
        cpu: profiling ? threadCpuMs() - cpu0 : 0,
        idle: lastPosted ? received - lastPosted : 0,
        messageIn: received - m.sentAt,
        profile: profiler().take(),
      };
      lastPosted = out.postedAt = sharedNow();
      port.postMessage(out);
    } catch (err) {
      port.postMessage({ type: 'error', message: (err as Error).message });
    }
  });
}
