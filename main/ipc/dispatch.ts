// Transport-agnostic dispatch of a call: the Electron IPC glue and the WebSocket test harness both
// hand every incoming call to the function made here, so both refuse the same things in the same
// words. A call is refused when its name is unknown or its arguments fail the contract's checks;
// otherwise the handler runs and its result (or a readable error) comes back in an envelope that
// crosses any transport unchanged.
import { CALL_NAMES, type CallError, type CallName, type Handlers } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError, messageOf } from '../util/errors';
import { validateCallArgs } from './validate-args';

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: CallError };
export type Dispatcher = (name: string, args: unknown[]) => Promise<DispatchResult>;

export interface DispatcherOptions {
  /** Where refusals and internal errors (with their stack) are written. */
  log?(line: string): void;
}

/** What each call does, in words, for messages about internal errors (main/i18n/en/calls.ts). */
const activity = (name: CallName): string => msg(`call.${name}`);

const KNOWN = new Set<string>(CALL_NAMES);
const MAX_MESSAGE = 500;

// File system errors that escaped a service unwrapped still deserve words a user understands.
const FS_CODES = ['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'ENOENT', 'EMFILE'] as const;
type FsCode = (typeof FS_CODES)[number];
const isFsCode = (code: string | undefined): code is FsCode => (FS_CODES as readonly (string | undefined)[]).includes(code);

function clip(message: string): string {
  const line = message.split('\n')[0]!.trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

/** The message the renderer sees for an error that is not a UserError. */
export function internalErrorMessage(name: CallName, err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (isFsCode(code)) {
    const where = typeof e?.path === 'string' ? `${e.path}: ` : '';
    return msg('call.failedFs', { activity: activity(name), where, words: msg(`call.fs.${code}`) });
  }
  const detail = clip(messageOf(err)) || msg('call.unknownError');
  return msg('call.failed', { activity: activity(name), detail });
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const log = options.log ?? ((line: string) => console.error(line));

  return async (name, args) => {
    if (typeof name !== 'string' || !KNOWN.has(name)) {
      log(`ipc: refused unknown call ${JSON.stringify(String(name)).slice(0, 100)}`);
      return { ok: false, error: { message: msg('call.unknown', { name: String(name).slice(0, 100) }) } };
    }
    const call = name as CallName;
    let checked: unknown[];
    try {
      checked = validateCallArgs(call, Array.isArray(args) ? args : (args as never));
    } catch (err) {
      log(`ipc: refused ${call}: ${messageOf(err)}`);
      return { ok: false, error: { message: clip(messageOf(err)) } };
    }
    const handler = handlers[call] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof handler !== 'function') {
      log(`ipc: no handler for ${call}`);
      return { ok: false, error: { message: msg('call.unavailable', { name: call }) } };
    }
    try {
      const value = await handler.apply(handlers, checked);
      return { ok: true, value };
    } catch (err) {
      if (err instanceof UserError) return { ok: false, error: { message: err.message || msg('call.notCompleted') } };
      log(`ipc: ${call} failed: ${err instanceof Error && err.stack ? err.stack : messageOf(err)}`);
      return { ok: false, error: { message: internalErrorMessage(call, err) } };
    }
  };
}
