// Test mode for the end-to-end suite driving the real app (tests/harness/driver.ts, with
// DIGIT_STUDIO_E2E=electron): native dialogs answered from a JSON file, and a userData folder of
// the test's own. Honoured only when DIGIT_STUDIO_TEST=1 is set explicitly AND the app is not
// packaged, so an installed app can never be steered by environment variables.
//
//   DIGIT_STUDIO_TEST_DIALOGS=<file.json>   answers, in order: [["/abs/a.zip"], null, ...]
//                                           (null = the user canceled); re-read at every dialog, so
//                                           the test can append answers while the app runs
//   DIGIT_STUDIO_TEST_USER_DATA=<folder>    replaces app.getPath('userData') (settings, data, logs)
//
// No 'electron' import here, so the rules are unit-tested in plain Node.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DialogPort } from '../services/ports';

export interface TestMode {
  dialogsFile: string | null;
  userData: string | null;
}

/** The test settings to honour, or null (the normal app) unless explicitly in test mode and unpackaged. */
export function electronTestMode(env: NodeJS.ProcessEnv, isPackaged: boolean): TestMode | null {
  if (isPackaged || env.DIGIT_STUDIO_TEST !== '1') return null;
  const absolute = (name: string): string | null => {
    const value = env[name];
    if (!value) return null;
    if (!path.isAbsolute(value)) throw new Error(`${name} must be an absolute path (got "${value}")`);
    return value;
  };
  const mode = { dialogsFile: absolute('DIGIT_STUDIO_TEST_DIALOGS'), userData: absolute('DIGIT_STUDIO_TEST_USER_DATA') };
  return mode.dialogsFile || mode.userData ? mode : null;
}

export type DialogAnswer = string[] | null;

/** Parses the answers file: an array of null or non-empty arrays of absolute paths. */
export function parseDialogAnswers(text: string, file: string): DialogAnswer[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value)) throw new Error(`${file}: expected an array of answers`);
  return value.map((answer, i) => {
    if (answer === null) return null;
    if (!Array.isArray(answer) || answer.length === 0) throw new Error(`${file}: answer ${i + 1} must be null or a non-empty list of paths`);
    return answer.map((p, j) => {
      if (typeof p !== 'string' || !path.isAbsolute(p)) throw new Error(`${file}: answer ${i + 1}, path ${j + 1} must be an absolute path`);
      return p;
    });
  });
}

/**
 * A DialogPort that answers each openPaths() with the next answer in `file`, like the harness's
 * QueuedDialogs. The file is re-read every time; answers already given are not given again.
 */
export function fileDialogPort(file: string): DialogPort & { readonly given: number } {
  let given = 0;
  return {
    get given() {
      return given;
    },
    async openPaths(options) {
      const answers = parseDialogAnswers(readFileSync(file, 'utf8'), file);
      if (given >= answers.length) {
        throw new Error(`test mode: a dialog "${options.title}" opened, but ${file} holds no answer ${given + 1}`);
      }
      return answers[given++]!;
    },
    // A save dialog takes the next answer too: its first path, or null for "canceled".
    async savePath(options) {
      const answers = parseDialogAnswers(readFileSync(file, 'utf8'), file);
      if (given >= answers.length) {
        throw new Error(`test mode: a save dialog "${options.title}" opened, but ${file} holds no answer ${given + 1}`);
      }
      return answers[given++]?.[0] ?? null;
    },
  };
}
