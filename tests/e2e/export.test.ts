// Export and model import end to end, through the UI: Train → Models → "Import model…" takes a
// TensorFlow.js zip; "Export…" writes ONNX, TF.js and a web page where the save dialog says (the web
// page then reads a drawing in Chromium); Data → "Export…" writes the dataset as CSV and as a zip
// that import back with the same samples.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { screenshotPath } from '../harness/browser';
import { exportModel } from '../../main/export/export-model';
import { importPaths } from '../../main/data/import';
import { saveArchModel } from '../helpers/export-fixtures';

let app: E2eApp;
let fixtureDir: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
});

test('import a TF.js model, then export it as ONNX, TF.js and a working web page', async () => {
  const { page } = app;
  const zip = path.join(fixtureDir, 'their-model.zip');
  await exportModel(await saveArchModel(fixtureDir, 'seed', 'shared-seed'), 'tfjs', zip, 'test');
  await app.open('train');
  const library = page.getByTestId('model-library');
  await library.waitFor();

  app.dialogs.enqueue([zip]);
  await library.getByRole('button', { name: 'Import model…' }).click();
  const row = library.getByTestId('model-row').filter({ hasText: 'shared-seed (imported)' });
  await row.waitFor({ timeout: 60_000 });

  const out = path.join(fixtureDir, 'exports');
  for (const [label, name] of [['ONNX…', 'm.onnx'], ['TensorFlow.js…', 'm.zip'], ['Web page…', 'm.html']] as const) {
    app.dialogs.enqueue([path.join(out, name)]);
    await row.getByRole('button', { name: /^Export/ }).click();
    await row.getByRole('button', { name: label }).click();
    await page.getByText(new RegExp(`Exported shared-seed \\(imported\\) to .*${name.replace('.', '\\.')}`)).waitFor({ timeout: 60_000 });
    assert.ok((await fs.stat(path.join(out, name))).size > 1000, name);
  }
  await page.screenshot({ path: screenshotPath('export-model-library') });

  // A model that reads deskewed digits keeps its record through a TF.js export and import, and its
  // card says so; the plain one's doesn't (issue 11).
  const slantedDir = await saveArchModel(fixtureDir, 'seed', 'slanted-seed');
  const meta = JSON.parse(await fs.readFile(path.join(slantedDir, 'metadata.json'), 'utf8'));
  await fs.writeFile(path.join(slantedDir, 'metadata.json'), JSON.stringify({ ...meta, input: { deskew: true } }));
  const slantedZip = path.join(fixtureDir, 'slanted-model.zip');
  await exportModel(slantedDir, 'tfjs', slantedZip, 'test');
  app.dialogs.enqueue([slantedZip]);
  await library.getByRole('button', { name: 'Import model…' }).click();
  const slantedRow = library.getByTestId('model-row').filter({ hasText: 'slanted-seed (imported)' });
  await slantedRow.waitFor({ timeout: 60_000 });
  assert.equal(await slantedRow.getByTestId('model-input-deskewed').innerText(), 'Input: deskewed');
  assert.equal(await row.getByTestId('model-input-deskewed').count(), 0);

  // The exported page works on its own: draw a stroke, get a digit.
  const other = await page.context().newPage();
  await other.goto(pathToFileURL(path.join(out, 'm.html')).href);
  const box = (await other.locator('#pad').boundingBox())!;
  await other.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await other.mouse.down();
  await other.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.8, { steps: 10 });
  await other.mouse.up();
  await other.waitForFunction(() => document.body.dataset.state === 'predicted');
  assert.match(await other.locator('#digit').innerText(), /^[0-9]$/);
  await other.close();
  assert.deepEqual(app.problems, []);
});

test('Data → Export… as CSV and as a zip of pictures; both import back identically', async () => {
  const { page } = app;
  // Three samples of the user's own handwriting (different: the import drops repeated pictures).
  const sample = (column: number) => {
    const px = Buffer.alloc(784);
    for (let y = 6; y < 22; y++) px[y * 28 + column] = 255;
    return px;
  };
  const samples = [sample(13), sample(14), sample(15)];
  for (const [k, label] of [1, 1, 7].entries()) await app.call('addCustomSample', { pixels: samples[k]!.toString('base64'), label });
  await app.open('data');
  await page.getByTestId('source').filter({ hasText: 'My handwriting' }).click();
  const detail = page.getByTestId('dataset-detail');
  await detail.locator('h2', { hasText: 'My handwriting' }).waitFor();
  for (const [label, name] of [['CSV…', 'mine.csv'], ['Zip of pictures…', 'mine.zip']] as const) {
    const file = path.join(fixtureDir, name);
    app.dialogs.enqueue([file]);
    await detail.getByTestId('export-dataset').click();
    await detail.getByRole('button', { name: label }).click();
    await page.getByText(new RegExp(`Exported 3 samples of My handwriting to .*${name.replace('.', '\\.')}`)).waitFor({ timeout: 30_000 });
    const back = (await importPaths([file])).dataset;
    const got = [0, 1, 2].map((i) => `${back.labels[i]}:${Buffer.from(back.pixels.subarray(i * 784, i * 784 + 784)).toString('hex')}`).sort();
    const want = [1, 1, 7].map((l, k) => `${l}:${samples[k]!.toString('hex')}`).sort();
    assert.equal(back.count, 3);
    assert.deepEqual(got, want);
  }
  assert.deepEqual(app.problems, []);
});
