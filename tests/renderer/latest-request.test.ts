import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestRequest } from '../../renderer/src/lib/drawing/latest-request';

/**
 * A manual scheduler (for the idle → first send step) and a slow service whose answers we release
 * by hand; it counts how many requests are in flight at once.
 */
function harness(options: { same?: (a: number, b: number) => boolean } = {}) {
  const scheduled: (() => void)[] = [];
  const calls: { input: number; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  const busy: boolean[] = [];
  let made = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const runner = new LatestRequest<number, string>({
    send: (input) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<string>((resolve, reject) => calls.push({ input, resolve, reject })).finally(() => inFlight--);
    },
    onResult: (out) => results.push(out),
    onError: (e) => errors.push((e as Error).message),
    onBusy: (b) => busy.push(b),
    schedule: (run) => scheduled.push(run),
    ...options,
  });
  const run = (): void => scheduled.shift()?.();
  const submit = (v: number | null): void =>
    runner.submit(() => {
      made++;
      return v;
    });
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return { runner, scheduled, calls, results, errors, busy, run, submit, settle, made: () => made, maxInFlight: () => maxInFlight };
}

test('at most one request in flight; the latest drawing wins, goes out as soon as the answer arrives, and intermediate ones are never made', async () => {
  const h = harness();
  h.submit(1);
  h.submit(2);
  assert.equal(h.scheduled.length, 1, 'one send scheduled for a burst');
  h.run();
  assert.deepEqual(h.calls.map((c) => c.input), [2], 'only the latest of the burst is sent');
  for (let v = 3; v <= 10; v++) h.submit(v);
  assert.equal(h.scheduled.length, 0, 'nothing scheduled while a request is in flight');
  assert.equal(h.calls.length, 1);
  h.calls[0]!.resolve('two');
  await h.settle();
  assert.deepEqual(h.results, ['two']);
  // No frame or timer in between: the waiting drawing went out with the answer.
  assert.equal(h.scheduled.length, 0);
  assert.deepEqual(h.calls.map((c) => c.input), [2, 10]);
  assert.equal(h.made(), 2, 'inputs 1 and 3..9 were never rasterised');
  h.calls[1]!.resolve('ten');
  await h.settle();
  assert.deepEqual(h.results, ['two', 'ten']);
  assert.equal(h.runner.sent, 2);
  assert.equal(h.maxInFlight(), 1);
  assert.deepEqual(h.busy, [true, true, false]);
  assert.equal(h.runner.busy, false);
});

test('a quick stroke against a slow service: one request at a time, and the last reading is the last drawing', async () => {
  const h = harness();
  // 60 pointer events; the service answers only every 7th event.
  for (let v = 1; v <= 60; v++) {
    h.submit(v);
    h.run();
    if (v % 7 === 0) {
      h.calls.at(-1)!.resolve(`reading of ${h.calls.at(-1)!.input}`);
      await h.settle();
    }
  }
  while (h.runner.busy) {
    h.calls.at(-1)!.resolve(`reading of ${h.calls.at(-1)!.input}`);
    await h.settle();
  }
  assert.equal(h.maxInFlight(), 1);
  assert.ok(h.runner.sent <= 10, `${h.runner.sent} requests for 60 events`);
  assert.equal(h.results.at(-1), 'reading of 60');
  assert.deepEqual(h.calls.map((c) => c.input), [...h.calls.map((c) => c.input)].sort((a, b) => a - b), 'requests go out in drawing order');
});

test('an input equal to the last one sent is not sent again, unless that one failed or a reset came between', async () => {
  const h = harness({ same: (a, b) => a === b });
  h.submit(5);
  h.run();
  h.submit(5); // a pointerup: no new ink
  h.calls[0]!.resolve('five');
  await h.settle();
  assert.equal(h.calls.length, 1, 'the same pixels are not asked again');
  assert.deepEqual(h.busy, [true, false]);
  h.submit(5);
  h.run();
  assert.equal(h.calls.length, 1, 'not even when idle');
  h.submit(6);
  h.run();
  h.calls[1]!.reject(new Error('busy'));
  await h.settle();
  h.submit(6);
  h.run();
  assert.deepEqual(h.calls.map((c) => c.input), [5, 6, 6], 'a failed input may be retried');
  h.calls[2]!.resolve('six');
  await h.settle();
  h.runner.reset();
  h.submit(6);
  h.run();
  assert.deepEqual(h.calls.map((c) => c.input), [5, 6, 6, 6], 'after a reset (model switch) it is asked again');
});

test('reset makes the answer in flight stale and drops the waiting input', async () => {
  const h = harness();
  h.submit(1);
  h.run();
  h.submit(2);
  h.runner.reset();
  h.calls[0]!.resolve('stale');
  await h.settle();
  assert.deepEqual(h.results, [], 'the stale answer is ignored');
  assert.equal(h.calls.length, 1, 'the waiting input was dropped');
  h.submit(3);
  h.run();
  h.calls[1]!.resolve('fresh');
  await h.settle();
  assert.deepEqual(h.results, ['fresh']);
});

test('a drawing submitted after a reset while the stale answer is in flight goes out when it arrives, and its reading shows', async () => {
  const h = harness();
  h.submit(1);
  h.run();
  h.runner.reset();
  h.submit(2);
  assert.equal(h.calls.length, 1, 'still one in flight');
  h.calls[0]!.resolve('stale');
  await h.settle();
  assert.deepEqual(h.calls.map((c) => c.input), [1, 2]);
  h.calls[1]!.resolve('two');
  await h.settle();
  assert.deepEqual(h.results, ['two']);
});

test('errors are reported (unless stale) and do not jam the queue; null inputs are skipped', async () => {
  const h = harness();
  h.submit(1);
  h.run();
  h.submit(2);
  h.calls[0]!.reject(new Error('No model yet'));
  await h.settle();
  assert.deepEqual(h.errors, ['No model yet']);
  assert.equal(h.calls.length, 2, 'the next request still goes out');
  h.runner.reset();
  h.calls[1]!.reject(new Error('late'));
  await h.settle();
  assert.deepEqual(h.errors, ['No model yet']);
  h.submit(null);
  h.run();
  assert.equal(h.calls.length, 2, 'a blank drawing sends nothing');
  assert.equal(h.runner.busy, false);
});

test('without a scheduler, a drawing submitted while idle goes out in a microtask, not a frame later', async () => {
  const sent: number[] = [];
  const runner = new LatestRequest<number, number>({ send: async (v) => (sent.push(v), v), onResult: () => undefined, onError: () => undefined });
  runner.submit(() => 1);
  runner.submit(() => 2);
  assert.deepEqual(sent, []);
  await Promise.resolve();
  assert.deepEqual(sent, [2]);
});
