// A small, strict argument parser for the CLI: unknown flags are errors (exit 2), never ignored.
import { UserError } from '../util/errors';

export interface FlagSpec {
  /**
   * 'boolean' flags take no value, or an explicit one as --flag=yes|no (true/false, 1/0);
   * 'string' and 'number' take the next argument; 'strings' every argument up to the next flag.
   */
  [name: string]: 'boolean' | 'string' | 'number' | 'strings';
}

export interface Parsed {
  flags: Record<string, string | number | boolean | string[] | undefined>;
  positional: string[];
}

const TRUE = new Set(['true', 'yes', '1']);
const FALSE = new Set(['false', 'no', '0']);

function booleanValue(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new UserError(`--${name} takes true or false (yes/no, 1/0), got "${value}"`);
}

/** Parses `argv` against `spec`. A bare `--` ends the options: everything after it is positional. */
export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const flags: Parsed['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[rawName];
    if (!kind) throw new UserError(`unknown option --${rawName}`);
    if (kind === 'boolean') {
      flags[rawName] = inline === undefined ? true : booleanValue(rawName, inline);
      continue;
    }
    // 'strings' flags take every following argument up to the next flag.
    if (kind === 'strings') {
      const values = (flags[rawName] as string[] | undefined) ?? [];
      if (inline !== undefined) values.push(inline);
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values.push(argv[++i]!);
      if (!values.length) throw new UserError(`--${rawName} needs a value`);
      flags[rawName] = values;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UserError(`--${rawName} needs a value`);
    if (kind === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UserError(`--${rawName} must be a number, got "${value}"`);
      flags[rawName] = n;
    } else {
      flags[rawName] = value;
    }
  }
  return { flags, positional };
}
