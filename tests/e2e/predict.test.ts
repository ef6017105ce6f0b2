// The Predict place end to end, against the real services and a real (small) model: the empty
// state before any model exists; drawing with the mouse and with a pressure-sensitive pen and
// reading the live prediction and its ten probabilities; undo and clear from the keyboard;
// "That's wrong — it's a __" growing the custom handwriting set; opening a real MNIST picture
// through the dialog port; readable errors for bad drops; and both themes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotPath } from '../harness/browser';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';
import { digitPng, DIGIT_STROKES, drawWithMouse, drawWithPointer, importDigitZip, inkedPixels, trainSmallModel } from './predict-fixtures';

let app: E2eApp;
let fixtureDir: string;

useE2eSession((s) => {
  ({ app, fixtureDir } = s);
});

/** The ten probabilities the page shows (its screen-reader list), as numbers 0..1. */
async function shownProbabilities(page: Page): Promise<number[]> {
  const items = await page.getByTestId('probabilities').locator('li').allInnerTexts();
  return items.map((t) => Number(/:\s*([\d.]+)%/.exec(t)?.[1] ?? NaN) / 100);
}

async function waitForPrediction(page: Page): Promise<number> {
  await page.getByTestId('predicted-digit').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="probabilities"] li').length === 10);
  // Let the live queue drain so the answer belongs to the finished drawing.
  await page.waitForFunction(() => !document.querySelector('[data-testid="predict-busy"]'));
  return Number(await page.getByTestId('predicted-digit').innerText());
}

test('before any model exists, Predict explains what to do instead of going blank', async () => {
  const { page } = app;
  await app.open('predict');
  const empty = page.getByRole('status').filter({ hasText: 'No model yet' });
  await empty.waitFor();
  assert.match(await empty.innerText(), /Train a model on the Train page first/);
  // The pad still works (drawing is never blocked), and nothing is sent without a model.
  await drawWithMouse(page, DIGIT_STROKES['1']);
  assert.ok((await inkedPixels(page)) > 500, 'the stroke is painted');
  await page.screenshot({ path: screenshotPath('predict-no-model') });
  await page.getByTestId('go-train').click();
  await page.locator('header h1', { hasText: 'Train' }).waitFor();
  assert.deepEqual(app.problems, []);
});

