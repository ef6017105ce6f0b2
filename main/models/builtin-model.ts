// The base model that ships with the app: trained on the 60,000 official MNIST training digits by
// scripts/make-base-model.ts, committed in resources/base-model/ and shipped as it is (unpacked
// beside the app's archive, electron-builder.yml). The model library lists it as a read-only
// entry with the id "builtin", active until the user picks another; the CLI takes `builtin` wherever
// it takes a model folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../i18n';
import { UserError } from '../util/errors';

export const BUILTIN_MODEL_ID = 'builtin';
export const BASE_MODEL_NAME = 'Base model (MNIST 60k)';

/** The committed folder (the source of the build's copy), from the sources. */
export function baseModelSourceDir(): string {
  return path.join(__dirname, '..', '..', 'resources', 'base-model');
}

/**
 * Where the shipped base model is: beside the bundles (out/main, out/cli → out/base-model), else
 * the committed folder (running from sources), else null (neither exists).
 */
export function builtinModelDir(here: string = __dirname): string | null {
  // From main/models (sources) or out/main, out/cli (bundles): the project's resources/base-model.
  const dir = path.join(here, '..', '..', 'resources', 'base-model');
  // Packaged, it is unpacked beside app.asar (electron-builder.yml asarUnpack): plain files that the
  // ML process reads like any model folder.
  const unpacked = dir.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
  for (const d of [unpacked, dir]) if (existsSync(path.join(d, 'model.json'))) return d;
  return null;
}

/** A model folder argument as the CLI takes it: `builtin` is the shipped base model. */
export function resolveModelArg(arg: string): string {
  if (arg === BUILTIN_MODEL_ID) {
    const dir = builtinModelDir();
    if (!dir) throw new UserError(msg('model.builtinMissing'));
    return dir;
  }
  return path.resolve(arg);
}
