// Reading numbers and sheets end to end (issue 13), in the real renderer against the real services:
// make a printable sheet, import a photo of it filled with real MNIST test digits, review and save
// the cells as a dataset; then in Predict's Number mode, read a photographed number (a box and a
// reading per digit), correct a digit into the handwriting set, and write a number on the wide pad.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { composeNumber, mnistDigits, renderPhoto } from '../helpers/number-photos';
import { filledSheet } from '../helpers/sheet-photos';
import { importDigitZip, trainSmallModel } from './predict-fixtures';

let app: E2eApp;
let fixtureDir: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
});

test('Data: make a printable sheet, import a filled one, review it and save it as a dataset', async () => {
  const { page } = app;
  await app.open('data');
  await page.getByTestId('sheet-start').click();
  await page.getByTestId('sheet-import').waitFor();

  const pdf = path.join(fixtureDir, 'blank-sheet.pdf');
  app.dialogs.enqueue([pdf]);
  await page.getByTestId('sheet-make-pdf').click();
  await page.getByTestId('toast').filter({ hasText: 'blank-sheet.pdf' }).waitFor();
  assert.equal((await readFile(pdf)).subarray(0, 8).toString('latin1'), '%PDF-1.4');

  const sheet = await filledSheet({ seed: 5, order: '0123456789' });
  const photo = path.join(fixtureDir, 'filled-sheet.jpg');
  await writeFile(photo, sheet.buffer);
  app.dialogs.enqueue([photo]);
  await page.getByTestId('sheet-open').click();
  await page.getByTestId('sheet-save').waitFor();
  assert.equal(await page.getByTestId('sheet-row').count(), 10);
  const cells = await page.getByTestId('sheet-cell').count();
  assert.ok(cells >= 98 && cells <= 102, `${cells} cells`);
  const zeros = await page.getByTestId('sheet-row').nth(0).getByTestId('sheet-cell').count();
  const sevens = await page.getByTestId('sheet-row').nth(7).getByTestId('sheet-cell').count();
  // Leave the first cell out, relabel the second: the dataset gets what the review says.
  await page.getByRole('checkbox', { name: 'Keep cell 1', exact: true }).uncheck();
  await page.getByRole('combobox', { name: 'Label of cell 2', exact: true }).selectOption('7');
  await page.screenshot({ path: screenshotPath('sheet-review') });
  await page.getByTestId('sheet-save').click();
  await page.getByTestId('source').filter({ hasText: 'filled-sheet.jpg (sheet)' }).waitFor();
  const saved = (await app.call('listDatasets')).find((d) => d.name === 'filled-sheet.jpg (sheet)')!;
  assert.equal(saved.count, cells - 1);
  assert.equal(saved.kind, 'sheet');
  // Cell 1 (a 0) left out, cell 2 (another 0) relabelled 7.
  assert.equal(saved.perClass[0], zeros - 2);
  assert.equal(saved.perClass[7], sevens + 1);
  assert.deepEqual(app.problems, []);
});

test('Predict, Number mode: a photographed number is boxed and read digit by digit; a digit is corrected; the wide pad reads too', async () => {
  const { page } = app;
  const zip = await importDigitZip(app, fixtureDir, 100);
  await trainSmallModel(app, { datasetIds: [zip], name: 'e2e numbers' });
  await app.open('predict');
  await page.getByTestId('mode-number').click();
  await page.getByTestId('number-pad').waitFor();

  const { labels } = mnistDigits('test');
  const indices = [4, 0, 7, 1].map((d) => labels.findIndex((l) => l === d));
  const number = composeNumber({ indices, spacing: 'gap', broken: false, seed: 3 });
  const pic = path.join(fixtureDir, 'number.jpg');
  await writeFile(pic, (await renderPhoto(number, 2.5, 4)).buffer);
  app.dialogs.enqueue([pic]);
  await page.getByTestId('number-open').click();
  await page.getByTestId('number-preview').waitFor();
  const text = await page.getByTestId('number-text').innerText();
  assert.match(text, /^\d{4}$/, `read "${text}"`);
  assert.equal(await page.locator('[data-testid^="number-box-"]').count(), 4);
  assert.equal(await page.locator('[data-testid^="number-digit-"]').count(), 4);
  await page.screenshot({ path: screenshotPath('predict-number-picture') });

  // Correct the first digit: it is saved to the handwriting set and shown as fixed.
  const before = (await app.call('listDatasets')).find((d) => d.kind === 'custom')?.count ?? 0;
  await page.getByTestId('number-digit-0').click();
  await page.getByTestId('number-fix-4').click();
  await page.getByTestId('number-saved').waitFor();
  const after = (await app.call('listDatasets')).find((d) => d.kind === 'custom')!.count;
  assert.equal(after, before + 1);
  assert.equal((await page.getByTestId('number-text').innerText())[0], '4');

  // The wide pad: two strokes far apart are two digits.
  await page.getByTestId('number-draw').click();
  const box = (await page.getByTestId('number-pad').boundingBox())!;
  for (const x of [0.2, 0.6]) {
    await page.mouse.move(box.x + x * box.width, box.y + 0.2 * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + x * box.width, box.y + 0.8 * box.height, { steps: 12 });
    await page.mouse.up();
  }
  await page.waitForFunction(() => /^\d\d$/.test(document.querySelector('[data-testid="number-text"]')?.textContent ?? ''));
  assert.equal(await page.locator('[data-testid^="number-box-"]').count(), 2);
  await page.screenshot({ path: screenshotPath('predict-number-pad') });
  assert.deepEqual(app.problems, []);
});
