// Dataset export: CSV and a zip of PNG folders both come back through the app's import with
// identical pixels and labels (real MNIST digits plus drawn-style samples); unlabelled samples are
// handled as documented; a foreign 28×28 PNG is still normalised on import (only our marked ones
// pass through).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { exportDataset } from '../../../main/export/dataset-export';
import { encodeGrayPng } from '../../../main/export/png-encode';
import { importPaths } from '../../../main/data/import';
import { loadStarterDataset } from '../../../main/data/starter';
import { combineDatasets } from '../../../main/data/dataset-ops';
import { IMAGE_PIXELS, type Dataset } from '../../../main/data/dataset';
import { UserError } from '../../../main/util/errors';
import { tempDir } from '../../helpers/ml-fixtures';

/** Samples as "label:pixels" keys, sorted: equal iff the same samples (with multiplicity). */
function canonical(ds: Dataset): string[] {
  const keys: string[] = [];
  for (let i = 0; i < ds.count; i++) keys.push(`${ds.labels[i]}:${Buffer.from(ds.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)).toString('base64')}`);
  return keys.sort();
}

test('CSV export round-trips through the import: same pixels, labels and order', async () => {
  const { dir, cleanup } = await tempDir('export-data-');
  try {
    const ds = await loadStarterDataset(30);
    const out = path.join(dir, 'digits.csv');
    const r = await exportDataset(ds, 'csv', out);
    assert.equal(r.count, 300);
    assert.equal(r.leftOut, 0);
    assert.equal((await fs.stat(out)).size, r.bytes);
    const head = (await fs.readFile(out, 'utf8')).split('\n', 2);
    assert.equal(head[0]!.split(',').length, 785);
    assert.ok(head[0]!.startsWith('label,pixel0,pixel1,') && head[0]!.endsWith(',pixel783'));
    const back = (await importPaths([out])).dataset;
    assert.equal(back.count, ds.count);
    assert.deepEqual(Buffer.from(back.pixels), Buffer.from(ds.pixels.subarray(0, ds.count * IMAGE_PIXELS)));
    assert.deepEqual(Array.from(back.labels), Array.from(ds.labels));
  } finally {
    await cleanup();
  }
});

test('zip export: PNG folders 0–9 that the import reads back with identical pixels and labels', async () => {
  const { dir, cleanup } = await tempDir('export-data-');
  try {
    const ds = await loadStarterDataset(20);
    const out = path.join(dir, 'digits.zip');
    const r = await exportDataset(ds, 'zip', out);
    assert.equal(r.count, 200);
    const names = new AdmZip(out).getEntries().map((e) => e.entryName);
    assert.equal(names.length, 200);
    assert.ok(names.every((n) => /^[0-9]\/\d+\.png$/.test(n)), names[0]);
    assert.equal(names.filter((n) => n.startsWith('7/')).length, 20);
    const back = (await importPaths([out])).dataset;
    assert.equal(back.count, ds.count);
    assert.deepEqual(canonical(back), canonical(ds));
  } finally {
    await cleanup();
  }
});

test('unlabelled samples: CSV without labels when none has one; left out (and counted) otherwise; a zip needs labels', async () => {
  const { dir, cleanup } = await tempDir('export-data-');
  try {
    const ds = await loadStarterDataset(3);
    const unlabelled: Dataset = { ...ds, labels: new Int8Array(ds.count).fill(-1) };
    const csv = path.join(dir, 'test.csv');
    const r = await exportDataset(unlabelled, 'csv', csv);
    assert.equal(r.count, 30);
    assert.ok((await fs.readFile(csv, 'utf8')).startsWith('pixel0,'));
    const back = await importPaths([csv]);
    assert.equal(back.labelled, false);
    assert.deepEqual(Buffer.from(back.dataset.pixels), Buffer.from(ds.pixels.subarray(0, 30 * IMAGE_PIXELS)));

    const mixed = combineDatasets([ds, unlabelled]);
    const r2 = await exportDataset(mixed, 'zip', path.join(dir, 'mixed.zip'));
    assert.deepEqual([r2.count, r2.leftOut], [30, 30]);
    const r3 = await exportDataset(mixed, 'csv', path.join(dir, 'mixed.csv'));
    assert.deepEqual([r3.count, r3.leftOut], [30, 30]);
    await assert.rejects(exportDataset(unlabelled, 'zip', path.join(dir, 'u.zip')), (e: Error) => e instanceof UserError && /no labels/.test(e.message));
    await assert.rejects(exportDataset({ ...ds, count: 0 }, 'csv', path.join(dir, 'e.csv')), UserError);
    // A folder as the target: a clear error, nothing replaced.
    await assert.rejects(exportDataset(ds, 'csv', dir), UserError);
  } finally {
    await cleanup();
  }
});

test('only our marked PNGs skip normalisation: the same pixels without the marker are normalised as any picture', async () => {
  const { dir, cleanup } = await tempDir('export-data-');
  try {
    const ds = await loadStarterDataset(1);
    const px = ds.pixels.subarray(3 * IMAGE_PIXELS, 4 * IMAGE_PIXELS);
    await fs.mkdir(path.join(dir, 'plain', '3'), { recursive: true });
    await fs.writeFile(path.join(dir, 'plain', '3', 'a.png'), encodeGrayPng(px, 28, 28));
    const back = (await importPaths([path.join(dir, 'plain')])).dataset;
    assert.equal(back.count, 1);
    assert.notDeepEqual(Buffer.from(back.pixels), Buffer.from(px));
  } finally {
    await cleanup();
  }
});
