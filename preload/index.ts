// The bridge between the sandboxed renderer and main: `window.digitStudio`, typed as the contract's
// `Api`. One method per call, `on()` for events (returning its unsubscribe function), and two drop
// helpers that read real file paths from dropped File objects. ipcRenderer itself is never exposed,
// and the renderer can't name a file path: the preload-only calls are reached only through the drop
// helpers, with paths Electron itself read from files the user dropped.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  CALL_NAMES,
  EVENT_NAMES,
  PRELOAD_ONLY_CALLS,
  callChannel,
  eventChannel,
  type Api,
  type CallError,
  type CallName,
  type EventName,
  type Events,
  type ImagePrediction,
  type NumberReading,
  type Task,
  MAX_DROPPED_PATHS,
} from './contract';

/** The contract's Api: the preload-only calls are already left out of it, behind the drop helpers. */
export type ExposedApi = Api;

type Envelope = { ok: true; value: unknown } | { ok: false; error: CallError };


/** Sends a call to main and unwraps the answer; a refusal or failure becomes an Error with its message. */
async function invoke(name: CallName, args: unknown[]): Promise<unknown> {
  let answer: Envelope | undefined;
  try {
    answer = (await ipcRenderer.invoke(callChannel(name), ...args)) as Envelope | undefined;
  } catch (err) {
    // Only when main could not take the call at all (it is starting, or failed to start).
    const detail = String((err as Error)?.message ?? err).replace(/^Error invoking remote method '[^']*': (Error: )?/, '');
    throw new Error(`Digit Studio could not run "${name}": ${detail}`);
  }
  if (answer && answer.ok === true) return answer.value;
  const message = answer && answer.ok === false && typeof answer.error?.message === 'string' ? answer.error.message : `No answer from Digit Studio for "${name}".`;
  throw new Error(message);
}

/** The path of a File the user dropped; a File made by the page has none and is refused. */
function droppedPath(file: unknown): string {
  // No instanceof check: Files crossing the context bridge come from the page's world. Electron
  // itself rejects anything that is not a real File, and returns '' for one the page made.
  if (typeof file !== 'object' || file === null) throw new Error('Only files dropped from your computer can be opened.');
  let path = '';
  try {
    path = webUtils.getPathForFile(file as File);
  } catch {
    path = '';
  }
  const name = typeof (file as { name?: unknown }).name === 'string' ? (file as { name: string }).name : 'This file';
  if (typeof path !== 'string' || !path) throw new Error(`"${name}" was not dropped from your computer, so it can't be opened.`);
  return path;
}

const EVENTS = new Set<string>(EVENT_NAMES);

function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  if (!EVENTS.has(event)) throw new Error(`Unknown event "${String(event)}".`);
  if (typeof listener !== 'function') throw new Error('on(): the listener must be a function.');
  const channel = eventChannel(event);
  // The renderer gets the payload only, never the IpcRendererEvent (which carries the sender).
  const wrapped = (_event: unknown, payload: Events[E]) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const hidden = new Set<CallName>(PRELOAD_ONLY_CALLS);
const calls = Object.fromEntries(
  CALL_NAMES.filter((name) => !hidden.has(name)).map((name) => [name, (...args: unknown[]) => invoke(name, args)]),
);

const api = {
  ...calls,
  on,
  async importDroppedFiles(files: File[]): Promise<Task> {
    if (!Array.isArray(files) || files.length === 0) throw new Error('No files were dropped.');
    if (files.length > MAX_DROPPED_PATHS) {
      throw new Error(`Too many items at once (${files.length.toLocaleString('en-US')}); drop at most ${MAX_DROPPED_PATHS.toLocaleString('en-US')}, or their folder.`);
    }
    const paths = files.map(droppedPath);
    return (await invoke('importPaths', [{ paths }])) as Task;
  },
  async predictDroppedFile(file: File, options?: { modelId?: string }): Promise<ImagePrediction> {
    // The model chosen on the page, as "Open image…" passes it (main checks the id).
    const modelId = options?.modelId;
    const args = modelId === undefined ? { path: droppedPath(file) } : { path: droppedPath(file), modelId };
    return (await invoke('predictPath', [args])) as ImagePrediction;
  },
  async readNumberDroppedFile(file: File, options?: { modelId?: string }): Promise<NumberReading> {
    const modelId = options?.modelId;
    const args = modelId === undefined ? { path: droppedPath(file) } : { path: droppedPath(file), modelId };
    return (await invoke('readNumberPath', [args])) as NumberReading;
  },
} as unknown as ExposedApi;

contextBridge.exposeInMainWorld('digitStudio', api);
