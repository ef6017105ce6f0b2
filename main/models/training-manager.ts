// One call for the services layer to run a training: it records the run (RunHistory), trains in
// its own process (MlClient), registers the saved model (ModelLibrary) and finishes the run with
// its outcome, whatever happens (success, cancel, NaN, a crashed or killed process).
import type { RunDetail, RunSummary, TrainEvent, TrainSettings } from '../../preload/contract';
import { messageOf } from '../util/errors';
import type { MlClient } from './ml-client';
import type { ModelLibrary } from './model-library';
import type { RunHistory } from './run-history';
import { fineTuneReplay } from './replay-source';

export interface TrainingData {
  /** .dsb files of the datasets to train on. */
  files: string[];
  /** For the model's metadata, e.g. "10,000 samples from MNIST starter, my-digits.zip". */
  trainedOn: string;
  /** The app's dataset ids it learns from (with its base model's), for the model's metadata. */
  datasetIds?: string[];
  /** Make the saved model the active one (default). The guided flow (main/guide/) leaves that to the user. */
  activate?: boolean;
  /** Fine-tuning: the base model's MNIST test accuracy when already measured, so the run doesn't measure it again. */
  baselineMnistAccuracy?: number | null;
}

export interface StartedRun {
  runId: string;
  /** Resolves when the run has ended (never rejects): its final summary, with `error` on failure. */
  done: Promise<RunSummary>;
}

export class TrainingManager {
  private readonly controllers = new Map<string, AbortController>();

  constructor(
    private readonly client: MlClient,
    private readonly library: ModelLibrary,
    private readonly history: RunHistory,
  ) {}

  /** Starts a run; `onEvent` receives its progress events (already recorded in the run history). */
  async start(
    settings: TrainSettings,
    data: TrainingData,
    onEvent: (e: TrainEvent) => void = () => undefined,
    taskId: string | null = null,
  ): Promise<StartedRun> {
    const backend = await this.client.backend().catch(() => null);
    // Resolve the base model before creating the run, so a bad id is an immediate error.
    const baseModelDir = settings.baseModelId ? (this.library.get(settings.baseModelId), this.library.dirOf(settings.baseModelId)) : null;
    const run = await this.history.create(settings, backend?.label ?? 'unknown', taskId);
    const modelId = this.library.newId();
    const controller = new AbortController();
    this.controllers.set(run.id, controller);
    const forward = (e: TrainEvent) => {
      const event = { ...e, runId: run.id } as TrainEvent;
      if (event.kind === 'batch') this.history.addBatch(run.id, event.point);
      else if (event.kind === 'epoch') void this.history.addEpoch(run.id, event.point).catch(() => undefined);
      onEvent(event);
    };
    const done = (async (): Promise<RunSummary> => {
      try {
        const outcome = await this.client.train(
          {
            runId: run.id,
            datasetFiles: data.files,
            model: settings.model,
            valSplit: settings.valSplit,
            epochs: settings.epochs,
            batchSize: settings.batchSize,
            learningRate: settings.learningRate,
            augment: settings.augment,
            seed: settings.seed,
            earlyStopping: settings.earlyStopping,
            baseModelDir,
            baseModelId: settings.baseModelId,
            freezeFeatures: settings.freezeFeatures,
            replay: baseModelDir ? await fineTuneReplay(undefined, data.baselineMnistAccuracy) : null,
            outDir: this.library.dirOf(modelId),
            name: run.name,
            trainedOn: data.trainedOn,
            ...(data.datasetIds ? { trainedOnDatasetIds: data.datasetIds } : {}),
          },
          forward,
          controller.signal,
        );
        await this.history.update(run.id, { backend: outcome.backend.label });
        let savedId: string | null = null;
        if (outcome.modelSaved) {
          await this.library.add(modelId, data.activate ?? true);
          savedId = modelId;
        }
        await this.history.flush();
        return await this.history.finish(run.id, {
          state: outcome.state,
          modelId: savedId,
          metrics: outcome.metrics,
          error: outcome.state === 'canceled' && !savedId ? 'canceled before a model was trained' : null,
        });
      } catch (err) {
        await this.history.flush().catch(() => undefined);
        return this.history.finish(run.id, { state: 'failed', error: messageOf(err) });
      } finally {
        this.controllers.delete(run.id);
      }
    })();
    return { runId: run.id, done };
  }

  /** Asks a run to stop after its current batch; it keeps the best model so far. */
  cancel(runId: string): boolean {
    const c = this.controllers.get(runId);
    if (!c) return false;
    c.abort();
    return true;
  }

  isRunning(runId: string): boolean {
    return this.controllers.has(runId);
  }

  /** The running run, else the most recent one, with all its points. */
  current(): RunDetail | null {
    const running = [...this.controllers.keys()][0];
    return running ? this.history.get(running) : this.history.latest();
  }
}
