// Small composable value checks for call arguments. Each rule either returns the value (typed) or
// throws an ArgumentError naming the field and what was expected, so a bad call is refused with a
// message a developer (or a curious user) can read. No Node or Electron imports: the WebSocket
// harness and the Electron IPC glue share these checks.
import { UserError } from '../util/errors';

/** A refused call argument. A UserError, so its message reaches the renderer as it is. */
export class ArgumentError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ArgumentError';
  }
}

/** Checks `value` found at `where` (e.g. "startTraining: epochs"); returns it typed or throws. */
export type Rule<T> = (value: unknown, where: string) => T;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  return typeof value;
}

function fail(where: string, expected: string, value: unknown): never {
  throw new ArgumentError(`${where} must be ${expected} (got ${describe(value)})`);
}

export const bool: Rule<boolean> = (value, where) => (typeof value === 'boolean' ? value : fail(where, 'true or false', value));

export function int(min: number, max: number): Rule<number> {
  return (value, where) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? value
      : fail(where, `a whole number from ${min} to ${max}`, value);
}

/** A finite number in [min, max], or (min, max] when minExclusive. */
export function num(min: number, max: number, options: { minExclusive?: boolean } = {}): Rule<number> {
  const low = options.minExclusive ? `more than ${min}` : `at least ${min}`;
  return (value, where) =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (options.minExclusive ? value > min : value >= min) &&
    value <= max
      ? value
      : fail(where, `a number ${low} and at most ${max}`, value);
}

export function oneOf<const T extends string>(choices: readonly T[]): Rule<T> {
  return (value, where) =>
    typeof value === 'string' && (choices as readonly string[]).includes(value)
      ? (value as T)
      : fail(where, `one of ${choices.map((c) => `"${c}"`).join(', ')}`, value);
}

// Control characters have no place in names and would garble logs and file listings.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Free text such as a run name: bounded length, no control characters. */
export function text(maxLength: number): Rule<string> {
  return (value, where) => {
    if (typeof value !== 'string' || value.length > maxLength) fail(where, `text of at most ${maxLength} characters`, value);
    if (CONTROL.test(value)) fail(where, 'text without control characters', value);
    return value;
  };
}

// Ids are made by the services (dataset, model, run, task, evaluation ids). They are used as
// folder names in the data dir, so only a plain, bounded set of characters is accepted: no path
// separators, no leading dot, no "..".
const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export const id: Rule<string> = (value, where) =>
  typeof value === 'string' && ID.test(value) && !value.includes('..')
    ? value
    : fail(where, 'an id (letters, digits, "-", "_", "." — up to 128)', value);

export const MAX_PATH_LENGTH = 4096;

/**
 * Windows network (UNC, \\host\share) and device (\\.\pipe\…, \\?\…) forms, and anything starting with
 * two slashes of either kind, which Windows reads the same way. Opening a UNC path makes Windows
 * connect over SMB (and send the user's credentials); device paths reach pipes and drives.
 * Refused on every platform.
 */
export function isNetworkOrDevicePath(value: string): boolean {
  return /^[\\/]{2}/.test(value);
}

/**
 * An absolute local file path (POSIX or Windows drive form). Only the preload's drop helpers send
 * these, with paths Electron read from real dropped files; the check still refuses relative paths,
 * network and device paths, NUL bytes and absurd lengths so nothing odd reaches the file system.
 */
export const absolutePath: Rule<string> = (value, where) => {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH_LENGTH) {
    fail(where, `an absolute file path of at most ${MAX_PATH_LENGTH} characters`, value);
  }
  if (value.includes('\0')) fail(where, 'a file path without NUL characters', value);
  if (isNetworkOrDevicePath(value)) fail(where, 'a path on this computer (not a network or device path)', value);
  const posix = value.startsWith('/');
  const windows = /^[A-Za-z]:[\\/]/.test(value);
  if (!posix && !windows) fail(where, 'an absolute file path', value);
  return value;
};

export function nullable<T>(rule: Rule<T>): Rule<T | null> {
  return (value, where) => (value === null ? null : rule(value, where));
}

/** For optional fields: missing or undefined passes as undefined. */
export function optional<T>(rule: Rule<T>): Rule<T | undefined> {
  return (value, where) => (value === undefined ? undefined : rule(value, where));
}

export function arrayOf<T>(rule: Rule<T>, minItems: number, maxItems: number, tooFew?: string): Rule<T[]> {
  return (value, where) => {
    if (!Array.isArray(value)) fail(where, 'a list', value);
    if (value.length < minItems && tooFew) throw new ArgumentError(`${where}: ${tooFew}`);
    if (value.length < minItems || value.length > maxItems) fail(where, `a list of ${minItems} to ${maxItems} items`, value);
    return value.map((item, i) => rule(item, `${where}[${i}]`));
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Number of bytes a well-formed base64 string decodes to, or -1 when it is not well formed. */
export function base64DecodedLength(value: string): number {
  if (value.length % 4 !== 0 || !BASE64.test(value)) return -1;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}

/** Strict base64 text whose decoded length is exactly `bytes` (checked before anything is decoded). */
export function base64OfLength(bytes: number, where: string, value: unknown): string {
  const maxChars = Math.ceil(bytes / 3) * 4;
  if (typeof value !== 'string' || value.length > maxChars) fail(where, `base64 of ${bytes} bytes`, value);
  if (base64DecodedLength(value) !== bytes) fail(where, `base64 of exactly ${bytes} bytes`, value);
  return value;
}

type Shape<T> = { [K in keyof Required<T>]: Rule<T[K]> };

/**
 * A plain object with exactly the fields of `shape`: unknown fields are refused (they would
 * otherwise pass silently to handlers that might one day read them). `check` runs afterwards for
 * rules spanning fields.
 */
export function object<T extends object>(shape: Shape<T>, check?: (value: T, where: string) => void): Rule<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value, where) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'an object', value);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) fail(where, 'a plain object', value);
    const extra = Object.keys(value).filter((k) => !Object.hasOwn(shape, k));
    if (extra.length) throw new ArgumentError(`${where}: unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}`);
    const out = {} as T;
    for (const key of keys) {
      const rule = shape[key] as Rule<unknown>;
      const field = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
      const checked = rule(field, `${where}: ${key}`);
      if (checked !== undefined) (out as Record<string, unknown>)[key] = checked;
    }
    check?.(out, where);
    return out;
  };
}
