// Files handed to the app by the system: double-clicked ("Open with Digit Studio"), passed on the
// command line, forwarded by a second instance, or picked from File ▸ Open Recent. Pictures are
// predicted and shown on the Predict page; anything else (CSV, zip, IDX, folders) is imported.
// Both go through the same dispatcher as renderer calls, so the same argument checks apply.
// No Electron import: the dispatcher and the event sink are passed in.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { msg } from '../i18n';
import type { Dispatcher } from '../ipc/dispatch';
import { MAX_PATH_LENGTH } from '../ipc/rules';

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp', 'tif', 'tiff'] as const;
export const DATA_EXTENSIONS = ['csv', 'zip'] as const;
const MAX_FILES = 1000;

export function isImagePath(p: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(p).slice(1).toLowerCase());
}

/**
 * The file arguments in a command line: everything after the executable (and, when run as
 * `electron .`, after the app folder), minus switches. Relative paths are resolved against `cwd`.
 */
export function fileArgsFromArgv(argv: readonly string[], options: { defaultApp: boolean; cwd: string }): string[] {
  const args = argv.slice(options.defaultApp ? 2 : 1);
  const out: string[] = [];
  for (const arg of args) {
    if (typeof arg !== 'string' || !arg || arg.startsWith('-') || arg.length > MAX_PATH_LENGTH || arg.includes('\0')) continue;
    // Some launchers pass file:// URLs rather than paths.
    let p = arg;
    if (/^file:\/\//i.test(arg)) {
      try {
        p = decodeURIComponent(new URL(arg).pathname);
        if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
      } catch {
        continue;
      }
    }
    out.push(path.resolve(options.cwd, p));
  }
  return [...new Set(out)].slice(0, MAX_FILES);
}

/** The `files` a second instance sent as additionalData, if that is what it is. */
export function filesFromAdditionalData(data: unknown): string[] | null {
  const files = (data as { files?: unknown } | null)?.files;
  if (!Array.isArray(files) || files.length > MAX_FILES) return null;
  if (!files.every((f) => typeof f === 'string' && path.isAbsolute(f) && f.length <= MAX_PATH_LENGTH && !f.includes('\0'))) return null;
  return files as string[];
}

export interface OpenFilesDeps {
  dispatch: Dispatcher;
  /** Shows a predicted picture in the renderer. */
  showPrediction(prediction: unknown): void;
  /** Tells the user something went wrong (the appError event). */
  reportError(message: string): void;
  /** Files that opened fine are remembered for File ▸ Open Recent. */
  remember(paths: string[]): void;
  log(line: string): void;
}

/** Opens `paths`: pictures are predicted one by one, the rest imported together as one task. */
export async function openFiles(paths: readonly string[], deps: OpenFilesDeps): Promise<void> {
  const existing: string[] = [];
  for (const p of paths) {
    try {
      await fs.stat(p);
      existing.push(p);
    } catch {
      deps.reportError(msg('app.fileNotFound', { file: p }));
    }
  }
  const images = existing.filter(isImagePath);
  const data = existing.filter((p) => !isImagePath(p));
  const opened: string[] = [];
  if (data.length) {
    const result = await deps.dispatch('importPaths', [{ paths: data }]);
    if (result.ok) opened.push(...data);
    else deps.reportError(result.error.message);
  }
  for (const image of images) {
    const result = await deps.dispatch('predictPath', [{ path: image }]);
    if (result.ok) {
      opened.push(image);
      deps.showPrediction(result.value);
    } else deps.reportError(result.error.message);
  }
  if (opened.length) deps.remember(opened);
  deps.log(`opened ${opened.length} of ${paths.length} file(s)`);
}
