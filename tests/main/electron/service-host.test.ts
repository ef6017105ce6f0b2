import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_NAMES, type Handlers } from '../../../preload/contract';
import type { Services } from '../../../main/services/ports';
import { ServiceHost } from '../../../main/electron/service-host';

function makeServices(dataDir: string, events: string[]): Services {
  const handlers = Object.fromEntries(CALL_NAMES.map((n) => [n, async () => `${n}@${dataDir}`])) as unknown as Handlers;
  return {
    handlers,
    async dispose() {
      events.push(`dispose ${dataDir}`);
    },
  };
}

test('calls go to the current services and wait while they (re)start', async () => {
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const host = new ServiceHost(async (dir) => {
    events.push(`create ${dir}`);
    if (dir === '/slow') await gate;
    return makeServices(dir, events);
  }, () => undefined);

  await assert.rejects(Promise.resolve(host.handlers.listDatasets()), /not ready/);
  await host.start('/a');
  assert.equal(await host.handlers.listDatasets(), 'listDatasets@/a');
  assert.equal(host.dataDir, '/a');

  const switching = host.restart(async () => '/slow');
  const waiting = host.handlers.listModels();
  release();
  await switching;
  assert.equal(await waiting, 'listModels@/slow', 'a call made during the switch waits for the new services');
  assert.deepEqual(events, ['create /a', 'dispose /a', 'create /slow']);
});

test('a failed switch brings the services back on the old folder and reports the error', async () => {
  const events: string[] = [];
  const host = new ServiceHost(async (dir) => makeServices(dir, events), () => undefined);
  await host.start('/a');
  await assert.rejects(host.restart(async () => { throw new Error('disk full'); }), /disk full/);
  assert.equal(host.dataDir, '/a');
  assert.equal(await host.handlers.appInfo(), 'appInfo@/a');
  assert.deepEqual(events, ['dispose /a']);
});

test('stop disposes once; dispose errors are logged, not thrown', async () => {
  const lines: string[] = [];
  const host = new ServiceHost(async () => ({ handlers: {} as Handlers, dispose: async () => { throw new Error('boom'); } }), (l) => lines.push(l));
  await host.start('/a');
  await host.stop();
  await host.stop();
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /boom/);
});
