// `builtin:train` and `builtin:test` where the CLI takes data paths (train, evaluate): the app's
// built-in MNIST sets, read where the app ships them, with no files of the user's needed. The
// prefix always means built-in data; a file really named so is given as ./builtin:train.
import { UserError } from '../util/errors';
import { builtinFile } from '../data/builtin/load';
import { BUILTIN_SETS, type BuiltinSet } from '../data/builtin/sets';

export const BUILTIN_DATA_PREFIX = 'builtin:';

export function isBuiltinRef(arg: string): boolean {
  return arg.startsWith(BUILTIN_DATA_PREFIX);
}

/** What `builtin:<name>` names, or a UserError listing what there is. */
export function builtinSetOfRef(arg: string): BuiltinSet {
  const key = arg.slice(BUILTIN_DATA_PREFIX.length);
  const set = BUILTIN_SETS.find((s) => s.key === key);
  if (!set) {
    const known = BUILTIN_SETS.map((s) => `${BUILTIN_DATA_PREFIX}${s.key} (${s.name})`).join(' or ');
    throw new UserError(`unknown built-in data "${arg}": use ${known}`);
  }
  return set;
}

/** The dataset file of a built-in set (made first when running from sources). */
export async function builtinRefFile(arg: string): Promise<{ set: BuiltinSet; file: string }> {
  const set = builtinSetOfRef(arg);
  const file = await builtinFile(set.key);
  if (!file) throw new UserError(`${arg}: the built-in ${set.name} is missing from this installation; reinstall Digit Studio`);
  return { set, file };
}
