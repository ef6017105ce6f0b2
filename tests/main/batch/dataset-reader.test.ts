// DatasetReader: a .dsb read block by block gives exactly what loading it whole gives, and a
// damaged file is caught (checksum) after its blocks were read, or at once when truncated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DatasetReader } from '../../../main/batch/dataset-reader';
import { loadDatasetFile } from '../../../main/data/dataset-file';
import { digitsFile, tempDir } from '../../helpers/ml-fixtures';

test('blocks, labels and sources match the whole file; check() passes', async () => {
  const { dir, cleanup } = await tempDir('ds-reader-');
  try {
    const file = await digitsFile(dir, 7);
    const whole = await loadDatasetFile(file);
    const reader = await DatasetReader.open(file);
    try {
      assert.equal(reader.count, 70);
      const got = new Uint8Array(70 * 784);
      for (let from = 0; from < 70; from += 16) {
        const n = Math.min(16, 70 - from);
        got.set(await reader.pixels(from, n), from * 784);
      }
      assert.deepEqual(got, whole.pixels);
      await reader.check();
      assert.deepEqual(await reader.labels(), whole.labels);
      assert.deepEqual(await reader.sources(), whole.sources);
    } finally {
      await reader.close();
    }
  } finally {
    await cleanup();
  }
});

test('a flipped pixel is found by check(); a truncated file is refused at open, naming it', async () => {
  const { dir, cleanup } = await tempDir('ds-reader-');
  try {
    const file = await digitsFile(dir, 3);
    const bytes = await fs.readFile(file);
    bytes[32 + 784 * 5 + 400] ^= 0xff;
    const damaged = path.join(dir, 'damaged.dsb');
    await fs.writeFile(damaged, bytes);
    const reader = await DatasetReader.open(damaged);
    try {
      await reader.pixels(0, 30);
      await assert.rejects(() => reader.check(), /damaged\.dsb: not a usable dataset file \(checksum mismatch/);
    } finally {
      await reader.close();
    }
    const cut = path.join(dir, 'cut.dsb');
    await fs.writeFile(cut, bytes.subarray(0, bytes.length - 100));
    await assert.rejects(() => DatasetReader.open(cut), /cut\.dsb: not a usable dataset file \(file is truncated/);
  } finally {
    await cleanup();
  }
});
