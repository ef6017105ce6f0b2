// Issue 15 end to end: every place in English and in Bengali (screenshots in test-results/
// i18n-<lang>-<place>.png), a few Bengali strings checked where a person sees them, the choice
// remembered by main across a reload, and numbers in Bengali digits when asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';

let app: E2eApp;

useE2eSession((s) => {
  ({ app } = s);
});

const PLACES = ['data', 'train', 'evaluate', 'predict', 'mine'] as const;
const NAMES = {
  en: { data: 'Data', train: 'Train', evaluate: 'Evaluate', predict: 'Predict', mine: 'Make it yours' },
  bn: { data: 'ডেটা', train: 'প্রশিক্ষণ', evaluate: 'মূল্যায়ন', predict: 'অনুমান', mine: 'নিজের মতো করে নিন' },
} as const;

test('every place in English, then in Bengali chosen from the app; the choice is remembered', async () => {
  const { page } = app;
  await app.open('data');
  // The test browser's locale is English, and nothing is chosen yet: the app starts in English.
  assert.deepEqual(await app.call('uiSettings'), { language: null, digits: null });
  assert.equal(await page.getByTestId('language').inputValue(), 'en');

  for (const lang of ['en', 'bn'] as const) {
    if (lang === 'bn') {
      await page.getByTestId('language').selectOption('bn');
      await page.locator('html[lang="bn"]').waitFor();
    }
    for (const place of PLACES) {
      await page.getByTestId(`nav-${place}`).click();
      await page.locator('header h1', { hasText: NAMES[lang][place] }).waitFor();
      await page.waitForTimeout(300); // let charts and lists settle for the picture
      await page.screenshot({ path: screenshotPath(`i18n-${lang}-${place}`), fullPage: true });
    }
  }

  // Bengali where a person sees it: the navigation, its hints, the version line.
  await page.getByTestId('nav-data').click();
  const nav = await page.locator('aside.sidebar nav').innerText();
  for (const word of ['ডেটা', 'প্রশিক্ষণ', 'মূল্যায়ন', 'অনুমান', 'যে ডেটাসেট থেকে শেখা হবে']) assert.ok(nav.includes(word), `nav shows ${word}`);
  assert.match(await page.getByTestId('app-version').innerText(), /^সংস্করণ /);
  // Bengali glyphs are drawn with a Bengali font, not tofu boxes: Chromium says which face it used.
  const fonts = await page.evaluate(() => document.fonts.check("16px 'Digit Studio Bengali'", 'ডেটা'));
  assert.equal(fonts, true);

  // Pages converted last: the run history on Train, and the sheet import on Data.
  await page.getByTestId('nav-train').click();
  await page.getByRole('heading', { name: 'রানের ইতিহাস' }).waitFor();
  await page.getByTestId('nav-data').click();
  await page.getByTestId('sheet-start').click();
  const sheet = page.getByTestId('sheet-import');
  await sheet.getByRole('heading', { name: 'হাতে লেখা শিট আনুন' }).waitFor();
  assert.match(await sheet.innerText(), /সারিগুলো, ওপর থেকে নিচে/);
  assert.match(await sheet.innerText(), /১০টি সারি/);
  await page.screenshot({ path: screenshotPath('i18n-bn-sheet-import'), fullPage: true });
  await page.getByTestId('sheet-close').click();
  await sheet.waitFor({ state: 'detached' });

  // Remembered by main (the data folder) and applied again after a reload.
  assert.deepEqual(await app.call('uiSettings'), { language: 'bn', digits: null });
  await page.reload();
  await page.locator('header h1', { hasText: 'ডেটা' }).waitFor();
  assert.equal(await page.getByTestId('language').inputValue(), 'bn');
});

test('numbers follow the digit setting: Bengali digits ০–৯ by default in Bengali, Latin when unticked', async () => {
  const { page } = app;
  await app.open('data');
  await page.locator('html[lang="bn"]').waitFor();
  const box = page.getByTestId('bengali-digits');
  assert.equal(await box.isChecked(), true, 'Bengali digits by default in Bengali');
  const bengaliNumber = await page.evaluate(() => new Intl.NumberFormat('bn-BD-u-nu-beng').format(1234));
  assert.equal(bengaliNumber, '১,২৩৪');
  await box.uncheck();
  assert.deepEqual(await app.call('uiSettings'), { language: 'bn', digits: 'latin' });
  await box.check();
  assert.deepEqual(await app.call('uiSettings'), { language: 'bn', digits: 'bengali' });
  // Back to English for whatever runs next in this data folder.
  await page.getByTestId('language').selectOption('en');
  await page.locator('header h1', { hasText: 'Data' }).waitFor();
});

test('an enlarged sample in Bengali: its title, captions and credit line', async () => {
  const { page } = app;
  await app.open('data');
  await page.getByTestId('language').selectOption('bn');
  await page.locator('html[lang="bn"]').waitFor();
  try {
    // The built-in sets are named in Bengali too, with Bengali digits (main names them in English).
    await page.getByTestId('source').filter({ hasText: 'MNIST প্রশিক্ষণ সেট (৬০,০০০)' }).waitFor();
    await page.getByTestId('source').filter({ hasText: 'MNIST' }).first().click();
    const grid = page.getByTestId('dataset-detail').getByTestId('sample-grid');
    await grid.getByRole('button').first().click();
    const dialog = page.getByTestId('sample-dialog');
    // Bengali digits by default in Bengali: "নমুনা ১ — লেবেল ৫".
    await dialog.getByRole('heading', { name: /^নমুনা ১ — লেবেল [০-৯]$/ }).waitFor();
    await dialog.getByText('মডেল যা দেখে (২৮×২৮)').waitFor();
    assert.match(await dialog.innerText(), /উৎস: /);
    assert.equal(await dialog.getByRole('button', { name: 'বন্ধ করুন' }).count(), 1);
    await page.screenshot({ path: screenshotPath('i18n-bn-sample-dialog') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  } finally {
    await page.getByTestId('language').selectOption('en');
    await page.locator('html[lang="en"]').waitFor();
  }
});
