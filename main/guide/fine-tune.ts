// Step 3 and 4 of Make it yours: fine-tunes the base model on the collected samples that are not held
// out (FINETUNE_RECIPE, through the training manager with `activate: false`: only "Use this model"
// changes the active model, so a crash or a cancel leaves the base model active and every sample
// saved), then reads the held-out samples with the new model for the before and after.
// The MNIST test set is read once per model: the check measured the base model, and the training
// process measures the fine-tuned one (its run's metrics), so neither is read twice.
import { promises as fs } from 'node:fs';
import type { GuideNote, ModelSummary, TrainEvent, TrainSettings } from '../../preload/contract';
import type { Recipe } from '../../preload/recipe';
import { saveDatasetFile } from '../data/dataset-file';
import { CUSTOM_ID } from '../data/library-ids';
import type { TaskControl } from '../services/tasks';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { guideDir } from './store';
import type { FlowAccess } from './deps';
import { changes, checkOf, mnistAccuracy, readSamples } from './measure';
import { loadCollected, toDataset, type CollectedSample } from './samples';

/** The training run's settings: the recipe, from the base model, on the handwriting set and the added datasets. */
function settingsFor(flow: FlowAccess, base: ModelSummary, r: Recipe): TrainSettings {
  const rec = flow.record();
  const extra = rec.datasetIds.filter((id) => flow.deps.library.list().some((d) => d.id === id));
  return {
    datasetIds: [...(rec.samples.length ? [CUSTOM_ID] : []), ...extra],
    valSplit: r.valSplit,
    model: base.arch,
    epochs: r.epochs,
    batchSize: r.batchSize,
    learningRate: r.learningRate,
    augment: r.augment,
    seed: r.seed,
    baseModelId: base.id,
    freezeFeatures: false,
    earlyStopping: r.earlyStopping,
    name: msg('guide.modelName'),
  };
}

/** The collected samples split into the held-out ones and the ones to learn from. */
async function splitCollected(flow: FlowAccess): Promise<{ held: CollectedSample[]; train: CollectedSample[] }> {
  const rec = flow.record();
  const { samples } = await loadCollected(rec, flow.deps.library);
  const heldKeys = new Set(rec.heldOut);
  const held = samples.filter((s) => heldKeys.has(s.key));
  const train = samples.filter((s) => !heldKeys.has(s.key));
  // The before/after is only honest on samples the fine-tune never saw.
  if (train.some((s) => heldKeys.has(s.key))) throw new Error('a held-out sample reached the training set');
  if (train.length < 2) throw new UserError(msg('guide.tooFewToTune'));
  return { held, train };
}

export async function runFineTune(flow: FlowAccess, base: ModelSummary, r: Recipe, control: TaskControl): Promise<string | null> {
  const { deps } = flow;
  const backToCheck = (note: GuideNote) => flow.update((rec) => ({ ...rec, step: 'check', note }));
  await flow.update((rec) => ({ ...rec, step: 'finetune', note: null }));
  try {
    const { held, train } = await splitCollected(flow);
    await fs.mkdir(guideDir(deps.dataDir), { recursive: true });
    await saveDatasetFile(flow.trainFile(), toDataset(train));
    const settings = settingsFor(flow, base, r);
    const t0 = performance.now();
    flow.phase('starting');
    control.message(msg('guide.starting'));
    const started = await deps.manager.start(
      settings,
      {
        files: [flow.trainFile()],
        trainedOn: msg('guide.trainedOn', { n: train.length.toLocaleString('en-US') }),
        datasetIds: [...new Set([...(base.trainedOnDatasetIds ?? []), ...settings.datasetIds])],
        activate: false,
        baselineMnistAccuracy: flow.record().mnist[base.id] ?? null,
      },
      (event: TrainEvent) => {
        if (event.kind === 'batch') {
          flow.phase('training');
          control.progress(event.progress, msg('guide.epoch', { epoch: event.point.epoch, epochs: settings.epochs }));
        } else if (event.kind === 'status') control.message(event.message);
        deps.emit('train', event);
      },
      control.id,
    );
    control.setResult(started.runId);
    const onAbort = () => deps.manager.cancel(started.runId);
    if (control.signal.aborted) onAbort();
    else control.signal.addEventListener('abort', onAbort, { once: true });
    const summary = await started.done;
    control.signal.removeEventListener('abort', onAbort);
    const seconds = (performance.now() - t0) / 1000;
    deps.emit('modelsChanged', deps.models.list());
    // A cancel is a cancel even when the process had to be ended to stop it (the run then says failed).
    const canceled = control.signal.aborted || summary.state === 'canceled';
    if (canceled || summary.state !== 'succeeded' || !summary.modelId) {
      const error = summary.error ?? 'unknown error';
      await backToCheck(canceled ? { kind: 'cancelled', model: base.name } : { kind: 'failed', model: base.name, error });
      if (!canceled) throw new UserError(msg('guide.tuneFailed', { error }));
      return summary.id;
    }
    const saved = summary.modelId;
    const model = deps.models.get(saved);
    flow.phase('after');
    control.message(msg('guide.readingAfter'));
    const readings = await readSamples(deps.ml, deps.models, saved, held);
    // Measured by the training process; read here only when it could not (no built-in replay files).
    let mnist = summary.metrics?.mnistTestAccuracy ?? null;
    if (mnist === null) {
      control.message(msg('guide.readingMnistAfter'));
      mnist = await mnistAccuracy(deps.ml, deps.models, deps.library, saved, {
        onProgress: (done, total) => control.progress({ done, total, unit: 'images' }),
      });
    }
    await flow.update((rec) => {
      const before = rec.check!;
      const after = checkOf(saved, model.name, readings, mnist);
      return {
        ...rec,
        step: 'result',
        result: { modelId: saved, modelName: model.name, before, after, ...changes(before, after), trainCount: train.length, seconds, active: false },
        mnist: mnist === null ? rec.mnist : { ...rec.mnist, [saved]: mnist },
      };
    });
    return summary.id;
  } catch (err) {
    if (flow.record().step === 'finetune') await backToCheck({ kind: 'failed', model: base.name, error: err instanceof Error ? err.message : String(err) });
    throw err;
  } finally {
    await fs.rm(flow.trainFile(), { force: true }).catch(() => undefined);
  }
}
