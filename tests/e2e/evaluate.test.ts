// The Evaluate place end to end, against the real services: two real models (a small one trained on
// a zip of MNIST pictures, and the same fine-tuned further), evaluated on the starter set as tasks with progress;
// accuracy, the confusion matrix as a table (keyboard and click), precision and recall, the
// mistakes gallery with its enlarge dialog, and the side-by-side comparison with per-class changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelSummary } from '../../preload/contract';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { importDigitZip, trainSmallModel } from './predict-fixtures';

let app: E2eApp;
let fixtureDir: string;
let base: ModelSummary;
let tuned: ModelSummary;
let starterId: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
}, { height: 1100 });

test('before any model exists, Evaluate says what to do', async () => {
  const { page } = app;
  await app.open('evaluate');
  const empty = page.getByRole('status').filter({ hasText: 'No model to evaluate yet' });
  await empty.waitFor();
  assert.match(await empty.innerText(), /Train a model on the Train page first/);
  assert.equal(await page.getByTestId('evaluate-run').count(), 0);
});

test('evaluate a model: accuracy, confusion matrix, per-class metrics and its mistakes', async () => {
  const { page } = app;
  // Two real models: a small one trained on 1,000 MNIST pictures from a zip, and the same
  // fine-tuned for two more epochs. Both are measured on the MNIST test set (10,000 digits).
  const zip = await importDigitZip(app, fixtureDir, 100);
  base = await trainSmallModel(app, { datasetIds: [zip], name: 'e2e base' });
  tuned = await trainSmallModel(app, { datasetIds: [zip], name: 'e2e tuned', baseModelId: base.id, epochs: 2 });
  starterId = (await app.call('listDatasets')).find((d) => d.role === 'test')!.id;
  await app.open('evaluate');
  await page.getByTestId('evaluate-run').waitFor();
  await page.getByTestId('eval-model-a').selectOption(base.id);
  // By default, only data the model was not trained on, and the built-in test set before anything
  // else: the zip (its training data) is not picked, nor is the starter set when a test set exists.
  assert.deepEqual(base.trainedOnDatasetIds, [zip], 'the model records the datasets it was trained on');
  assert.deepEqual(tuned.trainedOnDatasetIds, [zip], 'a fine-tuned model: its own data and its base model’s');
  for (const box of await page.locator('[data-testid^="eval-dataset-"]').all()) {
    const id = (await box.getAttribute('data-testid'))!.replace('eval-dataset-', '');
    assert.equal(await box.isChecked(), id === starterId, `dataset ${id} picked by default`);
  }
  const warning = page.getByTestId('eval-trained-warning');
  assert.equal(await warning.count(), 0, 'no warning when no training data is picked');
  // Picking the training data says so in plain, visible words (not a hover title).
  await page.getByTestId(`eval-dataset-${zip}`).check();
  await warning.waitFor();
  assert.ok(await warning.isVisible());
  assert.match(await warning.innerText(), /e2e base was trained on .*: its score there is optimistic/);
  await page.getByTestId(`eval-dataset-${zip}`).uncheck();
  await warning.waitFor({ state: 'detached' });
  await page.getByTestId('evaluate-run').click();
  const matrix = page.getByTestId('confusion-matrix');
  await matrix.waitFor({ timeout: 60_000 });

  // Accuracy, consistent with the matrix and with the service's own result.
  const accText = await page.getByTestId('accuracy-a').innerText();
  const shownAcc = Number(accText.replace('%', '')) / 100;
  const done = (await app.call('listTasks')).filter((t) => t.kind === 'evaluate' && t.state === 'succeeded').at(-1)!;
  const result = await app.call('getEvaluation', { evaluationId: done.resultId! });
  assert.equal(result.count, 10_000);
  assert.deepEqual(result.datasetIds, [starterId]);
  assert.ok(Math.abs(shownAcc - result.accuracy) < 0.0006, `${accText} vs ${result.accuracy}`);

  // A real table: ten row headers and ten column headers, each cell's count as text.
  assert.equal(await matrix.locator('tbody th[scope="row"]').count(), 10);
  assert.equal(await matrix.locator('thead th[scope="col"]').count(), 12);
  for (let a = 0; a < 10; a++) {
    for (let p = 0; p < 10; p++) {
      const n = result.confusion[a]![p]!;
      const text = await matrix.getByTestId(`cell-${a}-${p}`).innerText();
      assert.equal(text, n === 0 ? '·' : n.toLocaleString('en-US'), `cell ${a},${p}`);
    }
  }
  // Per-class precision and recall: ten rows.
  assert.equal(await page.getByTestId('class-metrics').locator('tbody tr').count(), 10);

  // Keyboard: one tab stop, arrows move, Enter selects.
  await matrix.getByTestId('cell-0-0').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-cell')), '1-1');
  await page.keyboard.press('Enter');
  assert.equal(await matrix.getByTestId('cell-1-1').getAttribute('aria-pressed'), 'true');
  await page.getByTestId('gallery-summary').filter({ hasText: 'read correctly' }).waitFor();
  // The diagonal shows the correct readings kept for it (the least sure 1s, at most 48).
  const ones = result.correct.filter((m) => m.label === 1 && m.predicted === 1);
  assert.ok(ones.length > 0 && ones.length <= 48, `kept ${ones.length} correct 1s`);
  const correctShown = page.getByTestId('misclassified-sample');
  await correctShown.first().waitFor();
  assert.equal(await correctShown.count(), ones.length);
  assert.match((await correctShown.first().getAttribute('aria-label')) ?? '', /^A 1 read as 1, /);

  // Click the off-diagonal cell with the most kept samples (the service keeps a capped list of
  // mistakes): the gallery shows exactly those.
  let worst: [number, number] | null = null;
  const kept = (a: number, p: number) => result.misclassified.filter((m) => m.label === a && m.predicted === p).length;
  for (let a = 0; a < 10; a++) for (let p = 0; p < 10; p++) if (a !== p && kept(a, p) > 0 && (!worst || kept(a, p) > kept(...worst))) worst = [a, p];
  if (worst) {
    const [a, p] = worst as [number, number];
    await matrix.getByTestId(`cell-${a}-${p}`).click();
    const samples = page.getByTestId('misclassified-sample');
    await samples.first().waitFor();
    assert.equal(await samples.count(), Math.min(kept(a, p), 48));
    await page.screenshot({ path: screenshotPath('evaluate-light') });
    // Enlarge one: the dialog shows its digits and probabilities; Escape closes it.
    await samples.first().click();
    const dialog = page.getByTestId('eval-sample-dialog');
    await dialog.getByRole('heading', { name: `A ${a} read as ${p}` }).waitFor();
    await dialog.getByRole('img', { name: /Probability of each digit/ }).waitFor();
    await page.screenshot({ path: screenshotPath('evaluate-sample-dialog') });
    await page.keyboard.press('Escape');
    await dialog.getByRole('heading').waitFor({ state: 'detached' });
  } else {
    await page.getByTestId('gallery-summary').filter({ hasText: 'No mistakes' }).waitFor();
  }
  assert.deepEqual(app.problems, []);
});

