// Runs async jobs a few at a time and hands their results over strictly in job order, so what is
// built from them (an import's dataset) is the same whatever order the jobs finish in.

/** Runs jobs with bounded concurrency; results are handed over in job order (deterministic datasets). */
export async function runOrdered<T>(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<T>,
  take: (i: number, result: T) => void,
  signal?: AbortSignal,
): Promise<void> {
  const results = new Map<number, T>();
  let next = 0;
  let flushed = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (next < count && failure === null) {
      if (signal?.aborted) {
        failure = signal.reason ?? new Error('canceled');
        break;
      }
      const i = next++;
      try {
        results.set(i, await work(i));
      } catch (err) {
        failure = err;
        break;
      }
      while (results.has(flushed)) {
        const r = results.get(flushed)!;
        results.delete(flushed);
        take(flushed, r);
        flushed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  if (failure !== null) throw failure;
}
