// Learn while you train (issue 15) end to end, in the real renderer against the real services and
// a small real model: Predict's "Under the hood" for a drawn digit (layers, first-layer filters, a
// feature-map grid per convolution, the saliency map in colour); the model card's anatomy; the
// explanations next to the settings and the notes on the finished run, with their remembered
// toggle; and the most confused pairs after an evaluation, whose link opens their samples.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { DIGIT_STROKES, drawWithMouse, importDigitZip, trainSmallModel } from './predict-fixtures';

let app: E2eApp;
let fixtureDir: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
});

test('Predict: under the hood of a drawn digit, the model card, the explanations and the confused pairs', async () => {
  const { page } = app;
  const zip = await importDigitZip(app, fixtureDir, 100);
  const model = await trainSmallModel(app, { datasetIds: [zip], name: 'e2e learn' });

  await app.open('predict');
  await page.getByTestId('predict-model').filter({ has: page.locator(`option[value="${model.id}"]`) }).waitFor();
  await drawWithMouse(page, DIGIT_STROKES['7']);
  await page.getByTestId('predicted-digit').waitFor();
  const hood = page.getByTestId('under-the-hood');
  await hood.locator('summary').click();
  const seen = page.getByTestId('inspection');
  await seen.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => !document.querySelector('[data-testid="predict-busy"]'));

  // The seed CNN: two convolutions, 32 and 64 maps; seven layers; 32 first-layer filters.
  const grids = page.getByTestId('feature-maps');
  assert.equal(await grids.count(), 2);
  assert.equal(await grids.nth(0).getAttribute('data-count'), '32');
  assert.equal(await grids.nth(1).getAttribute('data-count'), '64');
  assert.equal(await grids.nth(0).locator('canvas').count(), 32);
  await page.getByTestId('layer-list').waitFor();
  assert.equal(await page.getByTestId('layer-list').locator('li').count(), 7);
  assert.match(await page.getByTestId('layer-list').innerText(), /Convolution: slides small filters/);
  assert.equal(await page.getByTestId('first-layer-filters').getAttribute('data-count'), '32');

  // The saliency map is painted: green pixels (toward the reading) on the stroke.
  const colours = await page.getByTestId('saliency-map').evaluate((c) => {
    const data = (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 28, 28).data;
    let green = 0;
    let red = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 1]! > data[i]! + 40) green++;
      if (data[i]! > data[i + 1]! + 40) red++;
    }
    return { green, red };
  });
  assert.ok(colours.green > 10, `green pixels on the saliency map: ${colours.green}`);
  assert.equal(await seen.getAttribute('data-digit'), await page.getByTestId('predicted-digit').innerText());
  // Some feature map is lit.
  const lit = await grids.nth(0).evaluate((g) =>
    [...g.querySelectorAll('canvas')].some((c) => (c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 26, 26).data.some((v, i) => i % 4 !== 3 && v > 0)),
  );
  assert.ok(lit, 'the first convolution responds to the stroke');
  await hood.screenshot({ path: screenshotPath('learn-under-the-hood') });

  // A new drawing is inspected again.
  await page.getByTestId('drawing-pad').focus();
  await page.keyboard.press('Delete');
  await drawWithMouse(page, DIGIT_STROKES['0']);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="inspection"]')?.getAttribute('data-digit') === document.querySelector('[data-testid="predicted-digit"]')?.textContent?.trim(),
    undefined,
    { timeout: 60_000 },
  );

  // Train: the model card's anatomy, the explanations next to the settings and on the run.
  await app.open('train');
  const card = page.getByTestId('model-row').filter({ hasText: 'e2e learn' }).getByTestId('model-hood');
  await card.locator('summary').click();
  await card.getByTestId('model-anatomy').waitFor();
  assert.equal(await card.getByTestId('layer-list').locator('li').count(), 7);
  await page.getByTestId('term-epoch').waitFor();
  assert.match(await page.getByTestId('term-learningRate').innerText(), /how big each adjustment is/);
  const notes = page.getByTestId('training-notes');
  await notes.waitFor();
  assert.ok((await notes.locator('[data-note]').count()) >= 1);
  // The same explanations in Bengali (they come from the catalogue), numbers in Bengali digits.
  await page.getByTestId('language').selectOption('bn');
  await page.locator('html[lang="bn"]').waitFor();
  assert.match(await page.getByTestId('term-learningRate').innerText(), /^শেখার হার \(learning rate\) মানে/);
  assert.match(await card.getByTestId('layer-list').innerText(), /কনভোলিউশন \(convolution\)/);
  assert.match(await notes.innerText(), /[\u0980-\u09FF]/);
  assert.doesNotMatch(await notes.innerText(), /[0-9]/, 'numbers in the notes are in Bengali digits');
  await page.screenshot({ path: screenshotPath('i18n-bn-learn-train'), fullPage: true });
  await page.getByTestId('language').selectOption('en');
  await page.locator('html[lang="en"]').waitFor();
  await page.getByTestId('show-explanations').uncheck();
  await page.getByTestId('term-epoch').waitFor({ state: 'detached' });
  assert.equal(await notes.count(), 0);
  await page.reload();
  await page.getByTestId('show-explanations').waitFor();
  assert.equal(await page.getByTestId('show-explanations').isChecked(), false, 'the choice is remembered');
  assert.equal(await page.getByTestId('term-epoch').count(), 0);
  await page.getByTestId('show-explanations').check();
  await page.getByTestId('term-epoch').waitFor();

  // Evaluate: the most confused pairs, each linking to its confusion-matrix cell's samples.
  await app.open('evaluate');
  await page.getByTestId('evaluate-run').waitFor();
  await page.getByTestId('eval-model-a').selectOption(model.id);
  await page.getByTestId('evaluate-run').click();
  const pairs = page.getByTestId('confused-pairs');
  await pairs.waitFor({ timeout: 90_000 });
  const link = pairs.locator('button').first();
  const [, actual, predicted] = /confused-(\d)-(\d)/.exec((await link.getAttribute('data-testid'))!)!;
  await link.click();
  await page.locator('#mistakes-heading', { hasText: `True ${actual}, read as ${predicted}` }).waitFor();
  assert.deepEqual(app.problems, []);
});
