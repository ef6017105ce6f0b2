// First start with the shipped base model: it is the active model at once, so Predict reads a
// drawn digit before any training, and Train offers "Fine-tune the base model on my handwriting" as
// its first choice, with the fine-tuning recipe; choosing a fresh model switches to the default one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_RECIPE, FINETUNE_RECIPE } from '../../preload/recipe';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { DIGIT_STROKES, drawWithMouse } from './predict-fixtures';

let app: E2eApp;

useE2eSession((s) => {
  ({ app } = s);
}, { builtinModel: true });

test('the base model is active on first start and Predict reads a drawn digit at once', async () => {
  const models = await app.call('listModels');
  const active = models.find((m) => m.active);
  assert.equal(active?.id, 'builtin');
  assert.equal(active?.name, 'Base model (MNIST 60k)');
  assert.equal(active?.builtIn, true);

  const { page } = app;
  await app.open('predict');
  await drawWithMouse(page, DIGIT_STROKES['7']);
  await page.getByTestId('predicted-digit').waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="predict-busy"]'));
  assert.equal(await page.getByTestId('predicted-digit').innerText(), '7');
  assert.equal(await page.getByRole('status').filter({ hasText: 'No model yet' }).count(), 0);
});

test('Train offers fine-tuning the base model first, with the fine-tuning recipe', async () => {
  const { page } = app;
  await app.open('train');
  const base = page.getByLabel('Start from');
  await page.waitForFunction(() => (document.querySelector('#base') as HTMLSelectElement | null)?.value === 'builtin');
  const first = base.locator('option').first();
  assert.equal((await first.innerText()).trim(), 'Fine-tune the base model on my handwriting');
  assert.equal(Number(await page.getByLabel('Epochs').inputValue()), FINETUNE_RECIPE.epochs);
  assert.equal(Number(await page.getByLabel('Learning rate').inputValue()), FINETUNE_RECIPE.learningRate);
  assert.equal((await page.getByRole('button', { name: 'Start fine-tuning' }).count()), 1);

  await base.selectOption('');
  assert.equal(Number(await page.getByLabel('Epochs').inputValue()), DEFAULT_RECIPE.epochs);
  assert.equal(Number(await page.getByLabel('Learning rate').inputValue()), DEFAULT_RECIPE.learningRate);
  await base.selectOption('builtin');
  assert.equal(Number(await page.getByLabel('Epochs').inputValue()), FINETUNE_RECIPE.epochs);
  assert.deepEqual(app.problems.filter((p) => !/Failed to load resource/.test(p)), []);
});
