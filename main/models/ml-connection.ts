// One running ML process as the main side sees it: its requests in flight, matched to the answers by
// id. A process that dies rejects everything pending with the reason; the owner (MlClient) starts a
// fresh one for the next call.
import type { TrainEvent } from '../../preload/contract';
import { messageLanguage } from '../i18n';
import { UserError } from '../util/errors';
import type { ParentMessage, WorkerMessage } from '../ml-process/protocol';
import { isWorkerMessage } from '../ml-process/protocol';
import type { MlProcessHandle } from './spawner';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onEvent?(e: TrainEvent): void;
  onProgress?(done: number, total: number): void;
  onRows?(from: number, total: number, probabilities: number[]): void;
}

export type Bare<T> = T extends unknown ? Omit<T, 'id'> : never;

function exitText(code: number | null, signal: string | null): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

export class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  dead = false;
  private lastHeard = Date.now();

  constructor(
    readonly handle: MlProcessHandle,
    private readonly role: string,
  ) {
    handle.onMessage((m) => this.receive(m));
    handle.onExit((code, signal) => this.fail(new Error(`the ${role} process stopped unexpectedly (${exitText(code, signal)})`)));
  }

  get silentForMs(): number {
    return Date.now() - this.lastHeard;
  }

  get busy(): boolean {
    return this.pending.size > 0;
  }

  request<T>(
    message: Bare<ParentMessage>,
    onEvent?: (e: TrainEvent) => void,
    onProgress?: (done: number, total: number) => void,
    onRows?: Pending['onRows'],
  ): { id: number; done: Promise<T> } {
    const id = this.nextId++;
    const done = new Promise<T>((resolve, reject) => {
      if (this.dead) {
        reject(new Error(`the ${this.role} process is not running`));
        return;
      }
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onEvent, onProgress, onRows });
      this.lastHeard = Date.now();
      // The ML process speaks the language of the latest call (issue 15): its errors are made there.
      this.handle.send({ ...message, id, lang: messageLanguage() });
    });
    return { id, done };
  }

  send(message: ParentMessage): void {
    if (!this.dead) this.handle.send(message);
  }

  private receive(m: unknown): void {
    if (!isWorkerMessage(m)) return;
    this.lastHeard = Date.now();
    const p = this.pending.get(m.id);
    if (!p) return;
    const msg = m as WorkerMessage;
    if (msg.type === 'event') {
      p.onEvent?.(msg.event);
      return;
    }
    if (msg.type === 'progress') {
      p.onProgress?.(msg.done, msg.total);
      return;
    }
    if (msg.type === 'rows') {
      p.onRows?.(msg.from, msg.total, msg.probabilities);
      return;
    }
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.value);
    else p.reject(msg.user ? new UserError(msg.message) : new Error(msg.message));
  }

  /** Rejects everything pending with `err` and marks the process dead (killing it if still alive). */
  fail(err: Error): void {
    const first = !this.dead;
    this.dead = true;
    // Rejected before the kill, so `err` (not the exit the kill causes) is what callers see.
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(err);
    if (first) this.handle.kill();
  }

  rejectOne(id: number, err: Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.reject(err);
  }

  close(): void {
    if (this.dead) return;
    this.handle.send({ type: 'exit' });
    const timer = setTimeout(() => this.handle.kill(), 2000);
    timer.unref?.();
    this.handle.onExit(() => clearTimeout(timer));
    this.dead = true;
  }
}

/** A call on `conn`, which is killed (failing its other calls too) if no answer comes in `timeoutMs`. */
export async function withTimeout<T>(conn: Connection, done: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new Error(`the ML process stopped responding (no answer in ${Math.round(timeoutMs / 1000)} s)`);
      conn.fail(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
