// The standalone web page: its forward pass equals TF.js on real digits for every layer set we
// export; in Chromium, loaded from file:// with no network, a digit drawn with the mouse (strokes
// traced from a real MNIST digit) is read, with the same input and probabilities the app computes
// for the same strokes (renderer rasteriser → normalizeDigit → deskew for a deskewing model → the model in TF.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readModelFolder } from '../../../main/export/model-reader';
import { planModel } from '../../../main/export/layer-plan';
import { decodePlan, encodePlan } from '../../../main/export/web/plan-codec';
import { runPlan } from '../../../main/export/web/forward';
import { exportModel } from '../../../main/export/export-model';
import { normalizeDigit } from '../../../main/data/normalize';
import { deskew } from '../../../main/data/deskew';
import { loadStarterDataset } from '../../../main/data/starter';
import { imageAt, type Dataset } from '../../../main/data/dataset';
import { RASTER_SIZE, rasteriseStrokes } from '../../../renderer/src/lib/drawing/rasterise';
import type { Stroke } from '../../../renderer/src/lib/drawing/types';
import { launchBrowser } from '../../harness/browser';
import { appProbabilities, maxAbsDiff, saveArchModel, saveBnModel, saveTrainedModel } from '../../helpers/export-fixtures';
import { tempDir } from '../../helpers/ml-fixtures';

test('the page’s forward pass (after its JSON + base64 round trip) equals TF.js within 1e-4 on 100 real digits', async () => {
  const { dir, cleanup } = await tempDir('export-web-');
  try {
    const digits = await loadStarterDataset(10);
    for (const modelDir of [await saveArchModel(dir, 'seed'), await saveArchModel(dir, 'default'), await saveBnModel(dir, 'flatten'), await saveBnModel(dir, 'global')]) {
      const { json, weights } = encodePlan(planModel(await readModelFolder(modelDir)));
      const b64 = Buffer.from(weights.buffer).toString('base64');
      const plan = decodePlan(json, new Float32Array(Buffer.from(b64, 'base64').buffer.slice(0)));
      const ours = new Float32Array(digits.count * 10);
      for (let i = 0; i < digits.count; i++) ours.set(runPlan(plan, Float32Array.from(imageAt(digits, i), (v) => v / 255)), i * 10);
      const diff = maxAbsDiff(ours, await appProbabilities(modelDir, digits));
      assert.ok(diff <= 1e-4, `${path.basename(modelDir)}: ${diff}`);
    }
  } finally {
    await cleanup();
  }
});

/**
 * Strokes tracing a 28×28 digit: one horizontal stroke per run of ink in each pair of rows (the pen
 * is about 2.6 of the digit's pixels wide, so every other row covers it), in pad coordinates.
 */
function strokesOf(px: Uint8Array): [number, number][][] {
  const strokes: [number, number][][] = [];
  const ink = (x: number, y: number) => px[y * 28 + x]! >= 128 || (y + 1 < 28 && px[(y + 1) * 28 + x]! >= 128);
  for (let y = 0; y < 28; y += 2) {
    let x = 0;
    while (x < 28) {
      if (!ink(x, y)) {
        x++;
        continue;
      }
      const start = x;
      while (x < 28 && ink(x, y)) x++;
      // The 28×28 frame mapped to the middle 80% of the pad; the pair of rows drawn at its middle.
      const at = (c: number) => 0.1 + (0.8 * (c + 0.5)) / 28;
      strokes.push([
        [at(start), at(y + 0.5)],
        [at(x - 1), at(y + 0.5)],
      ]);
    }
  }
  return strokes;
}

test('in Chromium from file://, offline: drawing a real digit gives the app’s prediction (a plain and a deskewing model)', async () => {
  const { dir, cleanup } = await tempDir('export-web-');
  const browser = await launchBrowser();
  try {
    for (const deskews of [false, true]) {
      const modelDir = await saveTrainedModel(dir, deskews ? 'deskewing' : 'trained', 'seed', 2, deskews);
      const html = path.join(dir, 'page', deskews ? 'deskewing.html' : 'digits.html');
      await exportModel(modelDir, 'web', html, 'test');
      const { page } = browser;
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(html).href);
      await page.waitForFunction(() => document.body.dataset.state === 'empty');

      const digits = await loadStarterDataset(3);
      let matchedLabel = 0;
      let moved = 0;
      const picks = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => d * 3 + 1);
      for (const i of picks) {
        await page.getByRole('button', { name: 'Clear' }).click();
        const box = (await page.locator('#pad').boundingBox())!;
        for (const stroke of strokesOf(imageAt(digits, i))) {
          await page.mouse.move(box.x + stroke[0]![0] * box.width, box.y + stroke[0]![1] * box.height);
          await page.mouse.down();
          await page.mouse.move(box.x + stroke[1]![0] * box.width, box.y + stroke[1]![1] * box.height, { steps: 2 });
          await page.mouse.up();
        }
        await page.waitForFunction(() => document.body.dataset.state === 'predicted');
        // Let the last frame render, then read what the page shows and what it computed.
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        const shown = Number(await page.locator('#digit').innerText());
        const { strokes, last } = await page.evaluate(() => {
          const p = (window as unknown as { digitPage: { strokes(): unknown; last(): unknown } }).digitPage;
          return { strokes: p.strokes() as Stroke[], last: p.last() as { digit: number; probabilities: number[]; input: number[]; normalised: number[] } };
        });
        // The app's pipeline on the very same strokes: normalised, then prepared for the model by the ML process's rules.
        const input = normalizeDigit(rasteriseStrokes(strokes, RASTER_SIZE), RASTER_SIZE, RASTER_SIZE);
        assert.deepEqual(last.normalised, Array.from(input), 'the page normalises exactly as the app');
        assert.deepEqual(last.input, Array.from(deskews ? deskew(input) : input), deskews ? 'the page deskews exactly as the app' : 'a plain model sees the normalised digit');
        if (last.input.some((v, k) => v !== input[k])) moved++;
        const one: Dataset = { count: 1, pixels: input, labels: Int8Array.of(digits.labels[i]!), sources: ['drawn'] };
        const app = await appProbabilities(modelDir, one);
        const appDigit = Array.from(app).indexOf(Math.max(...app));
        assert.ok(maxAbsDiff(last.probabilities, app) <= 1e-4, `digit ${digits.labels[i]}: page vs app ${maxAbsDiff(last.probabilities, app)}`);
        assert.equal(shown, appDigit);
        assert.equal(last.digit, appDigit);
        if (appDigit === digits.labels[i]) matchedLabel++;
      }
      console.log(`# ${deskews ? 'deskewing' : 'plain'} model: the drawn digits were read as their labels ${matchedLabel}/10 times (a 2-epoch model); deskewing changed ${moved}/10 inputs`);
      assert.ok(matchedLabel >= 5, `only ${matchedLabel}/10 drawn digits read correctly`);
      if (deskews) assert.ok(moved >= 5, `deskewing changed only ${moved}/10 drawn digits`);
      assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'the page fetched nothing from the network');
      assert.deepEqual(browser.problems, []);
      if (!deskews) {
        await fs.mkdir(path.join(__dirname, '..', '..', '..', 'test-results'), { recursive: true });
        await page.screenshot({ path: path.join(__dirname, '..', '..', '..', 'test-results', 'export-web-page.png') });
      }
    }
  } finally {
    await browser.close();
    await cleanup();
  }
});
