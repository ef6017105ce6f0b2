// Make it yours (issue 18): the guided flow's logic, plain Node. It keeps one record (record.ts) in
// the data folder (store.ts), saved after every change, one change at a time. Here: collecting (the
// one normalisation, drawings saved straight into the handwriting set), the flow's state, "Use this
// model", and running its two long tasks, the check (check.ts) and the fine-tune (fine-tune.ts),
// whose model is never made active by the flow itself: only "Use this model" does that. So a crash
// or a cancel leaves the base model active and every sample saved.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { GuidePhase, GuideState, Task } from '../../preload/contract';
import { FINETUNE_RECIPE, type Recipe } from '../../preload/recipe';
import { CUSTOM_ID } from '../data/library-ids';
import { normalizeDigit } from '../data/normalize';
import { BUILTIN_MODEL_ID } from '../models/builtin-model';
import type { TaskControl } from '../services/tasks';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { runCheck } from './check';
import type { FlowAccess, GuideDeps, GuideOptions } from './deps';
import { runFineTune } from './fine-tune';
import {
  PER_DIGIT_LIMITS,
  afterRestart,
  currentPrompt,
  newRecord,
  promptQueue,
  nextSource,
  recordDrawing,
  recordSkip,
  recordUndo,
  toCollect,
  type FlowRecord,
} from './record';
import { countCollected } from './samples';
import { FlowStore, guideDir } from './store';

export type { GuideDeps, GuideOptions };

export class GuideFlow {
  private rec!: FlowRecord;
  private taskId: string | null = null;
  private phase: GuidePhase | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly store: FlowStore;

  private constructor(
    private readonly deps: GuideDeps,
    private readonly options: GuideOptions,
  ) {
    this.store = new FlowStore(deps.dataDir);
  }

  static async open(deps: GuideDeps, options: GuideOptions = {}): Promise<GuideFlow> {
    const flow = new GuideFlow(deps, options);
    const { record, problem } = await flow.store.load();
    if (problem) deps.log(`guide: ${problem}`);
    flow.rec = record ? afterRestart(record) : newRecord(newFlowId(), randomSeed());
    if (record && flow.rec !== record) await flow.store.save(flow.rec);
    // A fine-tune's training file left by a crash is of no use any more.
    await fs.rm(flow.trainFile(), { force: true }).catch(() => undefined);
    return flow;
  }

  /** One change at a time, each saved before the next starts (two quick clicks can't interleave). */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async commit(rec: FlowRecord): Promise<GuideState> {
    await this.store.save(rec);
    this.rec = rec;
    const state = this.state();
    this.deps.emit('guide', state);
    return state;
  }

  state(): GuideState {
    const rec = this.rec;
    const counts = countCollected(rec, this.deps.library.list());
    const baseId = rec.baseModelId ?? this.baseModelId();
    const base = baseId && this.deps.models.has(baseId) ? this.deps.models.get(baseId) : null;
    const result = rec.result ? { ...rec.result, active: this.deps.models.active()?.id === rec.result.modelId } : null;
    return {
      step: rec.step,
      perDigit: rec.perDigit,
      counts,
      prompt: currentPrompt(rec, counts),
      drawn: rec.samples.length,
      datasetIds: [...rec.datasetIds],
      heldOut: rec.heldOut.length,
      baseModelId: base?.id ?? null,
      baseModelName: base?.name ?? null,
      check: rec.check,
      taskId: this.taskId,
      phase: this.taskId ? this.phase : null,
      result,
      note: rec.note,
      dismissed: rec.dismissed,
    };
  }

  /** The shipped base model when the library has it, else the active model (a library without one: tests, a damaged install). */
  private baseModelId(): string | null {
    if (this.deps.models.has(BUILTIN_MODEL_ID)) return BUILTIN_MODEL_ID;
    return this.deps.models.active()?.id ?? null;
  }

  private busy(): void {
    if (this.taskId) throw new UserError(msg('guide.busy'));
  }

  start({ perDigit, fresh }: { perDigit: number; fresh: boolean }): Promise<GuideState> {
    return this.serial(async () => {
      this.busy();
      if (!Number.isInteger(perDigit) || perDigit < PER_DIGIT_LIMITS.min || perDigit > PER_DIGIT_LIMITS.max) {
        throw new UserError(msg('guide.perDigitRange', { min: PER_DIGIT_LIMITS.min, max: PER_DIGIT_LIMITS.max, n: perDigit }));
      }
      // A fresh flow starts a new record; the drawings of the old one stay in the handwriting set.
      const base = fresh || this.rec.step === 'intro' ? newRecord(fresh ? newFlowId() : this.rec.id, fresh ? randomSeed() : this.rec.seed, perDigit) : this.rec;
      // Asking for more of each digit later adds shuffled rounds for the difference.
      const queue = perDigit > base.perDigit ? [...base.queue, ...promptQueue(perDigit - base.perDigit, base.seed + base.perDigit)] : base.queue;
      return this.commit({ ...base, queue, perDigit, step: 'collect', dismissed: this.rec.dismissed, mnist: this.rec.mnist, note: null });
    });
  }

