// The harness's stand-in for preload/index.ts: the same `window.digitStudio` API, one method per
// call, but carried over the harness's loopback WebSocket instead of Electron IPC. Bundled for the
// browser with esbuild when the harness starts. The per-run token comes from the page URL.
import { CALL_NAMES, PRELOAD_ONLY_CALLS, type Api, type CallName, type EventName, type Events } from '../../preload/contract';

type Result = { ok: true; value: unknown } | { ok: false; error: { message: string } };
type ServerMessage =
  | { type: 'result'; id: number; result: Result }
  | { type: 'event'; name: EventName; payload: unknown };

const token = new URLSearchParams(location.search).get('token') ?? '';
const socketUrl = `ws://${location.host}/ws?token=${encodeURIComponent(token)}`;

const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
const listeners = new Map<EventName, Set<(payload: never) => void>>();
let nextId = 1;
let closedReason: string | null = null;

const socket = new WebSocket(socketUrl);
const opened = new Promise<void>((resolve, reject) => {
  socket.addEventListener('open', () => resolve());
  socket.addEventListener('error', () => reject(new Error('Could not connect to the test harness.')));
});
opened.catch(() => undefined);

socket.addEventListener('message', (event) => {
  let msg: ServerMessage;
  try {
    msg = JSON.parse(String(event.data)) as ServerMessage;
  } catch {
    return;
  }
  if (msg.type === 'result') {
    const waiter = pending.get(msg.id);
    if (!waiter) return;
    pending.delete(msg.id);
    if (msg.result.ok) waiter.resolve(msg.result.value);
    else waiter.reject(new Error(msg.result.error.message));
  } else if (msg.type === 'event') {
    for (const listener of listeners.get(msg.name) ?? []) {
      try {
        listener(msg.payload as never);
      } catch (err) {
        console.error(err);
      }
    }
  }
});

socket.addEventListener('close', () => {
  closedReason = 'The connection to the main process was lost.';
  for (const waiter of pending.values()) waiter.reject(new Error(closedReason));
  pending.clear();
});

async function call(name: CallName, args: unknown[]): Promise<unknown> {
  await opened;
  if (closedReason) throw new Error(closedReason);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    socket.send(JSON.stringify({ type: 'call', id, name, args }));
  });
}

const api: Record<string, unknown> = {};
for (const name of CALL_NAMES) {
  // Like the real preload: the path-taking calls are only reachable through the drop helpers.
  if (PRELOAD_ONLY_CALLS.includes(name)) continue;
  api[name] = (...args: unknown[]) => call(name, args);
}
api.on = <E extends EventName>(event: E, listener: (payload: Events[E]) => void): (() => void) => {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  const l = listener as (payload: never) => void;
  set.add(l);
  return () => {
    set.delete(l);
  };
};
api.importDroppedFiles = async () => {
  throw new Error('Dropping files is not available in the harness (use the dialog port).');
};
api.predictDroppedFile = async (_file: File, options?: { modelId?: string }) => {
  // Names the model the page asked for, so tests can see the drop carries it.
  throw new Error(`Dropping files is not available in the harness (use the dialog port); it would be read with the model ${options?.modelId ?? '(active)'}.`);
};
api.readNumberDroppedFile = async () => {
  throw new Error('Dropping files is not available in the harness (use the dialog port).');
};

(window as unknown as { digitStudio: Api }).digitStudio = Object.freeze(api) as unknown as Api;