test('draw, read the live prediction, correct it, and open a real MNIST picture', async () => {
  const { page } = app;
  const zip = await importDigitZip(app, fixtureDir, 100);
  const model = await trainSmallModel(app, { datasetIds: [zip], name: 'e2e predict' });
  await app.open('predict');
  await page.getByTestId('predict-model').filter({ has: page.locator(`option[value="${model.id}"]`) }).waitFor();

  // The drawing from the first test is still on the pad (state survives leaving the place), and is
  // read as soon as a model exists. Clear it from the keyboard.
  await page.getByTestId('drawing-pad').focus();
  await page.keyboard.press('Delete');
  await page.getByTestId('drawing-pad').locator('.hint').waitFor();
  assert.equal(await inkedPixels(page), 0);

  // Mouse: a "7" drawn with real pointer events. The service is held back while the stroke is
  // drawn: the first request waits, every later change only replaces the one waiting, so once the
  // service answers exactly one more request goes out (the finished drawing), never two at once.
  // The gate sits inside the main side's handlers, so it is checked on the harness; in Electron the
  // same drawing is read without it.
  const handlers = app.harness?.services.handlers;
  const predictDrawing = handlers?.predictDrawing;
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let inFlight = 0;
  let maxInFlight = 0;
  const sent: string[] = [];
  if (handlers && predictDrawing) {
    handlers.predictDrawing = async (args) => {
      sent.push(args.pixels);
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await gate;
        return await predictDrawing(args);
      } finally {
        inFlight--;
      }
    };
  }
  await drawWithMouse(page, DIGIT_STROKES['7']);
  release();
  const digit = await waitForPrediction(page);
  if (handlers && predictDrawing) {
    handlers.predictDrawing = predictDrawing;
    assert.equal(maxInFlight, 1, 'one request in flight at most');
    assert.equal(sent.length, 2, 'the first touch of the stroke, then the finished drawing');
    const inked = (b64: string) => Buffer.from(b64, 'base64').reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    assert.ok(inked(sent[1]!) > inked(sent[0]!) * 5, 'the second request carries the whole stroke');
  }
  assert.ok(digit >= 0 && digit <= 9);
  const probs = await shownProbabilities(page);
  assert.equal(probs.length, 10);
  const sum = probs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 0.02, `probabilities sum to 1: ${sum}`);
  assert.equal(probs.indexOf(Math.max(...probs)), digit, 'the shown digit is the most probable one');
  const chart = page.getByTestId('probability-chart').getByRole('img');
  assert.match((await chart.getAttribute('aria-label')) ?? '', /0: .*9: /);
  await page.getByRole('img', { name: 'The 28×28 image the model saw' }).waitFor();
  await page.screenshot({ path: screenshotPath('predict-drawn-light') });

  // Undo (Ctrl+Z) removes the stroke; the prediction goes with it.
  await page.keyboard.press('Control+z');
  await page.getByTestId('predicted-digit').waitFor({ state: 'detached' });
  assert.equal(await inkedPixels(page), 0);

  // Pen: pressure changes the stroke width (same path, light then firm).
  const line: [number, number][] = [
    [0.5, 0.2],
    [0.5, 0.8],
  ];
  await drawWithPointer(page, line, { pointerType: 'pen', pressure: 0.1 });
  const light = await inkedPixels(page);
  await page.keyboard.press('c');
  await drawWithPointer(page, line, { pointerType: 'pen', pressure: 1 });
  const firm = await inkedPixels(page);
  assert.ok(firm > light * 2, `firm pen ${firm} px vs light ${light} px`);
  await waitForPrediction(page);

  // Touch: a finger draws at the normal width whatever pressure the screen reports.
  await page.keyboard.press('c');
  await drawWithPointer(page, line, { pointerType: 'touch', pressure: 1, pointerId: 11 });
  const finger = await inkedPixels(page);
  assert.ok(finger > light && finger < firm, `touch ${finger} px between light ${light} and firm ${firm}`);
  await waitForPrediction(page);

  // "That's wrong — it's a 3": saved to the custom set, whose count grows with each save.
  await page.getByTestId('correct-3').click();
  await page.getByTestId('custom-count').filter({ hasText: /^1$/ }).waitFor();
  await page.getByTestId('correct-3').click();
  await page.getByTestId('custom-count').filter({ hasText: /^2$/ }).waitFor();
  const custom = (await app.call('listDatasets')).find((d) => d.kind === 'custom');
  assert.equal(custom?.count, 2);
  assert.equal(custom?.perClass[3], 2);

  // Open image…: a real MNIST 4 through the dialog port.
  const { file, label } = await digitPng(fixtureDir, 4, 2);
  app.dialogs.enqueue(null);
  await page.getByTestId('open-image').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="predict-busy"]'));
  assert.equal(await page.getByTestId('image-preview').count(), 0, 'canceling the dialog changes nothing');
  app.dialogs.enqueue([file]);
  await page.getByTestId('open-image').click();
  await page.getByTestId('image-preview').waitFor();
  assert.match(await page.getByTestId('image-file').innerText(), /digit-4-2\.png$/);
  const read = await waitForPrediction(page);
  // The page shows exactly what the service answers for that file with that model.
  app.dialogs.enqueue([file]);
  const expected = (await app.call('predictImageWithDialog', { modelId: model.id }))!;
  assert.equal(read, expected.digit);
  const shown = await shownProbabilities(page);
  expected.probabilities.forEach((p, d) => assert.ok(Math.abs(shown[d]! - p) < 0.0006, `probability of ${d}`));
  assert.equal(label, 4);
  await page.screenshot({ path: screenshotPath('predict-image-light') });

  // Another model. Once it is the one in use (a new model may become active by itself; else pick
  // it), the picture on screen is read again with it, from the same input the first model saw: the
  // picture normalised once, never normalised again (normalisation is not idempotent). Which call
  // carried which input is watched inside the main side's handlers, so on the harness only.
  const seen: { modelId: string; input: string }[] = [];
  const handlersAny = handlers as unknown as Record<string, (...a: unknown[]) => Promise<{ modelId: string; input: string }>> | undefined;
  const originals = new Map<string, (...a: unknown[]) => Promise<{ modelId: string; input: string }>>();
  for (const name of handlersAny ? ['predictDrawing', 'predictInput'] : []) {
    const original = handlersAny![name];
    if (!original) continue;
    originals.set(name, original);
    handlersAny![name] = async (...a: unknown[]) => {
      const p = await original(...a);
      seen.push({ modelId: p.modelId, input: p.input });
      return p;
    };
  }
  const second = await trainSmallModel(app, { datasetIds: [zip], name: 'e2e second', baseModelId: model.id, epochs: 1 });
  await page.getByTestId('predict-model').locator(`option[value="${second.id}"]`).waitFor({ state: 'attached' });
  await page.getByTestId('predict-model').selectOption(second.id);
  if (handlersAny) {
    for (let i = 0; i < 100 && !seen.some((a) => a.modelId === second.id); i++) await page.waitForTimeout(100);
  }
  await page.waitForFunction(() => !document.querySelector('[data-testid="predict-busy"]'));
  for (const [name, original] of originals) handlersAny![name] = original;
  app.dialogs.enqueue([file]);
  const again = (await app.call('predictImageWithDialog', { modelId: second.id }))!;
  assert.equal(again.input, expected.input, 'the service normalises a picture the same way each time');
  if (handlersAny) {
    assert.equal(seen.at(-1)?.modelId, second.id, 'the picture was read again with the new model');
    assert.equal(seen.at(-1)?.input, expected.input, 'the new model saw the input the first model saw, not a re-normalised one');
  }
  const shownAgain = await shownProbabilities(page);
  again.probabilities.forEach((p, d) => assert.ok(Math.abs(shownAgain[d]! - p) < 0.0006, `probability of ${d} with the new model`));
  assert.equal((await app.call('listModels')).find((m) => m.active)?.id, second.id);
  await page.getByTestId('image-preview').waitFor();

  // Drawing again switches back to the pad.
  await page.getByTestId('back-to-drawing').click();
  await page.getByTestId('drawing-pad').waitFor();
  assert.deepEqual(app.problems, []);
});

