// Learning-rate schedules, as a function of how far the run is (0 at the start, 1 at the end).
//   'onecycle' (Smith & Topin): warm up from lr/25 to lr over the first 25%, then anneal to
//              lr/25/10⁴ (both on cosines), as PyTorch's OneCycleLR with its defaults; evaluated
//              per batch. Batch norm tolerates the high peak; the long anneal gives the last 0.2%.
//   'cosine'   anneals to 5% of lr over the run; evaluated per epoch.
//   'constant' lr throughout.
export type Schedule = 'onecycle' | 'cosine' | 'constant';

const WARMUP = 0.25;
const START_DIV = 25;
const FINAL_DIV = 1e4;

export function learningRateAt(schedule: Schedule, lr: number, progress: number): number {
  const p = Math.min(1, Math.max(0, progress));
  const cosineFrom = (from: number, to: number, q: number) => to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * q));
  if (schedule === 'constant') return lr;
  if (schedule === 'cosine') return cosineFrom(lr, lr * 0.05, p);
  const low = lr / START_DIV;
  if (p < WARMUP) return cosineFrom(low, lr, p / WARMUP);
  return cosineFrom(lr, low / FINAL_DIV, (p - WARMUP) / (1 - WARMUP));
}
