// Where training time goes, when DIGIT_STUDIO_PROFILE=1: wall time per phase of the loop (batch
// assembly, augmentation, tensor creation, replica messages and waits, applying gradients) and
// per TensorFlow kernel (exclusive time: a kernel of ours that calls a stock kernel is charged only
// for its own work), on this thread and on the replica thread (its tables come back with each half),
// plus each thread's busy and idle time per step: wall time, CPU time on the thread (Linux's
// /proc/thread-self/schedstat, which a loaded machine doesn't inflate) and time spent waiting.
// Off by default, when every call is a no-op. The trainer prints the table after each epoch
// (stderr), and the bench's train_* runs show it.
import { readFileSync } from 'node:fs';
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { Tf } from './backend';

interface Entry {
  ms: number;
  count: number;
}

/** A profile's maps in a form that crosses threads (postMessage). */
export type ProfileRows = { phases: [string, Entry][]; kernels: [string, Entry][] };

const noop = () => {};

let schedstat: boolean | null = null;

/**
 * CPU time this thread has run, in milliseconds: Linux's per-thread scheduler statistics
 * (nanoseconds on a CPU, but updated at scheduler ticks: a few milliseconds' resolution, fine per
 * step and per epoch, not per kernel), else the whole process's user + system time (then both
 * threads add up).
 */
export function threadCpuMs(): number {
  if (schedstat !== false) {
    try {
      const ns = Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]);
      schedstat = true;
      return ns / 1e6;
    } catch {
      schedstat = false;
    }
  }
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** A time stamp comparable between threads (each thread's performance.now() has its own origin). */
export const sharedNow = () => performance.timeOrigin + performance.now();

export class Profiler {
  readonly phases = new Map<string, Entry>();
  readonly kernels = new Map<string, Entry>();
  /** The replica thread's phases and kernels, as it reported them. */
  readonly replicaPhases = new Map<string, Entry>();
  readonly replicaKernels = new Map<string, Entry>();
  /** Per-step thread figures: wall, CPU and waits of each thread (see `table`). */
  readonly threads = new Map<string, Entry>();
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

  /** This thread's tables, emptied (the replica sends them with each half). */
  take(): ProfileRows | undefined {
    if (!this.enabled) return undefined;
    const rows = { phases: [...this.phases.entries()], kernels: [...this.kernels.entries()] };
    this.phases.clear();
    this.kernels.clear();
    return rows;
  }

  /** Adds what the replica measured. */
  mergeReplica(rows: ProfileRows | undefined): void {
    if (!rows) return;
    for (const [k, e] of rows.phases) this.add(this.replicaPhases, k, e.ms, e.count);
    for (const [k, e] of rows.kernels) this.add(this.replicaKernels, k, e.ms, e.count);
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
    for (const m of [this.phases, this.kernels, this.replicaPhases, this.replicaKernels, this.threads]) m.clear();
  }

  /** A table of the largest entries, milliseconds per `per` (e.g. per epoch). */
  table(title: string, top = 14): string {
    const lines = [`profile: ${title}`];
    const steps = this.threads.get('step wall')?.count ?? 0;
    if (steps) {
      // Per step: where each thread's time went. "busy" is CPU time on the thread; the rest of its
      // wall time it waited (for the other thread, a message, or the machine's other processes).
      const per = (k: string) => (this.threads.get(k)?.ms ?? 0) / steps;
      const wall = per('step wall');
      lines.push(`  threads, per step (${steps} steps): wall ${wall.toFixed(1)} ms`);
      lines.push(
        `    training thread: CPU ${per('main cpu').toFixed(1)} ms (${((100 * per('main cpu')) / wall).toFixed(0)}% of wall), ` +
          `waiting for the replica ${per('main wait').toFixed(1)} ms`,
      );
      if (this.threads.has('replica cpu')) {
        lines.push(
          `    replica thread:  CPU ${per('replica cpu').toFixed(1)} ms (${((100 * per('replica cpu')) / wall).toFixed(0)}% of wall), ` +
            `busy (wall) ${per('replica busy').toFixed(1)} ms, idle ${per('replica idle').toFixed(1)} ms, ` +
            `message to it ${per('replica message in').toFixed(1)} ms; its result waited ${per('replica message out').toFixed(1)} ms for the training thread`,
        );
      }
    }
    for (const [name, map] of [
      ['phases (wall time, training thread)', this.phases],
      ['kernels (exclusive time, training thread)', this.kernels],
      ['phases (wall time, replica thread)', this.replicaPhases],
      ['kernels (exclusive time, replica thread)', this.replicaKernels],
    ] as const) {
      if (!map.size) continue;
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
