// Make it yours (issue 18): the guided flow's logic, plain Node. It keeps one record (record.ts) in
// the data folder (store.ts), saved after every change, and drives the existing pieces: the one
// normalisation and the handwriting set for drawings, the model library's base model, the ML process
// for reading held-out samples, and the training manager for the fine-tune (FINETUNE_RECIPE), whose
// model is never made active by the flow itself: only "Use this model" does that. So a crash or a
// cancel leaves the base model active and every sample saved.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { EventName, Events, GuideState, Task, TrainEvent, TrainSettings } from '../../preload/contract';
import { FINETUNE_RECIPE, type Recipe } from '../../preload/recipe';
import { saveDatasetFile } from '../data/dataset-file';
import { CUSTOM_ID, type DatasetLibrary } from '../data/library';
import { normalizeDigit } from '../data/normalize';
import { BUILTIN_MODEL_ID } from '../models/builtin-model';
import type { MlClient } from '../models/ml-client';
import type { ModelLibrary } from '../models/model-library';
import type { TrainingManager } from '../models/training-manager';
import type { TaskRegistry } from '../services/tasks';
import { UserError } from '../util/errors';
import { changes, checkOf, mnistAccuracy, readSamples } from './measure';
import {
  HELD_OUT_FRACTION,
  MIN_SAMPLES,
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
import { countCollected, loadCollected, toDataset } from './samples';
import { chooseHeldOut } from './split';
import { FlowStore, guideDir } from './store';


export interface GuideDeps {
  dataDir: string;
  library: DatasetLibrary;
  models: ModelLibrary;
  ml: MlClient;
  manager: TrainingManager;
  tasks: TaskRegistry;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  log(line: string): void;
}

export interface GuideOptions {
  /** Overrides of FINETUNE_RECIPE (tests keep the fine-tune tiny); the app never sets this. */
  recipe?: Partial<Recipe>;
}

export class GuideFlow {
  private rec!: FlowRecord;
  private taskId: string | null = null;
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
    if (this.taskId) throw new UserError('The guided flow is busy checking or fine-tuning; wait for it, or cancel it first.');
  }

  start({ perDigit, fresh }: { perDigit: number; fresh: boolean }): Promise<GuideState> {
    return this.serial(async () => {
      this.busy();
      if (!Number.isInteger(perDigit) || perDigit < PER_DIGIT_LIMITS.min || perDigit > PER_DIGIT_LIMITS.max) {
        throw new UserError(`Ask for ${PER_DIGIT_LIMITS.min}–${PER_DIGIT_LIMITS.max} samples of each digit (got ${perDigit}).`);
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
      if (gray.length !== width * height) throw new UserError(`The drawing must be ${width}×${height} pixels (got ${gray.length} bytes).`);
      if (!Number.isInteger(label) || label < 0 || label > 9) throw new UserError(`The label must be a digit 0–9 (got ${label}).`);
      const sample = normalizeDigit(new Uint8Array(gray.buffer, gray.byteOffset, gray.length), width, height);
      if (!sample.some((v) => v > 0)) throw new UserError('The pad is empty: draw the digit first.');
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
      if (!undone) throw new UserError('There is no drawing to undo.');
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
        if (d.kind === 'starter') throw new UserError(`"${d.name}" is built in, not your handwriting.`);
        if (id === CUSTOM_ID) throw new UserError(`"${d.name}" is where your drawings go already.`);
        if (!d.labelled) throw new UserError(`"${d.name}" has no labels, so it can't teach the model.`);
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
      if (!result) throw new UserError('There is no fine-tuned model yet.');
      if (!this.deps.models.has(result.modelId)) throw new UserError(`The fine-tuned model "${result.modelName}" was removed; fine-tune again.`);
      await this.deps.models.setActive(result.modelId);
      this.deps.emit('modelsChanged', this.deps.models.list());
      return this.commit(this.rec);
    });
  }

  private mustCollect(): void {
    this.busy();
    if (this.rec.step !== 'collect') throw new UserError('Collecting is over for now: press "Collect more" to draw again.');
  }

  private trainFile(): string {
    return path.join(guideDir(this.deps.dataDir), 'finetune-train.dsb');
  }

  /** Runs `work` as the flow's task; the state names it while it runs. */
  private runTask(kind: 'evaluate' | 'train', title: string, work: Parameters<TaskRegistry['start']>[2]): Task {
    this.busy();
    if (kind === 'train' && this.deps.tasks.list().some((t) => t.kind === 'train' && t.state === 'running')) {
      throw new UserError('A training run is already going. Wait for it to finish, or cancel it first.');
    }
    const task = this.deps.tasks.start(kind, title, async (control) => {
      try {
        return await work(control);
      } finally {
        this.taskId = null;
        this.deps.emit('guide', this.state());
      }
    });
    this.taskId = task.id;
    this.deps.emit('guide', this.state());
    return task;
  }

  /** Step 2: the base model reads the held-out part of what was collected. */
  check(): Task {
    if (this.rec.step === 'intro' || this.rec.step === 'finetune') throw new UserError('Collect some handwriting first.');
    const baseId = this.baseModelId();
    if (!baseId) throw new UserError('There is no model to start from yet. Train one on the Train page first.');
    const base = this.deps.models.get(baseId);
    return this.runTask('evaluate', `Checking ${base.name} on your handwriting`, async (control) => {
      await this.queue;
      const { samples, missing } = await loadCollected(this.rec, this.deps.library);
      if (samples.length < MIN_SAMPLES) throw new UserError(`Collect at least ${MIN_SAMPLES} samples first (there are ${samples.length}).`);
      const heldOutKeys = chooseHeldOut(samples, this.rec.heldOut, HELD_OUT_FRACTION, this.rec.seed);
      if (!heldOutKeys.length) throw new UserError('Draw at least two samples of some digit, so one can be kept aside to check the model.');
      const held = new Set(heldOutKeys);
      control.message(`Reading ${held.size} held-out samples…`);
      const readings = await readSamples(this.deps.ml, this.deps.models, baseId, samples.filter((s) => held.has(s.key)));
      let mnist: number | null = this.rec.mnist[baseId] ?? null;
      if (mnist === null) {
        control.message('Reading the MNIST test set (other people’s digits)…');
        mnist = await mnistAccuracy(this.deps.ml, this.deps.models, this.deps.library, baseId, {
          signal: control.signal,
          onProgress: (done, total) => control.progress({ done, total, unit: 'images' }),
        });
      }
      control.signal.throwIfAborted();
      const check = checkOf(baseId, base.name, readings, mnist);
      const note = missing ? `${missing} drawing${missing === 1 ? ' is' : 's are'} no longer in your handwriting set and ${missing === 1 ? 'was' : 'were'} left out.` : null;
      await this.serial(() =>
        this.commit({
          ...this.rec,
          step: 'check',
          heldOut: heldOutKeys,
          baseModelId: baseId,
          check,
          result: null,
          note,
          mnist: mnist === null ? this.rec.mnist : { ...this.rec.mnist, [baseId]: mnist },
        }),
      );
      control.message(`${base.name}: ${Math.round(check.accuracy * 100)}% of ${check.count} held-out samples`);
      return null;
    });
  }

  /** Step 3: fine-tunes the base model on the samples not held out. */
  fineTune(): Task {
    const rec = this.rec;
    if ((rec.step !== 'check' && rec.step !== 'result') || !rec.check || !rec.baseModelId) {
      throw new UserError('Check the base model on your handwriting first.');
    }
    const baseId = rec.baseModelId;
    if (!this.deps.models.has(baseId)) throw new UserError('The model the check used was removed; check again.');
    const base = this.deps.models.get(baseId);
    const r: Recipe = { ...FINETUNE_RECIPE, ...this.options.recipe };
    return this.runTask('train', `Fine-tuning ${base.name} on your handwriting`, async (control) => {
      await this.serial(() => this.commit({ ...this.rec, step: 'finetune', note: null }));
      let saved: string | null = null;
      try {
        const { samples } = await loadCollected(this.rec, this.deps.library);
        const held = new Set(this.rec.heldOut);
        const heldSamples = samples.filter((s) => held.has(s.key));
        const train = samples.filter((s) => !held.has(s.key));
        // The before/after is only honest on samples the fine-tune never saw.
        if (train.some((s) => held.has(s.key))) throw new Error('a held-out sample reached the training set');
        if (train.length < 2) throw new UserError('Too few samples to fine-tune on: collect more.');
        await fs.mkdir(guideDir(this.deps.dataDir), { recursive: true });
        await saveDatasetFile(this.trainFile(), toDataset(train));

        const extra = this.rec.datasetIds.filter((id) => this.deps.library.list().some((d) => d.id === id));
        const sets = [...(this.rec.samples.length ? [CUSTOM_ID] : []), ...extra];
        const settings: TrainSettings = {
          datasetIds: sets,
          valSplit: r.valSplit,
          model: base.arch,
          epochs: r.epochs,
          batchSize: r.batchSize,
          learningRate: r.learningRate,
          augment: r.augment,
          seed: r.seed,
          baseModelId: baseId,
          freezeFeatures: false,
          earlyStopping: r.earlyStopping,
          name: 'Fine-tuned on my handwriting',
        };
        const t0 = performance.now();
        control.message('Starting the training process…');
        const started = await this.deps.manager.start(
          settings,
          {
            files: [this.trainFile()],
            trainedOn: `${train.length.toLocaleString('en-US')} samples of my handwriting (Make it yours)`,
            datasetIds: [...new Set([...(base.trainedOnDatasetIds ?? []), ...sets])],
            activate: false,
          },
          (event: TrainEvent) => {
            if (event.kind === 'batch') control.progress(event.progress, `Epoch ${event.point.epoch} of ${settings.epochs}`);
            else if (event.kind === 'status') control.message(event.message);
            this.deps.emit('train', event);
          },
          control.id,
        );
        control.setResult(started.runId);
        const onAbort = () => this.deps.manager.cancel(started.runId);
        if (control.signal.aborted) onAbort();
        else control.signal.addEventListener('abort', onAbort, { once: true });
        const summary = await started.done;
        control.signal.removeEventListener('abort', onAbort);
        const seconds = (performance.now() - t0) / 1000;
        this.deps.emit('modelsChanged', this.deps.models.list());
        // A cancel is a cancel even when the process had to be ended to stop it (the run then says failed).
        const canceled = control.signal.aborted || summary.state === 'canceled';
        if (canceled || summary.state !== 'succeeded' || !summary.modelId) {
          const why = canceled ? 'The fine-tune was cancelled' : `The fine-tune failed (${summary.error ?? 'unknown error'})`;
          await this.serial(() => this.commit({ ...this.rec, step: 'check', note: `${why}. Your samples are saved and ${base.name} is still the active model.` }));
          if (!canceled) throw new UserError(`${why}.`);
          return summary.id;
        }
        saved = summary.modelId;
        const model = this.deps.models.get(saved);
        control.message('Reading your held-out samples with the new model…');
        const readings = await readSamples(this.deps.ml, this.deps.models, saved, heldSamples);
        control.message('Reading the MNIST test set with the new model…');
        const mnist = await mnistAccuracy(this.deps.ml, this.deps.models, this.deps.library, saved, {
          onProgress: (done, total) => control.progress({ done, total, unit: 'images' }),
        });
        const before = this.rec.check!;
        const after = checkOf(saved, model.name, readings, mnist);
        await this.serial(() =>
          this.commit({
            ...this.rec,
            step: 'result',
            result: { modelId: saved!, modelName: model.name, before, after, ...changes(before, after), trainCount: train.length, seconds, active: false },
            mnist: mnist === null ? this.rec.mnist : { ...this.rec.mnist, [saved!]: mnist },
          }),
        );
        return summary.id;
      } catch (err) {
        if (this.rec.step === 'finetune') {
          await this.serial(() => this.commit({ ...this.rec, step: 'check', note: `The fine-tune stopped (${err instanceof Error ? err.message : String(err)}). Your samples are saved and ${base.name} is still the active model.` }));
        }
        throw err;
      } finally {
        await fs.rm(this.trainFile(), { force: true }).catch(() => undefined);
      }
    });
  }
}

function newFlowId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0) >>> 1;
}