  addDrawing({ width, height, pixels, label }: { width: number; height: number; pixels: string; label: number }): Promise<GuideState> {
    return this.serial(async () => {
      this.mustCollect();
      const gray = Buffer.from(pixels, 'base64');
      if (gray.length !== width * height) throw new UserError(msg('guide.drawingSize', { width, height, bytes: gray.length }));
      if (!Number.isInteger(label) || label < 0 || label > 9) throw new UserError(msg('guide.label', { label }));
      const sample = normalizeDigit(new Uint8Array(gray.buffer, gray.byteOffset, gray.length), width, height);
      if (!sample.some((v) => v > 0)) throw new UserError(msg('guide.emptyPad'));
      const source = nextSource(this.rec);
      // The sample is in the handwriting set before the record names it: a crash in between leaves
      // one extra sample there (kept, like any drawing), never a record naming a sample that isn't.
      await this.deps.library.addCustomSample(sample, label, source);
      this.deps.emit('datasetsChanged', this.deps.library.list());
      return this.commit(recordDrawing(this.rec, source, label));
    });
  }

  skip(): Promise<GuideState> {
    return this.serial(async () => {
      this.mustCollect();
      const counts = countCollected(this.rec, this.deps.library.list());
      return this.commit(recordSkip(this.rec, currentPrompt(this.rec, counts)));
    });
  }

  undo(): Promise<GuideState> {
    return this.serial(async () => {
      this.mustCollect();
      const { rec, undone } = recordUndo(this.rec);
      if (!undone) throw new UserError(msg('guide.nothingToUndo'));
      // The record first: a crash after it leaves an unnamed sample in the handwriting set, never a
      // record naming a removed one. The state is announced once both are done.
      await this.store.save(rec);
      this.rec = rec;
      await this.deps.library.removeCustomSample(undone.source);
      this.deps.emit('datasetsChanged', this.deps.library.list());
      return this.commit(rec);
    });
  }

  useDatasets({ datasetIds }: { datasetIds: string[] }): Promise<GuideState> {
    return this.serial(async () => {
      this.mustCollect();
      const ids = [...new Set(datasetIds)];
      for (const id of ids) {
        const d = this.deps.library.get(id);
        if (d.kind === 'starter') throw new UserError(msg('guide.builtIn', { name: d.name }));
        if (id === CUSTOM_ID) throw new UserError(msg('guide.alreadyMine', { name: d.name }));
        if (!d.labelled) throw new UserError(msg('guide.unlabelled', { name: d.name }));
      }
      return this.commit({ ...this.rec, datasetIds: ids });
    });
  }

  collect(): Promise<GuideState> {
    return this.serial(async () => {
      this.busy();
      return this.commit(toCollect(this.rec));
    });
  }

  dismiss(): Promise<GuideState> {
    return this.serial(async () => this.commit({ ...this.rec, dismissed: true }));
  }

  useModel(): Promise<GuideState> {
    return this.serial(async () => {
      const result = this.rec.result;
      if (!result) throw new UserError(msg('guide.noTunedModel'));
      if (!this.deps.models.has(result.modelId)) throw new UserError(msg('guide.tunedRemoved', { name: result.modelName }));
      await this.deps.models.setActive(result.modelId);
      this.deps.emit('modelsChanged', this.deps.models.list());
      return this.commit(this.rec);
    });
  }

  private mustCollect(): void {
    this.busy();
    if (this.rec.step !== 'collect') throw new UserError(msg('guide.collectingOver'));
  }

  private trainFile(): string {
    return path.join(guideDir(this.deps.dataDir), 'finetune-train.dsb');
  }

  /** Runs `work` as the flow's task; the state names it (and what it is doing) while it runs. */
  private runTask(kind: 'evaluate' | 'train', title: string, work: (flow: FlowAccess, control: TaskControl) => Promise<string | null>): Task {
    this.busy();
    if (kind === 'train' && this.deps.tasks.list().some((t) => t.kind === 'train' && t.state === 'running')) {
      throw new UserError(msg('guide.trainingRunning'));
    }
    const access: FlowAccess = {
      deps: this.deps,
      record: () => this.rec,
      update: async (change) => {
        await this.serial(() => this.commit(change(this.rec)));
      },
      settled: () => this.queue,
      phase: (phase) => {
        if (this.phase === phase) return;
        this.phase = phase;
        this.deps.emit('guide', this.state());
      },
      trainFile: () => this.trainFile(),
    };
    const task = this.deps.tasks.start(kind, title, async (control) => {
      try {
        return await work(access, control);
      } finally {
        this.taskId = null;
        this.phase = null;
        this.deps.emit('guide', this.state());
      }
    });
    this.taskId = task.id;
    this.deps.emit('guide', this.state());
    return task;
  }

  /** Step 2: the base model reads the held-out part of what was collected (check.ts). */
  check(): Task {
    if (this.rec.step === 'intro' || this.rec.step === 'finetune') throw new UserError(msg('guide.collectFirst'));
    const baseId = this.baseModelId();
    if (!baseId) throw new UserError(msg('guide.noBase'));
    const base = this.deps.models.get(baseId);
    return this.runTask('evaluate', msg('guide.checkTitle', { model: base.name }), (flow, control) => runCheck(flow, base, control));
  }

  /** Step 3: fine-tunes the base model on the samples not held out, then step 4's before and after (fine-tune.ts). */
  fineTune(): Task {
    const rec = this.rec;
    if ((rec.step !== 'check' && rec.step !== 'result') || !rec.check || !rec.baseModelId) {
      throw new UserError(msg('guide.checkFirst'));
    }
    if (!this.deps.models.has(rec.baseModelId)) throw new UserError(msg('guide.checkedRemoved'));
    const base = this.deps.models.get(rec.baseModelId);
    const recipe: Recipe = { ...FINETUNE_RECIPE, ...this.options.recipe };
    return this.runTask('train', msg('guide.tuneTitle', { model: base.name }), (flow, control) => runFineTune(flow, base, recipe, control));
  }
}

function newFlowId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0) >>> 1;
}