test('compare two models on the same data: accuracies side by side and per-class changes', async () => {
  const { page } = app;
  await page.getByTestId('eval-model-a').selectOption(tuned.id);
  await page.getByTestId('eval-compare').check();
  await page.getByTestId('eval-model-b').selectOption(base.id);
  await page.getByTestId('evaluate-run').click();
  await page.getByTestId('accuracy-b').waitFor({ timeout: 90_000 });
  await page.getByTestId('accuracy-a').waitFor();
  const a = Number((await page.getByTestId('accuracy-a').innerText()).replace('%', ''));
  const b = Number((await page.getByTestId('accuracy-b').innerText()).replace('%', ''));
  const delta = await page.getByTestId('accuracy-delta').innerText();
  const expected = b - a;
  assert.match(delta, /pts$/);
  const shown = Number(delta.replace(/[^\d.]/g, '')) * (delta.startsWith('−') ? -1 : 1);
  assert.ok(Math.abs(shown - expected) < 0.11, `delta ${delta} vs ${expected.toFixed(2)}`);
  await page.getByText('Same data for both').waitFor();
  for (let d = 0; d < 10; d++) await page.getByTestId(`delta-recall-${d}`).waitFor();
  await page.screenshot({ path: screenshotPath('evaluate-compare-light'), fullPage: true });

  // A reload picks up the latest evaluation again instead of starting blank.
  await page.reload();
  await page.getByTestId('confusion-matrix').waitFor();
  const again = await page.getByTestId('accuracy-a').innerText();
  assert.ok([`${a.toFixed(1)}%`, `${b.toFixed(1)}%`].includes(again), `after reload: ${again}`);
  assert.deepEqual(app.problems, []);

  // The dark theme, for the screenshot and a clean console.
  const dark = await app.variant({ colorScheme: 'dark', height: 1100 });
  try {
    await dark.open('evaluate');
    await dark.page.getByTestId('confusion-matrix').waitFor();
    await dark.page.screenshot({ path: screenshotPath('evaluate-dark'), fullPage: true });
    assert.deepEqual(dark.problems, []);
  } finally {
    await dark.close();
  }
});

test('in Bengali: the per-digit table, the change in points and an enlarged mistake', async () => {
  const { page } = app;
  await app.open('evaluate');
  await page.getByTestId('confusion-matrix').waitFor();
  await page.getByTestId('language').selectOption('bn');
  await page.locator('html[lang="bn"]').waitFor();
  try {
    const table = page.getByTestId('class-metrics');
    const head = await table.locator('thead').innerText();
    for (const word of ['অঙ্ক', 'প্রিসিশন', 'রিকল', 'নমুনা']) assert.ok(head.includes(word), `${word} in ${head}`);
    // Digits and percentages in Bengali digits (the default in Bengali).
    assert.equal(await table.locator('tbody th[scope="row"]').first().innerText(), '০');
    assert.match(await table.locator('tbody td').first().innerText(), /^[০-৯.]+%/);
    const delta = page.getByTestId('accuracy-delta');
    if (await delta.count()) assert.match(await delta.innerText(), /^[+−±][০-৯]+\.[০-৯] পয়েন্ট$/);
    const samples = page.getByTestId('misclassified-sample');
    if (await samples.count()) {
      await samples.first().click();
      const dialog = page.getByTestId('eval-sample-dialog');
      await dialog.getByRole('heading', { name: /^একটি [০-৯] পড়া হয়েছে [০-৯] হিসেবে$/ }).waitFor();
      await dialog.getByText('আসল অঙ্ক').waitFor();
      await dialog.getByRole('img', { name: /এই নমুনার প্রতিটি অঙ্কের সম্ভাবনা/ }).waitFor();
      await page.screenshot({ path: screenshotPath('i18n-bn-evaluate-sample-dialog') });
      await page.keyboard.press('Escape');
      await dialog.getByRole('heading').waitFor({ state: 'detached' });
    }
    assert.deepEqual(app.problems, []);
  } finally {
    await page.getByTestId('language').selectOption('en');
    await page.locator('html[lang="en"]').waitFor();
  }
});
