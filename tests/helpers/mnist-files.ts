// Fixture generators for the MNIST file formats, from real digits: Kaggle CSV text, IDX bytes
// (optionally gzipped), and temp folders that clean up after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { IMAGE_PIXELS, IMAGE_SIDE, imageAt, type Dataset } from '../../main/data/dataset';

export const CSV_HEADER_LABELLED = 'label,' + Array.from({ length: IMAGE_PIXELS }, (_, i) => `pixel${i}`).join(',');
export const CSV_HEADER_UNLABELLED = Array.from({ length: IMAGE_PIXELS }, (_, i) => `pixel${i}`).join(',');

/** Kaggle train.csv (labelled) or test.csv (unlabelled) text for the dataset's samples. */
export function kaggleCsv(ds: Dataset, labelled = true, eol = '\n'): string {
  const lines = [labelled ? CSV_HEADER_LABELLED : CSV_HEADER_UNLABELLED];
  for (let i = 0; i < ds.count; i++) {
    const px = Array.from(imageAt(ds, i)).join(',');
    lines.push(labelled ? `${ds.labels[i]},${px}` : px);
  }
  return lines.join(eol) + eol;
}

export function idxImages(ds: Dataset, gzip = false): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(0x00000803, 0);
  head.writeUInt32BE(ds.count, 4);
  head.writeUInt32BE(IMAGE_SIDE, 8);
  head.writeUInt32BE(IMAGE_SIDE, 12);
  const buf = Buffer.concat([head, Buffer.from(ds.pixels.subarray(0, ds.count * IMAGE_PIXELS))]);
  return gzip ? gzipSync(buf) : buf;
}

export function idxLabels(ds: Dataset, gzip = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(0x00000801, 0);
  head.writeUInt32BE(ds.count, 4);
  const buf = Buffer.concat([head, Buffer.from(Uint8Array.from(ds.labels.subarray(0, ds.count), (l) => l & 0xff))]);
  return gzip ? gzipSync(buf) : buf;
}

/** A fresh temp folder; call the returned cleanup in `after`. */
export function tempDir(prefix = 'digit-studio-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
