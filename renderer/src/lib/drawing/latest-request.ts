// Live prediction without stutter and without lag: at most one request in flight, and while it runs,
// new drawings only replace the one waiting (the latest wins; intermediate ones are never made or
// sent). Nothing waits on a timer or a frame: a drawing made while idle goes out at once (after the
// current task, so changes made together go as one), and the drawing waiting behind a request goes
// out the moment its answer arrives. A pen at 60 Hz thus gets one request per answer, each with the
// newest ink. The input is made lazily, just before sending, so a fast stroke rasterises once per
// request rather than once per pointer event; an input equal to the last one sent (a pointerup
// adds no ink) is not sent again: the answer to it is the reading already shown or on its way.
// reset() (clear, undo to empty, model switch) makes the answer in flight stale: it is dropped
// when it arrives instead of overwriting the newer state.

export interface LatestRequestOptions<I, O> {
  send(input: I): Promise<O>;
  onResult(output: O, input: I): void;
  onError(error: unknown, input: I): void;
  /** Told whenever a request starts or the queue drains. */
  onBusy?(busy: boolean): void;
  /** When two inputs would get the same answer; such an input is not sent twice in a row. */
  same?(a: I, b: I): boolean;
  /** When to make and send an input submitted while idle. Defaults to a microtask. */
  schedule?(run: () => void): void;
}

export class LatestRequest<I, O> {
  private pending: (() => I | null) | null = null;
  private inFlight = false;
  private scheduled = false;
  private generation = 0;
  /** The last input sent in this generation, unless it failed (then the same drawing may retry). */
  private lastSent: I | null = null;
  /** How many requests were sent, for tests and the benchmark. */
  sent = 0;

  constructor(private readonly options: LatestRequestOptions<I, O>) {}

  /** Queues the latest input; `make` runs just before sending and may return null to skip. */
  submit(make: () => I | null): void {
    this.pending = make;
    if (this.inFlight || this.scheduled) return;
    this.scheduled = true;
    (this.options.schedule ?? queueMicrotask)(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Drops the waiting input and makes the answer in flight stale. */
  reset(): void {
    this.pending = null;
    this.lastSent = null;
    this.generation++;
  }

  get busy(): boolean {
    return this.inFlight;
  }

  /** Sends the waiting input, then whatever is waiting when its answer arrives, until none is. */
  private async flush(): Promise<void> {
    if (this.inFlight) return;
    let sentAny = false;
    for (;;) {
      const make = this.pending;
      this.pending = null;
      if (!make) break;
      const input = make();
      if (input === null) continue;
      const { same } = this.options;
      if (same && this.lastSent !== null && same(input, this.lastSent)) continue;
      const generation = this.generation;
      this.lastSent = input;
      this.inFlight = true;
      this.sent++;
      sentAny = true;
      this.options.onBusy?.(true);
      try {
        const output = await this.options.send(input);
        if (generation === this.generation) this.options.onResult(output, input);
      } catch (error) {
        if (generation === this.generation) {
          if (this.lastSent === input) this.lastSent = null;
          this.options.onError(error, input);
        }
      } finally {
        this.inFlight = false;
      }
    }
    if (sentAny) this.options.onBusy?.(false);
  }
}
