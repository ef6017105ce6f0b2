// What the Data page's gallery and sample dialog show of a dataset in the library
// (main/data/library.ts): a page of samples (filtered by digit), one sample in detail, and the
// original picture a sample was made from, re-read from its file or zip entry when it is still
// there. Apart from the library because none of it changes the library: it only reads a loaded dataset.
import path from 'node:path';
import type { SampleDetail, SampleImage, SamplePage } from '../../preload/contract';
import { msg } from '../i18n';
import { UserError } from '../util/errors';
import { NUM_CLASSES, imageAt, type Dataset } from './dataset';
import { previewDataUrl } from './image-decode';
import { openZip, readZipItem, InflateBudget } from './zip-read';

/** Most samples one page of the gallery may ask for. */
export const MAX_PAGE = 1000;

function encodePixels(p: Uint8Array): string {
  return Buffer.from(p.buffer, p.byteOffset, p.length).toString('base64');
}

function sampleOf(ds: Dataset, i: number): SampleImage {
  return { index: i, label: ds.labels[i]!, pixels: encodePixels(imageAt(ds, i)), source: ds.sources[i]! };
}

/** The samples from `offset` on (at most `limit`, at most MAX_PAGE) of `digit` (null: all; -1: unlabelled). */
export function samplePage(ds: Dataset, args: { digit: number | null; offset: number; limit: number }): SamplePage {
  const { digit } = args;
  if (digit !== null && !(Number.isInteger(digit) && digit >= -1 && digit < NUM_CLASSES)) throw new UserError(msg('dataset.digitNotDigit', { digit }));
  const offset = Math.max(0, Math.floor(args.offset) || 0);
  const limit = Math.min(MAX_PAGE, Math.max(0, Math.floor(args.limit) || 0));
  const samples: SampleImage[] = [];
  let total = 0;
  for (let i = 0; i < ds.count; i++) {
    if (digit !== null && ds.labels[i] !== digit) continue;
    if (total >= offset && samples.length < limit) samples.push(sampleOf(ds, i));
    total++;
  }
  return { total, samples };
}

/** Sample `index` of the dataset called `name`, with its original picture when that can still be read. */
export async function sampleDetail(ds: Dataset, index: number, name: string): Promise<SampleDetail> {
  if (!Number.isInteger(index) || index < 0 || index >= ds.count) {
    throw new UserError(msg('dataset.noSuchSample', { index, name, count: ds.count }));
  }
  const sample = sampleOf(ds, index);
  return { ...sample, original: await originalOf(sample.source) };
}

/** The original picture of a sample, re-read from its file or zip entry, when still there. */
async function originalOf(source: string): Promise<string | null> {
  try {
    const bang = source.search(/\.zip!/i);
    if (bang >= 0) {
      const zipPath = source.slice(0, bang + 4);
      const entryName = source.slice(bang + 5);
      const zip = await openZip(zipPath);
      try {
        const item = zip.items.find(entryName);
        if (!item) return null;
        const data = await readZipItem(zip, item, new InflateBudget(item.size + 1), source);
        return await previewDataUrl({ buffer: data, name: source });
      } finally {
        await zip.close();
      }
    }
    if (path.isAbsolute(source)) return await previewDataUrl({ path: source });
  } catch {
    // Moved, deleted or changed since the import: there's simply no original to show.
  }
  return null;
}
