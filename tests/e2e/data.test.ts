// The Data place end to end: the built-in MNIST training and test sets are there from the first start; a zip of digit
// pictures (with one corrupt file) imported through the dialog port shows its counts per digit,
// its samples (enlargeable, with the original picture) and the skipped file with its reason.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { CORRUPT_ENTRY, makeDigitZip } from './fixtures';

let app: E2eApp;
let fixtureDir: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
});

test('imports a zip through the dialog and shows counts, samples and the skipped file', async () => {
  const { page } = app;
  const { file, pictures } = await makeDigitZip(fixtureDir, 3);
  await app.open();

  // The built-in MNIST sets are there from the first start, with their credits; the test set is
  // marked for evaluation and not in training.
  await page.getByTestId('source').filter({ hasText: 'MNIST training set (60,000)' }).waitFor();
  await page.getByText('Yann LeCun and Corinna Cortes').waitFor();
  const testSource = page.getByTestId('source').filter({ hasText: 'MNIST test set (10,000)' });
  assert.match(await testSource.innerText(), /for evaluation/);
  assert.equal(await page.getByRole('checkbox', { name: /MNIST test set/ }).isChecked(), false);
  assert.equal(await page.getByRole('checkbox', { name: /MNIST training set/ }).isChecked(), true);
  await testSource.click();
  await page.getByTestId('evaluation-badge').waitFor();
  await page.getByTestId('source').filter({ hasText: 'MNIST training set' }).click();

  // Canceling the dialog changes nothing.
  app.dialogs.enqueue(null);
  await page.getByRole('button', { name: 'Import files…' }).click();
  await page.waitForFunction(() => true);
  assert.equal(await page.getByTestId('source').count(), 2);

  app.dialogs.enqueue([file]);
  await page.getByRole('button', { name: 'Import files…' }).click();
  const detail = page.getByTestId('dataset-detail');
  await detail.locator('h2', { hasText: /^digits/ }).waitFor({ timeout: 60_000 });
  if (app.harness) assert.equal(app.harness.dialogs.requests.at(-1)?.mode, 'files');

  // Counts per digit: three of each, as the chart's accessible summary says.
  const chart = detail.getByRole('img', { name: /Samples per digit/ });
  const summary = (await chart.getAttribute('aria-label')) ?? '';
  for (let d = 0; d < 10; d++) assert.match(summary, new RegExp(`\\b${d}: 3\\b`), summary);
  await detail.getByText(`${pictures} samples`).first().waitFor();

  // The corrupt file is listed with a reason.
  const skipped = detail.getByTestId('skipped-row');
  assert.equal(await skipped.count(), 1);
  const row = (await skipped.innerText()).replace(/\s+/g, ' ');
  assert.ok(row.includes(CORRUPT_ENTRY), row);
  assert.ok(row.replace(CORRUPT_ENTRY, '').trim().length > 5, `a reason is given: ${row}`);

  // A digit filter and the grid of samples; enlarge one to see the original next to the 28×28.
  await detail.getByRole('group', { name: 'Show digit' }).getByRole('button', { name: '7', exact: true }).click();
  const grid = detail.getByTestId('sample-grid');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="sample-grid"] li').length === 3);
  await page.screenshot({ path: screenshotPath('data-light') });
  await grid.getByRole('button').first().click();
  const dialog = page.getByTestId('sample-dialog');
  await dialog.getByRole('img', { name: /Original picture/ }).waitFor();
  await dialog.getByText(/labelled 7/).waitFor();
  await page.screenshot({ path: screenshotPath('data-sample-dialog') });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  // Excluding a source takes effect in the main process.
  const box = page.getByRole('checkbox', { name: /Use digits.*for training/ });
  await box.uncheck();
  await detail.getByText('Not in training').waitFor();
  const listed = await app.call('listDatasets');
  assert.equal(listed.find((d) => d.name.startsWith('digits'))?.included, false);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('data-dark') });
  assert.deepEqual(app.problems, []);
});

test('reloading during an import: the import continues and the page reattaches to it', async () => {
  const { page } = app;
  const bigDir = path.join(fixtureDir, 'big');
  await mkdir(bigDir);
  // Enough pictures that the import is usually still running when the page comes back.
  const { file, pictures } = await makeDigitZip(bigDir, 400);
  await app.open();
  await page.getByTestId('source').first().waitFor();
  const before = await page.getByTestId('source').count();
  app.dialogs.enqueue([file]);
  await page.getByRole('button', { name: 'Import files…' }).click();
  await page.getByTestId('import-progress').waitFor();
  await page.reload();
  // Either still running when the reloaded page asked for its tasks (the progress card is back) or,
  // on a fast machine, done by then (the dataset is listed). Whichever comes first: asking main
  // "is it running?" here and then waiting for the card raced with the import's end.
  const reattached = await page.waitForFunction(
    (n) => (document.querySelector('[data-testid="import-progress"]') ? 'card' : document.querySelectorAll('[data-testid="source"]').length === n + 1 ? 'done' : null),
    before,
    { timeout: 120_000 },
  );
  const how = await reattached.jsonValue();
  if (how === 'card') console.log('# the reloaded page reattached to the running import');
  else assert.equal((await app.call('listTasks')).some((t) => t.kind === 'import' && t.state === 'running'), false, 'no card, so the import must be over');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="source"]').length === n + 1, before, { timeout: 120_000 });
  const imported = (await app.call('listDatasets')).at(-1)!;
  assert.equal(imported.count, pictures);
  // In Electron, a dialog asked again would find no answer in the file and fail the import.
  if (app.harness) assert.equal(app.harness.dialogs.requests.length, 3, 'the dialog was not asked again');
});

test("dropping files on the window goes to the preload's drop helper, and its refusal is shown in words", async () => {
  const { page } = app;
  await app.open('data');
  await page.getByTestId('source').first().waitFor();
  const home = page.url().split('#')[0]!;
  const drop = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['not really digits'], 'digits.csv', { type: 'text/csv' }));
    return data;
  });
  await page.dispatchEvent('body', 'dragover', { dataTransfer: drop });
  await page.locator('.dropzone').waitFor();
  await page.dispatchEvent('body', 'drop', { dataTransfer: drop });
  // The stand-in preload can't read paths of dropped files (like the real one refuses a File made
  // in the page): the user gets a sentence, not a blank screen, and the drop zone goes away.
  const refusal = app.mode === 'harness' ? /Could not import the dropped files: .*not available in the harness/ : /Could not import the dropped files: \S/;
  await page.getByTestId('toast').filter({ hasText: refusal }).waitFor();
  await page.locator('.dropzone').waitFor({ state: 'detached' });
  assert.equal(page.url().startsWith(home), true, 'the drop did not navigate the window away');
});
