import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatestRequest } from '../../renderer/src/lib/drawing/latest-request';

/** A manual scheduler and a service whose answers we release by hand. */
function harness() {
  const frames: (() => void)[] = [];
  const calls: { input: number; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const results: string[] = [];
  const errors: string[] = [];
  const busy: boolean[] = [];
  let made = 0;
  const runner = new LatestRequest<number, string>({
    send: (input) => new Promise((resolve, reject) => calls.push({ input, resolve, reject })),
    onResult: (out) => results.push(out),
    onError: (e) => errors.push((e as Error).message),
    onBusy: (b) => busy.push(b),
    schedule: (run) => frames.push(run),
  });
  const frame = (): void => frames.shift()?.();
  const submit = (v: number | null): void =>
    runner.submit(() => {
      made++;
      return v;
    });
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return { runner, frames, calls, results, errors, busy, frame, submit, settle, made: () => made };
}

test('at most one request in flight; the latest drawing wins and intermediate ones are never made', async () => {
  const h = harness();
  h.submit(1);
  h.submit(2);
  assert.equal(h.frames.length, 1, 'one frame scheduled for a burst');
  h.frame();
  assert.deepEqual(h.calls.map((c) => c.input), [2], 'only the latest of the burst is sent');
  for (let v = 3; v <= 10; v++) h.submit(v);
  assert.equal(h.frames.length, 0, 'nothing scheduled while a request is in flight');
  assert.equal(h.calls.length, 1);
  h.calls[0]!.resolve('two');
  await h.settle();
  assert.deepEqual(h.results, ['two']);
  h.frame();
  assert.deepEqual(h.calls.map((c) => c.input), [2, 10]);
  assert.equal(h.made(), 2, 'inputs 1 and 3..9 were never rasterised');
  h.calls[1]!.resolve('ten');
  await h.settle();
  assert.deepEqual(h.results, ['two', 'ten']);
  assert.equal(h.runner.sent, 2);
  assert.deepEqual(h.busy, [true, true, false]);
  assert.equal(h.runner.busy, false);
});

test('reset makes the answer in flight stale and drops the waiting input', async () => {
  const h = harness();
  h.submit(1);
  h.frame();
  h.submit(2);
  h.runner.reset();
  h.calls[0]!.resolve('stale');
  await h.settle();
  assert.deepEqual(h.results, [], 'the stale answer is ignored');
  assert.equal(h.frames.length, 0, 'the waiting input was dropped');
  h.submit(3);
  h.frame();
  h.calls[1]!.resolve('fresh');
  await h.settle();
  assert.deepEqual(h.results, ['fresh']);
});

test('errors are reported (unless stale) and do not jam the queue; null inputs are skipped', async () => {
  const h = harness();
  h.submit(1);
  h.frame();
  h.submit(2);
  h.calls[0]!.reject(new Error('No model yet'));
  await h.settle();
  assert.deepEqual(h.errors, ['No model yet']);
  h.frame();
  assert.equal(h.calls.length, 2, 'the next request still goes out');
  h.runner.reset();
  h.calls[1]!.reject(new Error('late'));
  await h.settle();
  assert.deepEqual(h.errors, ['No model yet']);
  h.submit(null);
  h.frame();
  assert.equal(h.calls.length, 2, 'a blank drawing sends nothing');
  assert.equal(h.runner.busy, false);
});
