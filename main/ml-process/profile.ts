// Where training time goes, when DIGIT_STUDIO_PROFILE=1: wall time per phase of the loop (batch
// assembly, augmentation, tensor creation, replica messages and waits, applying gradients) and
// per TensorFlow kernel (exclusive time: a kernel of ours that calls a stock kernel is charged only
// for its own work). Off by default, when every call is a no-op. The trainer prints the table
// after each epoch (stderr), and the bench's train_* runs show it.
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { Tf } from './backend';

interface Entry {
  ms: number;
  count: number;
}

const noop = () => {};

export class Profiler {
  readonly phases = new Map<string, Entry>();
  readonly kernels = new Map<string, Entry>();
  private stack: number[] = [];

  constructor(readonly enabled: boolean) {}

  /** Starts timing a phase; call the returned function to end it. */
  start(label: string): () => void {
    if (!this.enabled) return noop;
    const t0 = performance.now();
    return () => this.add(this.phases, label, performance.now() - t0);
  }

  add(map: Map<string, Entry>, label: string, ms: number, count = 1): void {
    const e = map.get(label) ?? { ms: 0, count: 0 };
    e.ms += ms;
    e.count += count;
    map.set(label, e);
  }

  /** Wraps every kernel registered for `backend` with an exclusive-time counter. */
  instrumentKernels(tf: Tf, backend: string): void {
    if (!this.enabled) return;
    for (const k of tf.getKernelsForBackend(backend)) {
      const inner = k.kernelFunc;
      const name = k.kernelName;
      const wrapped = ((args: unknown) => {
        const t0 = performance.now();
        this.stack.push(0);
        try {
          return (inner as (a: unknown) => unknown)(args);
        } finally {
          const total = performance.now() - t0;
          const children = this.stack.pop()!;
          if (this.stack.length) this.stack[this.stack.length - 1]! += total;
          this.add(this.kernels, name, total - children);
        }
      }) as unknown as KernelFunc;
      tf.unregisterKernel(name, backend);
      tf.registerKernel({ ...k, kernelFunc: wrapped });
    }
  }

  reset(): void {
    this.phases.clear();
    this.kernels.clear();
  }

  /** A table of the largest entries, milliseconds per `per` (e.g. per epoch). */
  table(title: string, top = 14): string {
    const lines = [`profile: ${title}`];
    for (const [name, map] of [
      ['phases (wall time, this thread)', this.phases],
      ['kernels (exclusive time, this thread)', this.kernels],
    ] as const) {
      const rows = [...map.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const total = rows.reduce((s, [, e]) => s + e.ms, 0);
      lines.push(`  ${name}: ${total.toFixed(0)} ms`);
      for (const [label, e] of rows.slice(0, top)) {
        lines.push(`    ${label.padEnd(28)} ${e.ms.toFixed(0).padStart(7)} ms  ${((100 * e.ms) / (total || 1)).toFixed(1).padStart(5)}%  ×${e.count}`);
      }
    }
    return lines.join('\n');
  }
}

let instance: Profiler | null = null;

/** The process's profiler (one per thread), on when DIGIT_STUDIO_PROFILE=1. */
export function profiler(): Profiler {
  instance ??= new Profiler(process.env.DIGIT_STUDIO_PROFILE === '1');
  return instance;
}
