// The end-to-end harness: the real main-side services behind a loopback-only WebSocket, and the
// built renderer served over HTTP to a real Chromium with a stand-in preload. Electron's binary
// can't run here, so this is how the real renderer is tested against the real services.
//
// Safety: it listens on 127.0.0.1 only, on a random port; the socket refuses any connection
// without this run's random token or from another origin; the packaged app never starts it.
import { build } from 'esbuild';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { PRELOAD_ONLY_CALLS, type CallName, type EventName, type Events } from '../../preload/contract';
import { createDispatcher } from '../../main/ipc/dispatch';
import { createServices } from '../../main/services/create-services';
import type { Services, ServicePorts } from '../../main/services/ports';
import { forkSpawner } from '../../main/models/fork-spawner';
import { builtinModelDir } from '../../main/models/builtin-model';
import { QueuedDialogs } from './dialogs';
import { ensureRendererBuilt, RENDERER_OUT, ROOT } from './renderer-build';

export interface HarnessOptions {
  /** Data folder to use; a fresh temp folder (removed on close) when omitted. */
  dataDir?: string;
  /** Replaces the ML process spawner (tests that kill it keep a handle). */
  spawnMl?: ServicePorts['spawnMl'];
  /** Make it yours (issue 18): a tiny fine-tune for tests. */
  guide?: ServicePorts['guide'];
  /** List the shipped base model (resources/base-model) as the app does; off by default. */
  builtinModel?: boolean;
}

export interface Harness {
  /** The page to open, token included. */
  url: string;
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  dialogs: QueuedDialogs;
  services: Services;
  /** Events sent to the renderer, newest last, for tests that want to wait on main-side state. */
  events: { name: EventName; payload: unknown }[];
  /** Lines the services logged. */
  logs: string[];
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

const PRELOAD_PATH = '/__harness/preload.js';

async function bundleStandInPreload(): Promise<string> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(__dirname, 'stand-in-preload.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

/** The page's CSP, identical to the app's except that it may also reach this harness's socket. */
export function harnessCsp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** index.html with the harness CSP in place of the app's and the stand-in preload loaded first. */
export function rewriteIndexHtml(html: string, port: number): string {
  const csp = harnessCsp(port);
  const withCsp = html.replace(
    /<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/?>/i,
    `<meta http-equiv="Content-Security-Policy" content="${csp}" />`,
  );
  if (withCsp === html) throw new Error('harness: out/renderer/index.html has no CSP meta to rewrite');
  return withCsp.replace('</head>', `  <script src=".${PRELOAD_PATH}"></script>\n  </head>`);
}

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  await ensureRendererBuilt();
  const preloadJs = await bundleStandInPreload();
  const ownDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'digit-studio-e2e-')));
  const token = randomBytes(24).toString('hex');
  const dialogs = new QueuedDialogs();
  const events: Harness['events'] = [];
  const logs: string[] = [];
  const clients = new Set<WebSocket>();
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

  const emit = <E extends EventName>(name: E, payload: Events[E]): void => {
    events.push({ name, payload });
    if (events.length > 5000) events.splice(0, 1000);
    const frame = JSON.stringify({ type: 'event', name, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  };

  const services = await createServices({
    dataDir,
    appVersion: pkg.version,
    dialogs,
    emit,
    spawnMl: options.spawnMl ?? forkSpawner(),
    ...(options.guide ? { guide: options.guide } : {}),
    builtinModelDir: options.builtinModel ? builtinModelDir() : null,
    log: (line) => {
      logs.push(line);
      if (logs.length > 2000) logs.splice(0, 500);
    },
  });
  const dispatch = createDispatcher(services.handlers, { log: (line) => logs.push(line) });

  let port = 0;
  const server = http.createServer((req, res) => {
    void serveStatic(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const headers = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
    if (url.pathname === PRELOAD_PATH) {
      res.writeHead(200, { ...headers, 'Content-Type': MIME['.js']! }).end(preloadJs);
      return;
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(RENDERER_OUT, rel);
    if (!file.startsWith(RENDERER_OUT + path.sep)) return void res.writeHead(404).end();
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return void res.writeHead(404).end();
    }
    const ext = path.extname(file);
    if (rel === 'index.html') {
      const html = rewriteIndexHtml(body.toString('utf8'), port);
      res.writeHead(200, { ...headers, 'Content-Type': MIME['.html']!, 'Content-Security-Policy': harnessCsp(port) }).end(html);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': MIME[ext] ?? 'application/octet-stream' }).end(body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const originOk = req.headers.origin === undefined || req.headers.origin === `http://127.0.0.1:${port}`;
    if (url.pathname !== '/ws' || !sameToken(url.searchParams.get('token'), token) || !originOk) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data) => {
      let msg: { type?: unknown; id?: unknown; name?: unknown; args?: unknown };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.type !== 'call' || typeof msg.id !== 'number') return;
      const id = msg.id;
      const name = String(msg.name);
      // The page is the renderer: like Electron's sender check, it may not name file paths.
      const reply = PRELOAD_ONLY_CALLS.includes(name as CallName)
        ? Promise.resolve({ ok: false as const, error: { message: `"${name}" is only reachable through a drop.` } })
        : dispatch(name, Array.isArray(msg.args) ? msg.args : []);
      void reply.then((result) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  let closed = false;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    dataDir,
    dialogs,
    services,
    events,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      for (const ws of clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.dispose();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
