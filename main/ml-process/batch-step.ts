// One training step, the same whatever the number of threads. A batch of n ≥ MIN_SPLIT images is
// always computed as two fixed halves, [0, n/2) and [n/2, n): each half's forward pass (its
// batch-norm statistics: "ghost batch norm" over half batches) and gradients, from the same
// weights, the same non-trainable state and its own dropout seed. With a replica thread the first
// half runs there while this thread runs the second; without one (or once it has died) both run
// here, one after the other. The gradients are averaged by size and applied once; moving
// batch-norm statistics are the size-weighted average of what each half made of the same start.
// So one thread and two threads give the same weights (up to float rounding).
import type { LayersModel, Optimizer, Tensor, Variable } from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../data/dataset';
import { msg } from '../i18n';
import { tf } from './backend';
import { type HalfResult, type LossOptions, type Replica, type StepHalf, halfStep } from './replica';
import { profiler, sharedNow, threadCpuMs } from './profile';

/** Below this, a batch (an epoch's small last one) runs whole: halves of 7 would be noisy statistics. */
export const MIN_SPLIT = 16;

export interface StepOutcome {
  loss: number;
  raw: number;
  accuracy: number;
}

/** Per half: gradients (tensors here, arrays from the replica) and non-trainable weights after it. */
interface Half {
  r: HalfResult;
  grads: (Tensor | Float32Array)[];
  nonTrainable: (Tensor | Float32Array)[];
}

export class BatchStepper {
  constructor(
    private readonly model: LayersModel,
    private readonly vars: Variable[],
    private readonly optimizer: Optimizer,
    private readonly loss: LossOptions,
    private replica: Replica | null,
    private readonly onStatus: (message: string) => void = () => {},
  ) {}

  get threads(): number {
    return this.replica ? 2 : 1;
  }

  /**
   * Trains on images [0, n) of x/labels; `seed` makes the step's dropout reproducible. `idle` runs
   * once this thread's half is done and before waiting for the replica's (work that fills the wait).
   */
  async step(x: Float32Array, labels: Int32Array, n: number, seed: number, idle: () => void = () => {}): Promise<StepOutcome> {
    const prof = profiler();
    if (!prof.enabled) return this.run(x, labels, n, seed, idle);
    const wall0 = performance.now();
    const cpu0 = threadCpuMs();
    try {
      return await this.run(x, labels, n, seed, idle);
    } finally {
      prof.add(prof.threads, 'step wall', performance.now() - wall0);
      prof.add(prof.threads, 'main cpu', threadCpuMs() - cpu0);
    }
  }

