// Training runs in <dataDir>/runs/<id>.json, written atomically. Batch points are downsampled
// (every other one dropped when the cap is reached) so files stay small however long a run is.
// A run still marked 'running' when the history is opened was cut short by a crash: it is marked
// failed with that reason.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BatchPoint, EpochPoint, RunDetail, RunMetrics, RunSummary, TaskState, TrainSettings } from '../../preload/contract';
import { cleanStaleTemps, writeFileAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError } from '../util/errors';

export const MAX_BATCH_POINTS = 400;
const ID_PATTERN = /^r-[a-z0-9-]{1,64}$/;
export const INTERRUPTED = 'interrupted: Digit Studio stopped while this run was training';

export class RunHistory {
  private runs = new Map<string, RunDetail>();
  private dirty = new Set<string>();
  private flushTimer: NodeJS.Timeout | null = null;

  private constructor(readonly root: string) {}

  static async open(dataDir: string): Promise<RunHistory> {
    const h = new RunHistory(path.join(dataDir, 'runs'));
    await fs.mkdir(h.root, { recursive: true });
    await cleanStaleTemps(h.root);
    for (const name of await fs.readdir(h.root)) {
      if (!name.endsWith('.json')) continue;
      const id = name.slice(0, -5);
      if (!ID_PATTERN.test(id)) continue;
      try {
        const run = JSON.parse(await fs.readFile(path.join(h.root, name), 'utf8')) as RunDetail;
        if (!run || run.id !== id || !Array.isArray(run.batches) || !Array.isArray(run.epochs)) continue;
        h.runs.set(id, run);
        if (run.state === 'running') {
          await h.finish(id, { state: 'failed', error: INTERRUPTED });
        }
      } catch {
        // An unreadable run file is left alone and not listed.
      }
    }
    return h;
  }

  /** Newest first, without their points. */
  list(): RunSummary[] {
    return [...this.runs.values()]
      .map(({ batches: _b, epochs: _e, ...summary }) => summary)
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  get(id: string): RunDetail {
    const run = this.runs.get(id);
    if (!run) throw new UserError(msg('run.noSuch', { id }));
    return structuredClone(run);
  }

  latest(): RunDetail | null {
    const first = this.list()[0];
    return first ? this.get(first.id) : null;
  }

  async create(settings: TrainSettings, backend: string, taskId: string | null = null): Promise<RunDetail> {
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const id = `r-${stamp}-${randomBytes(3).toString('hex')}`;
    const run: RunDetail = {
      id,
      name: settings.name || `Run ${new Date().toLocaleString('en-GB')}`,
      settings: structuredClone(settings),
      state: 'running',
      startedAt: new Date().toISOString(),
      endedAt: null,
      backend,
      modelId: null,
      metrics: null,
      error: null,
      taskId,
      batches: [],
      epochs: [],
    };
    this.runs.set(id, run);
    await this.save(id);
    return structuredClone(run);
  }

  /** Records a batch point; written out lazily (at most every couple of seconds). */
  addBatch(id: string, point: BatchPoint): void {
    const run = this.mustGet(id);
    run.batches.push(point);
    if (run.batches.length > MAX_BATCH_POINTS) {
      const last = run.batches.length - 1;
      run.batches = run.batches.filter((_, i) => i % 2 === 0 || i === last);
    }
    this.markDirty(id);
  }

  async addEpoch(id: string, point: EpochPoint): Promise<void> {
    this.mustGet(id).epochs.push(point);
    await this.save(id);
  }

  async update(id: string, patch: Partial<Pick<RunDetail, 'backend' | 'taskId' | 'name'>>): Promise<void> {
    Object.assign(this.mustGet(id), patch);
    await this.save(id);
  }

  async finish(
    id: string,
    end: { state: Exclude<TaskState, 'running'>; modelId?: string | null; metrics?: RunMetrics | null; error?: string | null },
  ): Promise<RunSummary> {
    const run = this.mustGet(id);
    run.state = end.state;
    run.endedAt = new Date().toISOString();
    if (end.modelId !== undefined) run.modelId = end.modelId;
    if (end.metrics !== undefined) run.metrics = end.metrics;
    run.error = end.error ?? null;
    await this.save(id);
    const { batches: _b, epochs: _e, ...summary } = structuredClone(run);
    return summary;
  }

  /** Writes every pending change now. */
  async flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) await this.save(id);
  }

  private mustGet(id: string): RunDetail {
    const run = this.runs.get(id);
    if (!run) throw new UserError(msg('run.noSuch', { id }));
    return run;
  }

  private markDirty(id: string): void {
    this.dirty.add(id);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush().catch(() => undefined);
    }, 2000);
    this.flushTimer.unref?.();
  }

  // Writes go one after another so an older snapshot can never land after a newer one.
  private writes: Promise<void> = Promise.resolve();

  private save(id: string): Promise<void> {
    this.dirty.delete(id);
    const snapshot = JSON.stringify(this.runs.get(id), null, 1);
    const file = path.join(this.root, `${id}.json`);
    const next = this.writes.then(() => writeFileAtomic(file, snapshot + '\n'));
    this.writes = next.catch(() => undefined);
    return next;
  }
}
