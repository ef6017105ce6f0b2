// The harness is a test tool with a socket, so it gets the same scrutiny as the app: loopback only,
// and no connection without this run's token (or from another origin).
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { rewriteIndexHtml, startHarness, type Harness } from './harness';

let harness: Harness;

before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

/** Resolves 'open' or the refusal, whichever comes first. */
function tryConnect(url: string, origin?: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.on('error', (err) => resolve(`error ${err.message}`));
  });
}

function call(ws: WebSocket, name: string, args: unknown[] = []): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id: number; result: never };
      if (msg.type === 'result' && msg.id === id) resolve(msg.result);
    });
    ws.send(JSON.stringify({ type: 'call', id, name, args }));
  });
}

test('listens on 127.0.0.1 only', async () => {
  assert.match(harness.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  const ok = await new Promise<number>((resolve, reject) =>
    http.get(`${harness.origin}/`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject),
  );
  assert.equal(ok, 200);
  // Another address of this machine must not answer (when it has one besides loopback).
  const os = await import('node:os');
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (external) {
    const outcome = await new Promise<string>((resolve) =>
      http
        .get({ host: external.address, port: harness.port, path: '/', timeout: 2000 }, () => resolve('answered'))
        .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
        .on('timeout', () => resolve('timeout')),
    );
    assert.notEqual(outcome, 'answered');
  }
});

test('refuses a missing, wrong or foreign-origin token', async () => {
  const base = `ws://127.0.0.1:${harness.port}/ws`;
  assert.equal(await tryConnect(base), 'refused 401');
  assert.equal(await tryConnect(`${base}?token=`), 'refused 401');
  assert.equal(await tryConnect(`${base}?token=${'0'.repeat(48)}`), 'refused 401');
  assert.equal(await tryConnect(`${base}?token=${harness.token.slice(0, -1)}`), 'refused 401');
  assert.equal(await tryConnect(`${base}?token=${harness.token}`, 'http://evil.example'), 'refused 401');
  assert.equal(await tryConnect(`${base}?token=${harness.token}`, harness.origin), 'open');
});

test('drives the real services through the dispatcher, refusing bad calls and preload-only calls', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${harness.port}/ws?token=${harness.token}`);
  await new Promise((resolve) => ws.on('open', resolve));
  const info = await call(ws, 'appInfo');
  assert.equal(info.ok, true);
  assert.equal((info.value as { name: string }).name, 'Digit Studio');
  const unknown = await call(ws, 'rmRf', [{}]);
  assert.equal(unknown.ok, false);
  assert.match(unknown.error!.message, /Unknown call/);
  const drop = await call(ws, 'importPaths', [{ paths: ['/etc/passwd'] }]);
  assert.equal(drop.ok, false);
  assert.match(drop.error!.message, /only reachable through a drop/);
  const bad = await call(ws, 'cancelTask', [{ taskId: 42 }]);
  assert.equal(bad.ok, false);
  ws.close();
});

test('serves index.html with the harness CSP and the stand-in preload, and nothing outside out/renderer', async () => {
  const get = (p: string) =>
    new Promise<{ status: number; body: string; csp: string | undefined }>((resolve, reject) =>
      http
        .get(`${harness.origin}${p}`, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, csp: res.headers['content-security-policy'] as string }));
        })
        .on('error', reject),
    );
  const index = await get('/');
  assert.equal(index.status, 200);
  assert.match(index.body, /<script src="\.\/__harness\/preload\.js"><\/script>/);
  assert.match(index.csp!, new RegExp(`connect-src ws://127\\.0\\.0\\.1:${harness.port}(;|$)`));
  assert.doesNotMatch(index.csp!, /unsafe-eval|unsafe-inline/);
  assert.equal((await get('/../package.json')).status, 404);
  assert.equal((await get('/%2e%2e/package.json')).status, 404);
  assert.throws(() => rewriteIndexHtml('<html><head></head></html>', 1), /no CSP meta/);
});
