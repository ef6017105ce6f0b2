// A small, strict argument parser for the CLI: unknown flags are errors (exit 2), never ignored.
import { UserError } from '../util/errors';

export interface FlagSpec {
  /** 'boolean' flags take no value; 'string' and 'number' take the next argument. */
  [name: string]: 'boolean' | 'string' | 'number' | 'strings';
}

export interface Parsed {
  flags: Record<string, string | number | boolean | string[] | undefined>;
  positional: string[];
}

export function parseArgs(argv: string[], spec: FlagSpec): Parsed {
  const flags: Parsed['flags'] = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const [rawName, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[rawName];
    if (!kind) throw new UserError(`unknown option --${rawName}`);
    if (kind === 'boolean') {
      flags[rawName] = true;
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
