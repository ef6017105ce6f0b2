// The task registry: every long job (import, training, evaluation) is a Task with a stable id, a
// state, progress, a status line and an error. Each change is pushed as a `task` event, and
// listTasks() returns them all, so a reloaded renderer can reattach to jobs that kept running.
import type { Task, TaskKind, TaskProgress } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';

/** What a running job sees: its id, a cancel signal, and ways to report how far it got. */
export interface TaskControl {
  readonly id: string;
  readonly signal: AbortSignal;
  progress(progress: TaskProgress | null, message?: string): void;
  message(message: string): void;
  /** Records the result early (e.g. the run id) so a reattaching renderer can find it. */
  setResult(resultId: string): void;
}

/** The job itself: resolves to the id of what it produced (dataset, run, evaluation), or null. */
export type TaskWork = (control: TaskControl) => Promise<string | null>;

export interface TaskRegistryOptions {
  emit(task: Task): void;
  log?(line: string): void;
  /** Progress events closer together than this are coalesced (state changes never are). */
  progressIntervalMs?: number;
  /** Finished tasks kept for listTasks(). */
  keepFinished?: number;
  now?: () => Date;
}

let counter = 0;
function newTaskId(kind: TaskKind): string {
  counter = (counter + 1) % 1e6;
  return `${kind}-${Date.now().toString(36)}-${counter.toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

export class TaskRegistry {
  private readonly tasks = new Map<string, Task>();
  private readonly controllers = new Map<string, AbortController>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly lastEmit = new Map<string, number>();
  private readonly pendingEmit = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly interval: number;
  private readonly keep: number;
  private readonly now: () => Date;

  constructor(private readonly options: TaskRegistryOptions) {
    this.interval = options.progressIntervalMs ?? 100;
    this.keep = options.keepFinished ?? 50;
    this.now = options.now ?? (() => new Date());
  }

  /** Starts `work` at once and returns the task's first snapshot; later states arrive as events. */
  start(kind: TaskKind, title: string, work: TaskWork): Task {
    const id = newTaskId(kind);
    const task: Task = {
      id,
      kind,
      title,
      state: 'running',
      progress: null,
      message: msg('task.starting'),
      error: null,
      startedAt: this.now().toISOString(),
      endedAt: null,
      resultId: null,
    };
    const controller = new AbortController();
    // Whether the work said anything of its own (else it ends with "Done").
    let said = false;
    this.tasks.set(id, task);
    this.controllers.set(id, controller);
    this.emitNow(id);

    const control: TaskControl = {
      id,
      signal: controller.signal,
      progress: (progress, message) => {
        if (task.state !== 'running') return;
        task.progress = progress ? { ...progress } : null;
        if (message !== undefined) {
          task.message = message;
          said = true;
        }
        this.emitSoon(id);
      },
      message: (message) => {
        if (task.state !== 'running') return;
        task.message = message;
        said = true;
        this.emitSoon(id);
      },
      setResult: (resultId) => {
        task.resultId = resultId;
        this.emitSoon(id);
      },
    };

    // Run on the next tick so the caller gets the task (and can answer its call) first.
    const done = Promise.resolve()
      .then(() => {
        // Canceled before it began (say, the app is quitting): don't start the work at all.
        if (controller.signal.aborted) throw new Error('canceled before it started');
        return work(control);
      })
      .then(
        (resultId) => {
          if (resultId !== null) task.resultId = resultId;
          if (controller.signal.aborted) this.finish(id, 'canceled', msg('task.canceled'), null);
          else this.finish(id, 'succeeded', said ? task.message : msg('task.done'), null);
        },
        (err: unknown) => {
          if (controller.signal.aborted) {
            this.finish(id, 'canceled', msg('task.canceled'), null);
          } else {
            const message = messageOf(err);
            if (!(err instanceof UserError)) this.options.log?.(`task ${title} failed: ${err instanceof Error ? err.stack : message}`);
            this.finish(id, 'failed', msg('task.failed'), message);
          }
        },
      );
    this.running.set(id, done);
    return { ...task };
  }

  list(): Task[] {
    return [...this.tasks.values()].map((t) => ({ ...t, progress: t.progress ? { ...t.progress } : null }));
  }

  get(id: string): Task | undefined {
    const t = this.tasks.get(id);
    return t ? { ...t } : undefined;
  }

  /** Asks a running task to stop. Unknown ids are an error; finished tasks are left as they are. */
  cancel(id: string): void {
    const task = this.tasks.get(id);
    if (!task) throw new UserError(msg('task.noSuch', { id }));
    if (task.state !== 'running') return;
    task.message = msg('task.canceling');
    this.emitNow(id);
    this.controllers.get(id)?.abort();
  }

  /** Resolves when the task has finished (whatever its outcome). */
  async settled(id: string): Promise<Task | undefined> {
    await this.running.get(id);
    return this.get(id);
  }

  /** Cancels every running task and waits for them to end. */
  async dispose(): Promise<void> {
    for (const [id, task] of this.tasks) if (task.state === 'running') this.controllers.get(id)?.abort();
    await Promise.allSettled([...this.running.values()]);
    for (const timer of this.pendingEmit.values()) clearTimeout(timer);
    this.pendingEmit.clear();
  }

  private finish(id: string, state: Task['state'], message: string, error: string | null): void {
    const task = this.tasks.get(id);
    if (!task || task.state !== 'running') return;
    task.state = state;
    task.message = message;
    task.error = error;
    task.endedAt = this.now().toISOString();
    if (state === 'succeeded' && task.progress) task.progress = { ...task.progress, done: task.progress.total };
    this.controllers.delete(id);
    this.running.delete(id);
    this.emitNow(id);
    this.prune();
  }

  private emitNow(id: string): void {
    const timer = this.pendingEmit.get(id);
    if (timer) clearTimeout(timer);
    this.pendingEmit.delete(id);
    const task = this.tasks.get(id);
    if (!task) return;
    this.lastEmit.set(id, Date.now());
    try {
      this.options.emit({ ...task, progress: task.progress ? { ...task.progress } : null });
    } catch (err) {
      this.options.log?.(`task event could not be sent: ${messageOf(err)}`);
    }
  }

  /** Coalesces frequent progress updates: at most one event per interval, the latest state wins. */
  private emitSoon(id: string): void {
    if (this.pendingEmit.has(id)) return;
    const wait = this.interval - (Date.now() - (this.lastEmit.get(id) ?? 0));
    if (wait <= 0) return this.emitNow(id);
    this.pendingEmit.set(
      id,
      setTimeout(() => {
        this.pendingEmit.delete(id);
        if (this.tasks.get(id)?.state === 'running') this.emitNow(id);
      }, wait),
    );
  }

  private prune(): void {
    const finished = [...this.tasks.values()].filter((t) => t.state !== 'running');
    for (const t of finished.slice(0, Math.max(0, finished.length - this.keep))) {
      this.tasks.delete(t.id);
      this.lastEmit.delete(t.id);
    }
  }
}
