// One epoch's training steps (./trainer.ts runs the epochs around them): per batch, the cancel and
// time-budget checks, the one-cycle learning rate, the step itself (./batch-step.ts, with the next
// batch assembled while this thread would wait for the replica), the divergence check and the
// throttled progress report; between batches the event loop gets a turn (cancel messages).
import type { Optimizer } from '@tensorflow/tfjs';
import { msg } from '../i18n';
import type { Batch, BatchSource } from './batch-source';
import type { BatchStepper } from './batch-step';
import { profiler } from './profile';
import { type Schedule, learningRateAt } from './schedule';
import { type TrainCallbacks, type TrainConfig, TrainingDiverged } from './train-config';

/** The run's counters, kept across epochs. */
export interface RunClock {
  /** Steps taken in the run. */
  step: number;
  /** Seconds spent in steps (validation excluded), against `budget` (0: none). */
  trainSeconds: number;
  budget: number;
  runStart: number;
  lastReport: number;
}

export interface EpochSteps {
  epoch: number;
  source: BatchSource;
  stepper: BatchStepper;
  config: TrainConfig;
  cb: TrainCallbacks;
  clock: RunClock;
  totalBatches: number;
  batchesPerEpoch: number;
  setRate(lr: number): void;
  schedule: Schedule;
  reportMs: number;
  epochStart: number;
}

export interface EpochTotals {
  lossSum: number;
  accSum: number;
  seen: number;
  canceled: boolean;
  outOfTime: boolean;
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Trains on the epoch's batches (the source already shuffled); sums of loss and accuracy × images. */
export async function runEpochSteps(e: EpochSteps): Promise<EpochTotals> {
  const { epoch, source, stepper, config, cb, clock, totalBatches, batchesPerEpoch, setRate, schedule, reportMs, epochStart } = e;
  const prof = profiler();
  let lossSum = 0;
  let canceled = false;
  let outOfTime = false;
  let accSum = 0;
  let seen = 0;
  let batch = source.fill(0);
  for (let b = 0; b < batchesPerEpoch; b++) {
    if (cb.shouldStop?.()) {
      canceled = true;
      break;
    }
    if (clock.budget > 0 && clock.trainSeconds >= clock.budget) {
      outOfTime = true;
      cb.onStatus?.(msg('train.status.budget', { seconds: clock.budget }));
      break;
    }
    if (schedule === 'onecycle') {
      // With a time budget the schedule runs on whichever ends first, steps or time, so the
      // rate has come down by the end either way.
      const p = Math.max(clock.step / totalBatches, clock.budget > 0 ? clock.trainSeconds / clock.budget : 0);
      setRate(learningRateAt('onecycle', config.learningRate, Math.min(1, p)));
    }
    const n = batch.n;
    const batchStart = performance.now();
    // The next batch is made while this thread would wait for the replica (or right after).
    let upcoming: Batch | null = null;
    const makeNext = () => {
      if (!upcoming && b + 1 < batchesPerEpoch) upcoming = source.fill(b + 1);
    };
    const r = await stepper.step(batch.x, batch.labels, n, (config.seed + clock.step * 7919) >>> 0, makeNext);
    const loss = Number.isFinite(r.raw) ? r.loss : r.raw;
    const acc = r.accuracy;
    makeNext();
    clock.trainSeconds += (performance.now() - batchStart) / 1000;
    clock.step++;
    if (!Number.isFinite(loss)) throw new TrainingDiverged(epoch, b + 1, loss);
    lossSum += loss * n;
    accSum += acc * n;
    seen += n;
    const now = performance.now();
    if (cb.onBatch && (now - clock.lastReport >= reportMs || b === batchesPerEpoch - 1)) {
      clock.lastReport = now;
      const elapsed = (now - epochStart) / 1000;
      const perBatch = (now - clock.runStart) / 1000 / clock.step;
      cb.onBatch(
        { step: clock.step, epoch, loss, accuracy: acc },
        { done: clock.step, total: totalBatches, unit: 'batches' },
        elapsed > 0 ? seen / elapsed : 0,
        Math.max(0, (totalBatches - clock.step) * perBatch),
      );
    }
    const endYield = prof.start('yield to events');
    await yieldToEvents();
    endYield();
    if (upcoming) batch = upcoming;
  }
  return { lossSum, accSum, seen, canceled, outOfTime };
}
