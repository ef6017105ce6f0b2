// Live prediction without stutter: at most one request in flight, and while it runs, new drawings
// only replace the one waiting (the latest wins; intermediate ones are never sent). The input is
// made lazily, when it is about to be sent, so a fast stroke rasterises once per request rather
// than once per pointer event. reset() (clear, undo to empty, model switch) makes the answer in
// flight stale: it is dropped when it arrives instead of overwriting the newer state.

export interface LatestRequestOptions<I, O> {
  send(input: I): Promise<O>;
  onResult(output: O, input: I): void;
  onError(error: unknown, input: I): void;
  /** Told whenever a request starts or the queue drains. */
  onBusy?(busy: boolean): void;
  /**
   * When to make and send the waiting input. Defaults to the next animation frame in a browser
   * (pointer events between frames coalesce), else a microtask.
   */
  schedule?(run: () => void): void;
}

function defaultSchedule(run: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => run());
  else queueMicrotask(run);
}

export class LatestRequest<I, O> {
  private pending: (() => I | null) | null = null;
  private inFlight = false;
  private scheduled = false;
  private generation = 0;
  /** How many requests were sent, for tests and the benchmark. */
  sent = 0;

  constructor(private readonly options: LatestRequestOptions<I, O>) {}

  /** Queues the latest input; `make` runs just before sending and may return null to skip. */
  submit(make: () => I | null): void {
    this.pending = make;
    this.kick();
  }

  /** Drops the waiting input and makes the answer in flight stale. */
  reset(): void {
    this.pending = null;
    this.generation++;
  }

  get busy(): boolean {
    return this.inFlight;
  }

  private kick(): void {
    if (this.inFlight || this.scheduled || !this.pending) return;
    this.scheduled = true;
    (this.options.schedule ?? defaultSchedule)(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.inFlight || !this.pending) return;
    const make = this.pending;
    this.pending = null;
    const input = make();
    if (input === null) return;
    const generation = this.generation;
    this.inFlight = true;
    this.sent++;
    this.options.onBusy?.(true);
    try {
      const output = await this.options.send(input);
      if (generation === this.generation) this.options.onResult(output, input);
    } catch (error) {
      if (generation === this.generation) this.options.onError(error, input);
    } finally {
      this.inFlight = false;
      if (!this.pending) this.options.onBusy?.(false);
      this.kick();
    }
  }
}
