// Shared app state, kept current by the pushed events. Places read it; only this module subscribes
// to the app-wide events, so each place subscribes just to what it alone needs (e.g. `train`).
import type { AppInfo, BackendInfo, DatasetSummary, ModelSummary, Task } from '../../../preload/contract';
import { api, apiAvailable } from './api';
import { attempt, showError } from './toasts.svelte';
import { go } from './router.svelte';
import { showImagePrediction } from '../components/predict/predict-state.svelte';
import { applyUiSettings, t } from './i18n/index.svelte';

export const app = $state({
  info: null as AppInfo | null,
  backend: null as BackendInfo | null,
  /** Every task the main side knows about (running and finished), newest last. */
  tasks: [] as Task[],
  datasets: [] as DatasetSummary[],
  models: [] as ModelSummary[],
  connected: false,
});

export function upsertTask(task: Task): void {
  const i = app.tasks.findIndex((t) => t.id === task.id);
  if (i >= 0) app.tasks[i] = task;
  else app.tasks.push(task);
}

export function runningTasks(): Task[] {
  return app.tasks.filter((t) => t.state === 'running');
}

/**
 * The list as shown: the built-in MNIST sets (kind 'starter') named in the user's language. Main
 * names them in English once; here they follow the language, which can change at any time.
 */
export function localiseDatasets(list: DatasetSummary[]): DatasetSummary[] {
  return list.map((d) => (d.kind === 'starter' ? { ...d, name: t(d.role === 'test' ? 'data.builtinTest' : 'data.builtinTrain', { n: d.count }) } : d));
}

export async function refreshDatasets(): Promise<void> {
  const list = await attempt(() => api.listDatasets(), t('app.listDatasetsFailed'));
  if (list) app.datasets = localiseDatasets(list);
}

export async function refreshModels(): Promise<void> {
  const list = await attempt(() => api.listModels(), t('app.listModelsFailed'));
  if (list) app.models = list;
}

let started = false;

/** Subscribes to the app-wide events and loads the first state. Safe to call more than once. */
export async function startAppState(): Promise<void> {
  if (started || !apiAvailable) return;
  started = true;
  api.on('task', (task) => {
    upsertTask(task);
    if (task.state === 'failed' && task.error) showError(task.error, task.title);
  });
  api.on('datasetsChanged', (list) => (app.datasets = localiseDatasets(list)));
  api.on('modelsChanged', (list) => (app.models = list));
  api.on('backend', (backend) => (app.backend = backend));
  api.on('appError', ({ message }) => showError(message));
  // Issue 15: the language chosen from the menu (or another window) applies at once.
  const applySettings = (ui: Parameters<typeof applyUiSettings>[0]) => {
    applyUiSettings(ui);
    app.datasets = localiseDatasets(app.datasets);
  };
  api.on('uiSettings', applySettings);
  const ui = await attempt(() => api.uiSettings());
  if (ui) applySettings(ui);
  // A picture opened from the menu or the system ("Open with"): show it where predictions live.
  api.on('imageOpened', (prediction) => {
    showImagePrediction(prediction);
    go('predict');
  });
  const info = await attempt(() => api.appInfo(), t('app.mainUnreachable'));
  if (info) {
    app.info = info;
    app.backend ??= info.backend;
    app.connected = true;
  }
  const tasks = await attempt(() => api.listTasks());
  if (tasks) app.tasks = tasks;
  await Promise.all([refreshDatasets(), refreshModels()]);
}
