// "Predict a whole set…" end to end (issue 17): a Kaggle-style test.csv of real MNIST digits is
// imported, read by a small real model from the Predict place as a task, its readings shown least
// sure first and paged, one corrected into the handwriting set, and the readings saved through
// the (stubbed) native save dialog in Kaggle's format.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { writeKaggleTestCsv } from '../helpers/kaggle-test-csv';
import { importDigitZip, trainSmallModel, waitForTask } from './predict-fixtures';

const ROWS = 150;
let app: E2eApp;
let fixtureDir: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
});

test('Predict a whole set: read an unlabelled test.csv, look at the least sure first, correct one, save a Kaggle submission', async () => {
  const { page } = app;
  const zip = await importDigitZip(app, fixtureDir, 30);
  await trainSmallModel(app, { datasetIds: [zip], name: 'e2e batch', epochs: 2 });
  const csv = path.join(fixtureDir, 'test.csv');
  await writeKaggleTestCsv(csv, ROWS, 1000);
  app.dialogs.enqueue([csv]);
  const imported = await app.call('importWithDialog', { mode: 'files' });
  const testSet = (await waitForTask(app, imported!.id)).resultId!;

  await app.open('predict');
  await page.getByTestId('batch-open').click();
  await page.getByTestId('batch-panel').waitFor();
  // The unlabelled set is offered first.
  assert.equal(await page.getByTestId('batch-dataset').inputValue(), testSet);
  await page.getByTestId('batch-run').click();
  await page.getByTestId('batch-grid').waitFor({ timeout: 150_000 });

  assert.match(await page.getByTestId('batch-summary').innerText(), /150 digits of “test\.csv”/);
  assert.match(await page.getByTestId('batch-range').innerText(), /1–60 of 150/);
  const tiles = page.getByTestId('batch-reading');
  assert.equal(await tiles.count(), 60);
  // Least sure first: the confidences shown never go down along the page.
  const shown = (await tiles.locator('.conf').allInnerTexts()).map((t) => Number(t.replace('%', '')));
  assert.deepEqual(shown, [...shown].sort((a, b) => a - b));
  await page.screenshot({ path: screenshotPath('batch-predict') });

  // The first (least sure) reading is open for a closer look; "That's wrong" saves it.
  const first = Number(await tiles.first().getAttribute('data-index'));
  await page.getByTestId('batch-selected').waitFor();
  await page.getByTestId('batch-selected').getByTestId('correct-4').click();
  await page.getByTestId('correct-saved').waitFor();
  assert.equal(await page.getByTestId('custom-count').innerText(), '1');
  const custom = (await app.call('listDatasets')).find((d) => d.kind === 'custom');
  assert.equal(custom?.count, 1);

  await page.getByTestId('batch-next').click();
  await page.getByTestId('batch-range').filter({ hasText: '61–120 of 150' }).waitFor();
  assert.ok(!(await tiles.evaluateAll((els) => els.map((e) => e.getAttribute('data-index')))).includes(String(first)));

  // Saved through the save dialog: every ImageId, in row order.
  const target = path.join(fixtureDir, 'submission.csv');
  app.dialogs.enqueue([target]);
  await page.getByTestId('batch-save-kaggle').click();
  await page.getByTestId('batch-saved').filter({ hasText: 'submission.csv' }).waitFor();
  const lines = (await readFile(target, 'utf8')).trim().split('\n');
  assert.equal(lines[0], 'ImageId,Label');
  assert.equal(lines.length, ROWS + 1);
  lines.slice(1).forEach((l, k) => assert.match(l, new RegExp(`^${k + 1},[0-9]$`)));
  assert.deepEqual(app.problems, []);
});
