// The Train place end to end, against the real ML process: a short run whose chart gains points and
// which lands in the history; a reload mid-run that reattaches with the chart's points intact; and
// a training process killed mid-run: the window stays usable, the error is shown, and a new run
// starts cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { makeDigitZip } from './fixtures';

let app: E2eApp;
let fixtureDir: string;

useE2eSession(async (s) => {
  ({ app, fixtureDir } = s);
  // A few hundred real digits, imported through the dialog port like a user would.
  const { file } = await makeDigitZip(fixtureDir, 30);
  const { page } = app;
  await app.open();
  app.dialogs.enqueue([file]);
  await page.getByRole('button', { name: 'Import files…' }).click();
  await page.getByTestId('dataset-detail').locator('h2', { hasText: /^digits/ }).waitFor({ timeout: 60_000 });
});

/** Points drawn on the per-batch chart (loss + accuracy series). */
async function batchPoints(page: Page): Promise<number> {
  return Number(await page.locator('[data-testid="batch-chart"] [data-points]').getAttribute('data-points'));
}

async function waitForPoints(page: Page, atLeast: number): Promise<number> {
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="batch-chart"] [data-points]')?.getAttribute('data-points') ?? 0) >= n,
    atLeast,
    { timeout: 180_000 },
  );
  return batchPoints(page);
}

/** Small, quick settings: the imported digits only, the seed CNN, no augmentation. */
async function configure(page: Page, epochs: number, name: string): Promise<void> {
  await page.getByTestId('nav-train').click();
  const starter = page.getByRole('checkbox', { name: /MNIST training set/ });
  await starter.uncheck();
  // The test set is kept for evaluation: never preselected for training.
  assert.equal(await page.getByRole('checkbox', { name: /MNIST test set/ }).isChecked(), false);
  await page.getByRole('checkbox', { name: /^digits/ }).check();
  await page.getByLabel('Network').selectOption('seed');
  await page.getByLabel('Epochs').fill(String(epochs));
  await page.getByLabel('Batch size').selectOption('16');
  await page.getByRole('checkbox', { name: /Augment/ }).uncheck();
  await page.getByRole('checkbox', { name: /Stop early/ }).uncheck();
  await page.getByLabel('Run name').fill(name);
}

async function runRow(page: Page, name: string, state: string): Promise<void> {
  await page.locator(`[data-testid="run-row"][data-state="${state}"]`, { hasText: name }).waitFor({ timeout: 180_000 });
}

test('a short run draws live points and finishes in the history', async () => {
  const { page } = app;
  await configure(page, 1, 'quick run');
  await page.getByTestId('start-training').click();
  await page.locator('[data-testid="live-run"][data-state="running"]').waitFor();
  const first = await waitForPoints(page, 2);
  await runRow(page, 'quick run', 'succeeded');
  const last = await batchPoints(page);
  assert.ok(last > first, `the chart gained points (${first} → ${last})`);
  await page.locator('[data-testid="live-run"][data-state="succeeded"]').waitFor();
  // The backend in use is named plainly in the header.
  assert.match(await page.getByTestId('backend-title').innerText(), /WebAssembly|Native TensorFlow|JavaScript/);
  // The history's details show the run's settings and its curves (from getRun).
  const row = page.locator('[data-testid="run-row"]', { hasText: 'quick run' });
  await row.getByRole('button', { name: /Details/ }).click();
  const details = page.locator('tr.details');
  await details.getByText('Early stopping').waitFor();
  const drawn = Number(await details.locator('[data-testid="batch-chart"] [data-points]').getAttribute('data-points'));
  assert.ok(drawn > 0, 'the stored run has its batch curve');
  await details.scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('train-history-details') });
  await row.getByRole('button', { name: /Hide/ }).click();
  await page.getByTestId('live-run').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenshotPath('train-finished-light') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('train-finished-dark') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('reloading during training reattaches: the run keeps going and the chart keeps its points', async () => {
  const { page } = app;
  await configure(page, 40, 'reload run');
  await page.getByTestId('start-training').click();
  await page.locator('[data-testid="live-run"][data-state="running"]', { hasText: 'reload run' }).waitFor();
  const before = await waitForPoints(page, 6);
  await page.reload();
  await page.locator('[data-testid="live-run"][data-state="running"]', { hasText: 'reload run' }).waitFor();
  const after = await waitForPoints(page, before);
  assert.ok(after >= before, `points kept across the reload (${before} → ${after})`);
  // The (disabled) form shows the settings of the run that is going, not the defaults.
  assert.equal(await page.getByLabel('Epochs').inputValue(), '40');
  assert.equal(await page.getByLabel('Network').inputValue(), 'seed');
  assert.equal(await page.getByRole('checkbox', { name: /MNIST training set/ }).isChecked(), false);
  await waitForPoints(page, after + 2);
  await page.screenshot({ path: screenshotPath('train-reattached') });
  await page.getByTestId('cancel-training').click();
  await runRow(page, 'reload run', 'canceled');
});

test('a killed training process: the window stays usable, the error is shown, a new run starts cleanly', async (t) => {
  // The training process's pid comes from the services, which only the harness runs in this process.
  if (!app.harness) return t.skip('needs the harness to find the training process');
  const { page } = app;
  await configure(page, 40, 'doomed run');
  await page.getByTestId('start-training').click();
  await page.locator('[data-testid="live-run"][data-state="running"]', { hasText: 'doomed run' }).waitFor();
  await waitForPoints(page, 2);
  const pids = app.harness.services.ml!.trainingPids();
  assert.equal(pids.length, 1);
  process.kill(pids[0]!, 'SIGKILL');

  await page.getByTestId('toast').filter({ hasText: /training process stopped unexpectedly/ }).first().waitFor({ timeout: 60_000 });
  await runRow(page, 'doomed run', 'failed');
  await page.screenshot({ path: screenshotPath('train-crashed') });

  // Still usable: move around, then train again.
  await page.getByTestId('nav-data').click();
  await page.getByTestId('source').first().waitFor();
  await configure(page, 1, 'after crash');
  await page.getByTestId('start-training').click();
  await runRow(page, 'after crash', 'succeeded');
  assert.deepEqual(
    app.problems.filter((p) => !/Failed to load resource/.test(p)),
    [],
  );
});
