// The first half of an import (main/data/import.ts): recognising what each given path is (by
// content first, name second) and planning what will be read from it, so the total is known before
// anything is read. A path that can't be used at all becomes a failure naming it, never an end to
// the others; skips found on the way (refused zip entries, folders not named for a digit) are kept.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SourceKind } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError, describeFsError } from '../util/errors';
import { DatasetBuilder } from './dataset-builder';
import { estimateCsvRows } from './csv-parse';
import { labelFromEntryPath } from './digit-name';
import { findIdxFiles, idxKindOf, isGzip, isIdx, labelsNameFor } from './idx-parse';
import { sniffImageFormat } from './image-decode';
import { hasDigitFolder, listOf, planFolder, planLooseFolder, planZip, readBounded, type JobList, type PictureJob } from './picture-jobs';
import { isZip, type ZipLimits } from './zip-read';

/** One unit of an import, read in the order planned. */
export type Planned =
  | { kind: 'csv'; file: string; rows: number }
  | { kind: 'idx'; images: string; labels: string | null }
  | { kind: 'pictures'; source: SourceKind; file: string; jobs: JobList };

export interface ImportPlan {
  units: Planned[];
  /** Paths that can't be used at all (each UserError names its path). */
  failures: UserError[];
  /** Collects the skips found while planning. */
  preSkips: DatasetBuilder;
  /** Samples expected, to size the dataset up front (a CSV's is an estimate). */
  expected: number;
}

type Sniffed = 'zip' | 'idx' | 'gzip' | 'image' | 'text' | 'folder' | 'unknown';

async function sniffPath(p: string): Promise<Sniffed> {
  let st;
  try {
    st = await fs.stat(p);
  } catch (err) {
    throw new UserError(describeFsError(err, p), p);
  }
  if (st.isDirectory()) return 'folder';
  if (!st.isFile()) throw new UserError(msg('import.notRegular', { file: p }), p);
  if (st.size === 0) throw new UserError(msg('import.emptyFile', { file: p }), p);
  const head = Buffer.alloc(64);
  let n = 0;
  try {
    const h = await fs.open(p, 'r');
    try {
      n = (await h.read(head, 0, 64, 0)).bytesRead;
    } finally {
      await h.close();
    }
  } catch (err) {
    throw new UserError(describeFsError(err, p), p);
  }
  const b = head.subarray(0, n);
  if (isZip(b)) return 'zip';
  if (isIdx(b)) return 'idx';
  if (isGzip(b)) return 'gzip';
  if (sniffImageFormat(b)) return 'image';
  // Text: printable ASCII (CSV numbers, commas, header names), maybe a UTF-8 BOM.
  const text = b.every((c, i) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || (i < 3 && c >= 0xbb));
  return text ? 'text' : 'unknown';
}

/** Finds the labels for each IDX images file: among the given paths, else beside it on disk. */
async function pairIdx(idxFiles: string[]): Promise<{ images: string; labels: string | null }[]> {
  const kinds = new Map<string, 'images' | 'labels'>();
  for (const f of idxFiles) kinds.set(f, await idxKindOf(f));
  const images = idxFiles.filter((f) => kinds.get(f) === 'images');
  const labels = idxFiles.filter((f) => kinds.get(f) === 'labels');
  const used = new Set<string>();
  const out: { images: string; labels: string | null }[] = [];
  for (const img of images) {
    const wanted = labelsNameFor(img);
    let match = labels.find((l) => !used.has(l) && wanted && path.basename(l).replace(/\.gz$/i, '') === path.basename(wanted).replace(/\.gz$/i, ''));
    if (!match && images.length === 1 && labels.length === 1) match = labels[0];
    if (!match && wanted) {
      for (const candidate of [wanted, wanted.replace(/\.gz$/i, ''), wanted.endsWith('.gz') ? wanted : wanted + '.gz']) {
        if (candidate !== img && (await fs.stat(candidate).then((s) => s.isFile(), () => false))) {
          match = candidate;
          break;
        }
      }
    }
    if (match) used.add(match);
    out.push({ images: img, labels: match ?? null });
  }
  for (const l of labels) {
    if (!used.has(l)) throw new UserError(msg('import.labelsWithoutImages', { file: l }), l);
  }
  return out;
}

/**
 * Plans the import of `paths`: recognises each path, opens archives (added to `openedZips`, which
 * the caller closes whatever happens) and walks folders. For prediction (main/batch/), pictures
 * need no digit folders (they get label -1).
 */
export async function planImport(
  paths: string[],
  options: { limits: ZipLimits; forPrediction: boolean; openedZips: { close(): Promise<void> }[] },
): Promise<ImportPlan> {
  const { limits, forPrediction, openedZips } = options;
  const plan: Planned[] = [];
  const failures: UserError[] = [];
  const idxFiles: string[] = [];
  const loosePictures: PictureJob[] = [];
  let expected = 0;
  const preSkips = new DatasetBuilder(16); // collects skips found while planning
  for (const raw of paths) {
    const p = path.resolve(raw);
    try {
      const kind = await sniffPath(p);
      // A folder holding IDX files (MNIST as downloaded, torchvision's MNIST/raw) is read as those
      // files; any other folder is one of pictures.
      const idxSkips: { file: string; reason: string }[] = [];
      const idxInFolder = kind === 'folder' ? await findIdxFiles(p, idxSkips) : [];
      for (const s of idxSkips) preSkips.skip(s.file, s.reason);
      if (idxInFolder.length) {
        idxFiles.push(...idxInFolder);
      } else if (kind === 'folder') {
        const jobs = forPrediction && !(await hasDigitFolder(p)) ? await planLooseFolder(p, preSkips) : await planFolder(p, preSkips);
        plan.push({ kind: 'pictures', source: 'folder', file: p, jobs });
        expected += jobs.length;
      } else if (kind === 'zip') {
        const jobs = await planZip(p, preSkips, limits, openedZips, forPrediction);
        plan.push({ kind: 'pictures', source: 'zip', file: p, jobs });
        expected += jobs.length;
      } else if (kind === 'idx' || kind === 'gzip') {
        idxFiles.push(p);
      } else if (kind === 'image') {
        let label = labelFromEntryPath(`${path.basename(path.dirname(p))}/${path.basename(p)}`);
        if (typeof label === 'string' && forPrediction) label = -1;
        if (typeof label === 'string') throw new UserError(msg('import.pictureNeedsLabel', { file: p }), p);
        loosePictures.push({ where: p, label, read: () => readBounded(p) });
      } else if (kind === 'text') {
        const rows = await estimateCsvRows(p);
        plan.push({ kind: 'csv', file: p, rows });
        expected += rows;
      } else {
        throw new UserError(msg('import.unknownFormat', { file: p }), p);
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failures.push(err);
    }
  }
  if (idxFiles.length) {
    try {
      for (const pair of await pairIdx(idxFiles)) plan.push({ kind: 'idx', ...pair });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      failures.push(err);
    }
  }
  if (loosePictures.length) plan.push({ kind: 'pictures', source: 'folder', file: path.dirname(path.resolve(paths[0]!)), jobs: listOf(loosePictures) });
  return { units: plan, failures, preSkips, expected: expected + loosePictures.length };
}
