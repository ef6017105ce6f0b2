// Training: one run at a time, as a task. The run's events stream to the renderer as `train`
// events, and all its points stay in memory so currentRun() lets a reloaded renderer redraw its
// charts. When the training process dies the task fails with a clear message, an `appError` is
// sent, the run history marks the run failed (TrainingManager), and the next run starts cleanly
// in a fresh process.
import type { BatchPoint, RunDetail, RunSummary, Task, TrainEvent, TrainSettings } from '../../preload/contract';
import type { ModelLibrary } from '../models/model-library';
import type { RunHistory } from '../models/run-history';
import type { TrainingManager } from '../models/training-manager';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import type { DataService } from './data-service';
import type { ServicePorts } from './ports';
import type { TaskRegistry } from './tasks';

/** Batch points kept in memory for the live run (a long run is thinned, keeping its shape). */
const MAX_LIVE_BATCHES = 20_000;

/** Counts ML processes that ended abnormally, so a failed run can tell a crash from a bad setting. */
export interface CrashCounter {
  readonly crashes: number;
  readonly lastCrash: string | null;
}

interface LiveRun {
  runId: string;
  taskId: string;
  batches: BatchPoint[];
}

export class TrainingService {
  private live: LiveRun | null = null;

  constructor(
    private readonly ports: Pick<ServicePorts, 'emit' | 'log'>,
    private readonly tasks: TaskRegistry,
    private readonly data: DataService,
    private readonly manager: TrainingManager,
    private readonly history: RunHistory,
    private readonly models: ModelLibrary,
    private readonly crashes: CrashCounter,
  ) {}

  /** A train task is registered (as running) the moment it starts, so two quick clicks can't start two runs. */
  private running(): boolean {
    return this.tasks.list().some((t) => t.kind === 'train' && t.state === 'running');
  }

  startTraining(settings: TrainSettings): Task {
    if (this.running()) throw new UserError(msg('train.alreadyRunning'));
    const { files, summaries } = this.data.labelledFiles(settings.datasetIds, 'training');
    if (settings.baseModelId !== null && !this.models.has(settings.baseModelId)) {
      throw new UserError(msg('train.baseGone', { id: settings.baseModelId }));
    }
    const count = summaries.reduce((n, d) => n + d.count, 0);
    const trainedOn = `${count.toLocaleString('en-US')} samples from ${summaries.map((d) => d.name).join(', ')}`;
    const base = settings.baseModelId ? this.models.get(settings.baseModelId) : null;
    const title = settings.name ? msg('train.title', { name: settings.name }) : base ? msg('train.titleFineTune', { name: base.name }) : msg('train.titleNew');
    const clean: TrainSettings = { ...settings, datasetIds: summaries.map((d) => d.id) };

    return this.tasks.start('train', title, async (control) => {
      const crashesBefore = this.crashes.crashes;
      let live: LiveRun | null = null;
      const onEvent = (event: TrainEvent) => {
        if (live && event.kind === 'batch') {
          live.batches.push(event.point);
          if (live.batches.length > MAX_LIVE_BATCHES) live.batches = live.batches.filter((_, i) => i % 2 === 0);
          const epochs = clean.epochs;
          control.progress(
            event.progress,
            msg('train.epochProgress', { epoch: event.point.epoch, epochs, speed: Math.round(event.imagesPerSec).toLocaleString('en-US') }),
          );
        } else if (event.kind === 'status') {
          control.message(event.message);
        }
        this.ports.emit('train', event);
      };
      control.message(msg('train.starting'));
      // What the model will have learnt from: these datasets, and whatever its base model learnt from.
      const datasetIds = [...new Set([...(base?.trainedOnDatasetIds ?? []), ...clean.datasetIds])];
      const started = await this.manager.start(clean, { files, trainedOn, datasetIds }, (e) => onEvent(e), control.id);
      live = { runId: started.runId, taskId: control.id, batches: [] };
      this.live = live;
      control.setResult(started.runId);
      const onAbort = () => this.manager.cancel(started.runId);
      if (control.signal.aborted) onAbort();
      else control.signal.addEventListener('abort', onAbort, { once: true });

      const summary = await started.done;
      control.signal.removeEventListener('abort', onAbort);
      this.ports.emit('modelsChanged', this.models.list());
      return this.conclude(summary, crashesBefore, control.signal.aborted);
    });
  }

  /** Turns the run's end into the task's outcome (a failed run fails the task with its reason). */
  private conclude(summary: RunSummary, crashesBefore: number, canceled: boolean): string {
    if (summary.state === 'failed') {
      // A process ended for not stopping on cancel is not a crash the user needs to hear about.
      const crashed = !canceled && this.crashes.crashes > crashesBefore;
      const reason = summary.error ?? msg('train.unknownError');
      const message = crashed
        ? msg('train.crashed', { cause: this.crashes.lastCrash ?? reason })
        : msg('train.failed', { reason });
      if (crashed) this.ports.emit('appError', { message });
      throw new UserError(message);
    }
    return summary.id;
  }

  /** The running run (or the last one) with all its points. */
  currentRun(): RunDetail | null {
    const detail = this.manager.current();
    if (!detail) return null;
    const live = this.live;
    if (live && live.runId === detail.id && live.batches.length >= detail.batches.length) {
      detail.batches = [...live.batches];
    }
    return detail;
  }

  listRuns(): RunSummary[] {
    return this.history.list();
  }

  getRun({ runId }: { runId: string }): RunDetail {
    const detail = this.history.get(runId);
    const live = this.live;
    if (live && live.runId === runId && live.batches.length >= detail.batches.length) detail.batches = [...live.batches];
    return detail;
  }

  async setActiveModel({ modelId }: { modelId: string }): Promise<void> {
    await this.models.setActive(modelId);
    this.ports.emit('modelsChanged', this.models.list());
  }
}