  private async run(x: Float32Array, labels: Int32Array, n: number, seed: number, idle: () => void): Promise<StepOutcome> {
    const t = tf();
    const prof = profiler();
    if (n < MIN_SPLIT) {
      const r = halfStep(this.model, this.vars, { x, labels, n, seed }, this.loss);
      try {
        this.apply([{ r, grads: r.gradTensors, nonTrainable: [] }], false);
      } finally {
        r.gradTensors.forEach((g) => g.dispose());
      }
      return { loss: r.loss, raw: r.raw, accuracy: r.accuracy };
    }
    const nA = Math.floor(n / 2);
    const halfA: StepHalf = { x: x.subarray(0, nA * IMAGE_PIXELS), labels: labels.subarray(0, nA), n: nA, seed: (seed * 2) >>> 0 };
    const halfB: StepHalf = { x: x.subarray(nA * IMAGE_PIXELS), labels: labels.subarray(nA), n: n - nA, seed: (seed * 2 + 1) >>> 0 };
    const stateful = this.model.nonTrainableWeights;
    // The non-trainable state both halves start from (batch-norm moving statistics).
    const start = stateful.map((w) => t.keep(w.read().clone()));
    let remote: Promise<HalfResult> | null = null;
    if (this.replica) {
      const end = prof.start('replica send');
      const weights = this.model.getWeights().map((w) => w.dataSync() as Float32Array);
      // Copies: the buffers are reused for the next batch while the replica still works.
      remote = this.replica.step(weights, { ...halfA, x: halfA.x.slice(), labels: halfA.labels.slice() });
      end();
    }
    const halves: Half[] = [];
    try {
      const rB = halfStep(this.model, this.vars, halfB, this.loss);
      halves.push({ r: rB, grads: rB.gradTensors, nonTrainable: stateful.map((w) => t.keep(w.read().clone())) });
      let rA: HalfResult | null = null;
      if (remote) {
        idle();
        const end = prof.start('replica wait');
        const wait0 = performance.now();
        try {
          rA = await remote;
          if (prof.enabled) {
            prof.add(prof.threads, 'main wait', performance.now() - wait0);
            prof.add(prof.threads, 'replica cpu', rA.cpu ?? 0);
            prof.add(prof.threads, 'replica busy', rA.ms ?? 0);
            prof.add(prof.threads, 'replica idle', rA.idle ?? 0);
            prof.add(prof.threads, 'replica message in', rA.messageIn ?? 0);
            prof.add(prof.threads, 'replica message out', sharedNow() - (rA.postedAt ?? sharedNow()));
            prof.mergeReplica(rA.profile);
          }
        } catch (err) {
          // The second thread died (or failed): go on with one, computing its half here.
          this.onStatus(msg('train.status.oneCoreNow', { cause: (err as Error).message }));
          const dead = this.replica;
          this.replica = null;
          void dead?.stop().catch(() => {});
        }
        end();
      }
      if (rA) {
        halves.unshift({ r: rA, grads: rA.grads, nonTrainable: rA.nonTrainable });
      } else {
        stateful.forEach((w, i) => w.write(start[i]!));
        const local = halfStep(this.model, this.vars, halfA, this.loss);
        halves.unshift({ r: local, grads: local.gradTensors, nonTrainable: stateful.map((w) => t.keep(w.read().clone())) });
      }
      this.apply(halves, true);
    } finally {
      start.forEach((s) => s.dispose());
      for (const h of halves) {
        for (const v of [...h.grads, ...h.nonTrainable]) if (!(v instanceof Float32Array)) v.dispose();
      }
    }
    const total = halves[0]!.r.n + halves[1]!.r.n;
    const mix = (f: (r: HalfResult) => number) => (f(halves[0]!.r) * halves[0]!.r.n + f(halves[1]!.r) * halves[1]!.r.n) / total;
    return { loss: mix((r) => r.loss), raw: mix((r) => r.raw), accuracy: mix((r) => r.accuracy) };
  }

  /** Applies the size-weighted mean of the halves' gradients; writes their mean non-trainable state. */
  private apply(halves: Half[], writeState: boolean): void {
    const t = tf();
    const end = profiler().start('apply gradients');
    const total = halves.reduce((s, h) => s + h.r.n, 0);
    t.tidy(() => {
      const asTensor = (v: Tensor | Float32Array, shape: number[]) => (v instanceof Float32Array ? t.tensor(v, shape) : v);
      const mean = (pick: (h: Half) => Tensor | Float32Array, shape: number[]) => {
        if (halves.length === 1) return asTensor(pick(halves[0]!), shape);
        let acc: Tensor | null = null;
        for (const h of halves) {
          const term = t.mul(asTensor(pick(h), shape), h.r.n / total);
          acc = acc ? t.add(acc, term) : term;
        }
        return acc!;
      };
      const grads: Record<string, Tensor> = {};
      this.vars.forEach((v, i) => (grads[v.name] = mean((h) => h.grads[i]!, v.shape)));
      this.optimizer.applyGradients(grads as never);
      if (writeState) this.model.nonTrainableWeights.forEach((w, i) => w.write(mean((h) => h.nonTrainable[i]!, w.shape as number[])));
    });
    end();
  }

  async stop(): Promise<void> {
    await this.replica?.stop();
    this.replica = null;
  }
}
