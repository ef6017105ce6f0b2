// Long work kept running beside the pad bench, as a user would have it: Evaluate on the 10,000 MNIST
// test digits started again as soon as it ends, or a training run (cancelled at the end). Started
// through the contract, like the app's pages do, so its task events reach the page too.
import { DEFAULT_TRAIN_SETTINGS } from '../../../preload/contract';
import type { E2eApp } from '../../../tests/harness/driver';

export type PadLoad = 'eval' | 'train';

export interface RunningLoad {
  /** Long jobs started so far (evaluations run back to back; one training run). */
  readonly started: number;
  stop(): Promise<void>;
}

async function settled(app: E2eApp, taskId: string, stopping: () => boolean): Promise<void> {
  for (;;) {
    const task = (await app.call('listTasks')).find((t) => t.id === taskId);
    if (!task || task.state !== 'running') return;
    if (stopping()) await app.call('cancelTask', { taskId });
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts `load` and resolves once its first job is running. */
export async function startLoad(app: E2eApp, load: PadLoad, opts: { modelId: string; datasetId: string }): Promise<RunningLoad> {
  let stopping = false;
  let started = 0;
  let firstStarted!: () => void;
  const first = new Promise<void>((r) => (firstStarted = r));
  const loop = (async () => {
    while (!stopping) {
      const task =
        load === 'eval'
          ? await app.call('evaluate', { modelId: opts.modelId, datasetIds: ['mnist-test'] })
          : await app.call('startTraining', {
              ...DEFAULT_TRAIN_SETTINGS,
              name: 'pad bench load',
              datasetIds: [opts.datasetId, 'starter'],
              epochs: 50,
              earlyStopping: false,
            });
      started++;
      firstStarted();
      await settled(app, task.id, () => stopping);
    }
  })();
  await first;
  return {
    get started() {
      return started;
    },
    stop: async () => {
      stopping = true;
      await loop;
    },
  };
}
