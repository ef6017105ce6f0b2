// Dataset export: a dataset (or the user's handwriting set) as a Kaggle-style CSV
// (`label,pixel0..pixel783`, or `pixel0..pixel783` when it has no labels, like Kaggle's test.csv)
// or as a zip of 28×28 PNG pictures in folders 0–9. Both come back through the app's import with
// identical pixels and labels: the CSV holds the bytes themselves, and each PNG carries a marker
// (main/data/png-decode.ts) that tells the import it is already normalised. Written atomically.
import path from 'node:path';
import AdmZip from 'adm-zip';
import { IMAGE_PIXELS, imageAt, type Dataset } from '../data/dataset';
import { NORMALISED_SAMPLE_KEYWORD, NORMALISED_SAMPLE_VALUE } from '../data/png-decode';
import { openAtomicFile, writeFileAtomic } from '../util/atomic-file';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { encodeGrayPng } from './png-encode';

export type DataExportFormat = 'csv' | 'zip';
export const DATA_EXPORT_FORMATS: readonly DataExportFormat[] = ['csv', 'zip'];

export interface DataExportResult {
  format: DataExportFormat;
  path: string;
  bytes: number;
  /** Samples written. */
  count: number;
  /** Unlabelled samples left out (a zip's folders and a labelled CSV need a label). */
  leftOut: number;
}

const ROWS_PER_CHUNK = 2000;

export async function exportDataset(ds: Dataset, format: DataExportFormat, out: string): Promise<DataExportResult> {
  if (!DATA_EXPORT_FORMATS.includes(format)) throw new UserError(msg('export.unknownDataFormat', { format: String(format) }));
  if (ds.count === 0) throw new UserError(msg('export.emptyDataset'));
  const target = path.resolve(out);
  try {
    return format === 'csv' ? await writeCsv(ds, target) : await writeZip(ds, target);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(msg('export.couldNotWrite', { cause: describeFsError(err, target) }), target);
  }
}

function labelledCount(ds: Dataset): number {
  let n = 0;
  for (let i = 0; i < ds.count; i++) if (ds.labels[i]! >= 0) n++;
  return n;
}

async function writeCsv(ds: Dataset, target: string): Promise<DataExportResult> {
  const labelled = labelledCount(ds);
  // All unlabelled: Kaggle's test.csv form. Otherwise train.csv form, and unlabelled rows left out.
  const withLabels = labelled > 0;
  const pixelsHeader = Array.from({ length: IMAGE_PIXELS }, (_, i) => `pixel${i}`).join(',');
  const file = await openAtomicFile(target);
  let bytes = 0;
  let count = 0;
  try {
    const write = async (s: string) => {
      const b = Buffer.from(s, 'latin1');
      bytes += b.length;
      await file.handle.write(b);
    };
    await write(`${withLabels ? 'label,' : ''}${pixelsHeader}\n`);
    let lines: string[] = [];
    for (let i = 0; i < ds.count; i++) {
      const label = ds.labels[i]!;
      if (withLabels && label < 0) continue;
      const px = imageAt(ds, i);
      lines.push(`${withLabels ? `${label},` : ''}${px.join(',')}`);
      count++;
      if (lines.length === ROWS_PER_CHUNK) {
        await write(lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) await write(lines.join('\n') + '\n');
  } catch (err) {
    await file.discard();
    throw err;
  }
  await file.commit();
  return { format: 'csv', path: target, bytes, count, leftOut: ds.count - count };
}

async function writeZip(ds: Dataset, target: string): Promise<DataExportResult> {
  if (labelledCount(ds) === 0) throw new UserError(msg('export.noLabels'));
  const zip = new AdmZip();
  const marker = { [NORMALISED_SAMPLE_KEYWORD]: NORMALISED_SAMPLE_VALUE };
  const width = String(ds.count - 1).length;
  let count = 0;
  for (let i = 0; i < ds.count; i++) {
    const label = ds.labels[i]!;
    if (label < 0) continue;
    // Named by position, so the import (which reads entries in order) keeps the dataset's order within a digit.
    const name = `${label}/${String(i).padStart(width, '0')}.png`;
    zip.addFile(name, encodeGrayPng(imageAt(ds, i), 28, 28, marker));
    // Stored, not deflated again: a PNG is already compressed (measured: half the time, and smaller).
    zip.getEntry(name)!.header.method = 0;
    count++;
  }
  const data = zip.toBuffer();
  await writeFileAtomic(target, data);
  return { format: 'zip', path: target, bytes: data.length, count, leftOut: ds.count - count };
}
