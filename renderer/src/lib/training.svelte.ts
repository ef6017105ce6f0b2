// The training view's live state: the current run's points, speed and ETA, kept up to date by
// `train` events. It lives outside the Train place so leaving and coming back keeps the charts, and
// on (re)load it reattaches: it subscribes first, then asks currentRun() for everything so far, and
// merges the two without duplicates (a point is appended only if it is newer than the last one).
import type { BatchPoint, EpochPoint, RunDetail, RunSummary, TaskProgress, TaskState, TrainEvent } from '../../../preload/contract';
import { api, apiAvailable } from './api';
import { t } from './i18n/index.svelte';
import { app, refreshModels } from './state.svelte';
import { attempt } from './toasts.svelte';

export interface LiveRun {
  runId: string;
  detail: RunDetail | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  progress: TaskProgress | null;
  imagesPerSec: number | null;
  etaSec: number | null;
  status: string;
}

export const training = $state({
  live: null as LiveRun | null,
  runs: [] as RunSummary[],
  /** Bumped on every appended point, so charts know to redraw without deep-watching arrays. */
  version: 0,
});

function emptyRun(runId: string): LiveRun {
  return { runId, detail: null, batches: [], epochs: [], progress: null, imagesPerSec: null, etaSec: null, status: '' };
}

function applyEvent(e: TrainEvent): void {
  let live = training.live;
  if (!live || live.runId !== e.runId) {
    // A run we did not know about (started elsewhere, or the first event of a new one).
    live = training.live = emptyRun(e.runId);
    void loadCurrent();
  }
  if (e.kind === 'batch') {
    const last = live.batches[live.batches.length - 1];
    if (!last || e.point.step > last.step) live.batches = [...live.batches, e.point];
    live.progress = e.progress;
    live.imagesPerSec = e.imagesPerSec;
    live.etaSec = e.etaSec;
  } else if (e.kind === 'epoch') {
    const last = live.epochs[live.epochs.length - 1];
    if (!last || e.point.epoch > last.epoch) live.epochs = [...live.epochs, e.point];
  } else {
    live.status = e.message;
  }
  training.version++;
}

function mergeDetail(detail: RunDetail): void {
  const live = training.live;
  if (!live || live.runId !== detail.id) {
    training.live = { ...emptyRun(detail.id), detail, batches: [...detail.batches], epochs: [...detail.epochs] };
  } else {
    // Points from the snapshot first, then any newer ones that arrived by event meanwhile.
    const lastStep = detail.batches[detail.batches.length - 1]?.step ?? -Infinity;
    const lastEpoch = detail.epochs[detail.epochs.length - 1]?.epoch ?? -Infinity;
    live.batches = [...detail.batches, ...live.batches.filter((b) => b.step > lastStep)];
    live.epochs = [...detail.epochs, ...live.epochs.filter((p) => p.epoch > lastEpoch)];
    live.detail = detail;
  }
  training.version++;
}

export async function loadCurrent(): Promise<void> {
  const detail = await attempt(() => api.currentRun(), t('run.readFailed'));
  if (detail) mergeDetail(detail);
}

export async function refreshRuns(): Promise<void> {
  const runs = await attempt(() => api.listRuns(), t('run.listFailed'));
  if (runs) training.runs = runs;
}

/** The task driving the live run, if it is still running. */
export function liveTask() {
  const live = training.live;
  if (!live) return undefined;
  const taskId = live.detail?.taskId;
  return app.tasks.find(
    (t) => t.kind === 'train' && t.state === 'running' && (t.id === taskId || t.resultId === live.runId),
  );
}

let started = false;

export async function startTrainingState(): Promise<void> {
  if (started || !apiAvailable) return;
  started = true;
  api.on('train', applyEvent);
  api.on('task', (task) => {
    if (task.kind !== 'train') return;
    if (task.state === 'running') {
      // A new run got its id: show it (its points arrive as events from now on).
      if (task.resultId && task.resultId !== training.live?.runId) void loadCurrent();
      return;
    }
    // A run ended: fetch its final state (metrics, model) and the updated history.
    void loadCurrent();
    void refreshRuns();
    void refreshModels();
  });
  await Promise.all([loadCurrent(), refreshRuns()]);
}

const STATE_KEY = { running: 'run.state.running', succeeded: 'run.state.succeeded', failed: 'run.state.failed', canceled: 'run.state.canceled' } as const;
/** A run's state in words ("Training", "Finished", …), for badges. */
export const runStateLabel = (state: TaskState): string => t(STATE_KEY[state]);
