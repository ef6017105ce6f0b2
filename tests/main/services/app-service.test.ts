// appInfo answers at once; the backend follows as one event; a failing ML start is said once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackendInfo, EventName } from '../../../preload/contract';
import { AppService } from '../../../main/services/app-service';

function ports() {
  const events: { name: EventName; payload: unknown }[] = [];
  return {
    events,
    ports: { appVersion: '1.2.3', dataDir: '/data', emit: (name: EventName, payload: unknown) => events.push({ name, payload }), log: () => undefined },
  };
}

const WASM: BackendInfo = { kind: 'wasm', label: 'WebAssembly (WASM)', reason: 'WASM: native module not installed' };

test('the backend is null until the ML process reports it, then sent once as an event', async () => {
  const { ports: p, events } = ports();
  let release!: (b: BackendInfo) => void;
  const app = new AppService(p, { backend: () => new Promise((r) => (release = r)) });
  const first = app.appInfo();
  assert.equal(first.backend, null);
  assert.equal(first.version, '1.2.3');
  assert.ok(first.credits.some((c) => c.includes('CC BY-SA 3.0')));
  release(WASM);
  await app.warmUp();
  assert.deepEqual(app.appInfo().backend, WASM);
  app.setBackend(WASM);
  assert.deepEqual(events, [{ name: 'backend', payload: WASM }]);
});

test('a failing ML start is reported once as an appError and retried on the next appInfo', async () => {
  const { ports: p, events } = ports();
  let calls = 0;
  const app = new AppService(p, {
    backend: async () => {
      calls++;
      throw new Error('spawn ENOENT');
    },
  });
  assert.equal(await app.warmUp(), null);
  assert.equal(await app.warmUp(), null);
  app.appInfo();
  assert.equal(calls, 3, 'appInfo asked again at once');
  // warmUp while that attempt is pending joins it (no fourth call) and ends when it has been handled.
  assert.equal(await app.warmUp(), null);
  assert.equal(calls, 3);
  const errors = events.filter((e) => e.name === 'appError');
  assert.equal(errors.length, 1);
  assert.match((errors[0]!.payload as { message: string }).message, /could not start: spawn ENOENT/);
});
