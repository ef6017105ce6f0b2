// Exports a model folder to ONNX, TensorFlow.js (a folder, or a zip when the target ends in .zip) or
// a standalone web page, written atomically: the target is either left as it was or replaced by the
// complete export. Used by the app's "Export…" (services) and by `digit-studio export` (CLI).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { readModelFolder } from './model-reader';
import { modelToOnnx } from './onnx/export-onnx';
import { tfjsFiles, zipFiles } from './tfjs-export';
import { webPageHtml } from './web/web-page';

export type ModelExportFormat = 'onnx' | 'tfjs' | 'web';
export const MODEL_EXPORT_FORMATS: readonly ModelExportFormat[] = ['onnx', 'tfjs', 'web'];

export interface ExportResult {
  format: ModelExportFormat;
  /** The file or folder written. */
  path: string;
  /** Total bytes written. */
  bytes: number;
}

/** The file name extension each format is saved with ('' for a TF.js folder). */
export const MODEL_EXPORT_EXTENSIONS: Record<ModelExportFormat, string> = { onnx: 'onnx', tfjs: 'zip', web: 'html' };

export async function exportModel(modelDir: string, format: ModelExportFormat, out: string, appVersion: string): Promise<ExportResult> {
  if (!MODEL_EXPORT_FORMATS.includes(format)) throw new UserError(msg('export.unknownModelFormat', { format: String(format) }));
  const target = path.resolve(out);
  const files = await readModelFolder(modelDir);
  if (format === 'onnx') {
    const bytes = modelToOnnx(files, appVersion);
    await writeTargetFile(target, bytes);
    return { format, path: target, bytes: bytes.length };
  }
  if (format === 'web') {
    const html = Buffer.from(await webPageHtml(files), 'utf8');
    await writeTargetFile(target, html);
    return { format, path: target, bytes: html.length };
  }
  const list = tfjsFiles(files, appVersion);
  if (target.toLowerCase().endsWith('.zip')) {
    const zip = zipFiles(list);
    await writeTargetFile(target, zip);
    return { format, path: target, bytes: zip.length };
  }
  await checkFolderTarget(target);
  try {
    await writeDirAtomic(target, async (dir) => {
      for (const f of list) await fs.writeFile(path.join(dir, f.name), f.data);
    });
  } catch (err) {
    throw new UserError(msg('export.couldNotWrite', { cause: describeFsError(err, target) }), target);
  }
  return { format, path: target, bytes: list.reduce((a, f) => a + f.data.length, 0) };
}

async function writeTargetFile(target: string, data: Uint8Array): Promise<void> {
  const st = await fs.stat(target).catch(() => null);
  if (st?.isDirectory()) throw new UserError(msg('export.targetIsFolder', { file: target }), target);
  try {
    await writeFileAtomic(target, data);
  } catch (err) {
    throw new UserError(msg('export.couldNotWrite', { cause: describeFsError(err, target) }), target);
  }
}

/**
 * A TF.js folder replaces its target whole, so the target must be new, empty, or an earlier export
 * (it has a model.json): never a folder of the user's own files.
 */
async function checkFolderTarget(target: string): Promise<void> {
  const st = await fs.stat(target).catch(() => null);
  if (!st) return;
  if (!st.isDirectory()) throw new UserError(msg('export.targetNotFolder', { file: target }), target);
  const names = await fs.readdir(target);
  if (names.length && !names.includes('model.json')) {
    throw new UserError(msg('export.folderNotEmpty', { file: target }), target);
  }
}