test('bad drops are explained in words; the dark theme keeps the place readable', async () => {
  const dark = await app.variant({ colorScheme: 'dark' });
  try {
    const { page } = dark;
    await dark.open('predict');
    await page.getByTestId('drawing-pad').waitFor();
    // Drop a text file on the place: refused with a reason naming it.
    await page.getByTestId('drawing-pad').evaluate((pad) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
      for (const type of ['dragover', 'drop']) pad.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    const error = page.getByTestId('predict-error');
    await error.waitFor();
    assert.match(await error.innerText(), /“notes\.txt” is not an image/);
    // An image the main side can't take (the harness has no drop helper; the real preload finds no
    // path on a File made in the page): its message is shown.
    await page.getByTestId('drawing-pad').evaluate((pad) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'seven.png', { type: 'image/png' }));
      for (const type of ['dragover', 'drop']) pad.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await error.filter({ hasText: app.mode === 'harness' ? 'Dropping files is not available in the harness' : /\S/ }).waitFor();
    if (app.mode === 'harness') {
      // The drop carries the model chosen on the page, as "Open image…" does (the stand-in names it).
      const inUse = await page.getByTestId('predict-model').inputValue();
      assert.ok(inUse, 'a model is chosen');
      assert.match(await error.innerText(), new RegExp(`with the model ${inUse}\\b`));
    }
    // Keyboard: Tab reaches the pad, which shows a visible focus ring, and C clears it.
    let onPad = false;
    for (let i = 0; i < 25 && !onPad; i++) {
      await page.keyboard.press('Tab');
      onPad = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'drawing-pad');
    }
    assert.ok(onPad, 'the pad is reachable with Tab');
    const ring = await page.getByTestId('drawing-pad').evaluate((pad) => {
      const style = getComputedStyle(pad);
      return { visible: pad.matches(':focus-visible'), width: parseFloat(style.outlineWidth), styleName: style.outlineStyle };
    });
    assert.ok(ring.visible && ring.width >= 2 && ring.styleName !== 'none', JSON.stringify(ring));
    assert.equal(await page.getByTestId('drawing-pad').getAttribute('aria-label'), 'Drawing pad: draw one digit with the mouse, a pen or a finger');
    await drawWithMouse(page, DIGIT_STROKES['0']);
    await waitForPrediction(page);
    assert.equal(await page.getByTestId('predict-error').count(), 0, 'a good prediction clears the error');
    await page.screenshot({ path: screenshotPath('predict-drawn-dark') });
    assert.deepEqual(dark.problems, []);
  } finally {
    await dark.close();
  }
});
