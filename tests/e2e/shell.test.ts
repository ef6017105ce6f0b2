// Issue 2's end-to-end check: the built renderer opens in Chromium over the harness, moves between
// the four places, and shows what came back from a real main-side handler (version and backend).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';

let app: E2eApp;

useE2eSession((s) => {
  ({ app } = s);
});

test('the shell shows the version from appInfo and moves between the four places', async () => {
  const { page } = app;
  await app.open();
  const pkg = JSON.parse(await readFile(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  await page.getByTestId('app-version').filter({ hasText: `Version ${pkg.version}` }).waitFor();
  // The backend arrives from the real ML process (appInfo, then the `backend` event) and is named plainly.
  await page.getByTestId('backend-title').filter({ hasText: /^(WebAssembly|Native TensorFlow|Plain JavaScript \(slow\))$/ }).waitFor({ timeout: 120_000 });
  const info = await app.call('appInfo');
  assert.ok(info.backend, 'the main side knows its backend');
  assert.match(await page.getByTestId('backend').innerText(), new RegExp(info.backend.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  for (const [id, heading] of [
    ['train', 'Train'],
    ['evaluate', 'Evaluate'],
    ['predict', 'Predict'],
    ['data', 'Data'],
  ] as const) {
    await page.getByTestId(`nav-${id}`).click();
    await page.locator('header h1', { hasText: heading }).waitFor();
    assert.equal(await page.getByTestId(`nav-${id}`).getAttribute('aria-current'), 'page');
    assert.match(page.url(), new RegExp(`#${id}$`));
  }

  // Keyboard: Tab reaches the navigation with a visible focus ring, Enter follows it.
  await page.getByTestId('nav-data').focus();
  await page.keyboard.press('Tab');
  const focused = page.getByTestId('nav-train');
  assert.equal(await focused.evaluate((el) => el === document.activeElement), true);
  const outline = await focused.evaluate((el) => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineWidth);
  assert.match(outline, /^solid [1-9]/, `visible focus ring (${outline})`);
  await page.keyboard.press('Enter');
  await page.locator('header h1', { hasText: 'Train' }).waitFor();
  await page.getByTestId('nav-data').click();

  // Keyboard: Ctrl+2 goes to Train.
  await page.keyboard.press('Control+2');
  await page.locator('header h1', { hasText: 'Train' }).waitFor();
  await page.screenshot({ path: screenshotPath('shell-light') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('shell-dark') });
  assert.deepEqual(app.problems, []);
});
