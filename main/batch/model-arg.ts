// What `--model` names: a model folder, or `builtin` for the model that ships with the app. The
// built-in model comes with issue "recog"'s work; until it is on main this is the one place to
// resolve it, and it says so plainly.
import path from 'node:path';
import { UserError } from '../util/errors';

export const BUILTIN_MODEL = 'builtin';

export function resolveModelArg(value: string): string {
  if (value === BUILTIN_MODEL) {
    throw new UserError('this build has no built-in model yet: give --model <modelDir> (a folder made by `digit-studio train`)');
  }
  return path.resolve(value);
}
