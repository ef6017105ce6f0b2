// The pad's live prediction against a slow model, end to end in Chromium on the harness (the slow
// model is a stand-in inside the main side's handler, which only the harness can reach): a quick
// stroke never queues requests. At most one is in flight; while it is, new ink only replaces the
// drawing waiting; the moment an answer arrives, the newest drawing goes out (no frame or timer in
// between); a pointerup that adds no ink asks nothing again; and the reading on screen is the
// answer to the last drawing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Prediction } from '../../preload/contract';
import { normalizeDigit } from '../../main/data/normalize';
import { Drawing } from '../../renderer/src/lib/drawing/drawing';
import { rasteriseStrokes, RASTER_SIZE } from '../../renderer/src/lib/drawing/rasterise';
import type { E2eApp } from '../harness/driver';
import { useE2eSession } from '../harness/session';

let app: E2eApp;

useE2eSession(
  (s) => {
    ({ app } = s);
  },
  { builtinModel: true },
);

type PenEvent = { type: 'pointerdown' | 'pointermove' | 'pointerup'; x: number; y: number };
const PRESSURE = 0.5;

/**
 * Dispatches pen events on the pad in one task, at pad fractions of its canvas, the way a tablet's
 * events arrive: the page sees them all before it can answer any.
 */
async function pen(page: Page, events: PenEvent[]): Promise<void> {
  await page.getByTestId('drawing-pad').evaluate(
    (pad, { events, pressure }) => {
      const r = pad.querySelector('canvas')!.getBoundingClientRect();
      for (const e of events) {
        const up = e.type === 'pointerup';
        pad.dispatchEvent(
          new PointerEvent(e.type, {
            bubbles: true,
            cancelable: true,
            pointerId: 3,
            pointerType: 'pen',
            isPrimary: true,
            pressure: up ? 0 : pressure,
            buttons: up ? 0 : 1,
            clientX: r.left + e.x * r.width,
            clientY: r.top + e.y * r.height,
          }),
        );
      }
    },
    { events, pressure: PRESSURE },
  );
}

/** What the page should send for the stroke so far: the same rasteriser, fed the same points. */
function expectedPixels(points: PenEvent[]): Uint8Array {
  const drawing = new Drawing();
  drawing.begin(3, 'pen', { x: points[0]!.x, y: points[0]!.y, pressure: PRESSURE });
  drawing.extend(3, points.slice(1).map((p) => ({ x: p.x, y: p.y, pressure: PRESSURE })));
  return rasteriseStrokes(drawing.strokes, RASTER_SIZE);
}

/** Largest difference between two images (client coordinates may round in the last bit). */
function maxDiff(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

test('a quick stroke against a slow model: one request at a time, the newest drawing goes out with each answer, and the last reading shows', async (t) => {
  const handlers = app.harness?.services.handlers;
  if (!handlers) return t.skip('the slow model sits inside the main side, which only the harness reaches');
  const { page } = app;
  const original = handlers.predictDrawing;
  // The slow model: each call waits until the test answers it, with a reading that names the call.
  const calls: { pixels: Uint8Array; answer(): void }[] = [];
  let arrived: (() => void) | null = null;
  /** Resolves once the slow model has been asked n times. */
  const asked = (n: number): Promise<void> =>
    new Promise<void>((resolve) => {
      arrived = () => {
        if (calls.length < n) return;
        arrived = null;
        resolve();
      };
      arrived();
    });
  const READINGS = [3, 5, 8, 6];
  let inFlight = 0;
  let maxInFlight = 0;
  handlers.predictDrawing = async (args) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    const pixels = new Uint8Array(Buffer.from(args.pixels, 'base64'));
    const k = calls.length;
    try {
      await new Promise<void>((answer) => {
        calls.push({ pixels, answer });
        arrived?.();
      });
      const digit = READINGS[k % READINGS.length]!;
      const probabilities = Array.from({ length: 10 }, (_, d) => (d === digit ? 0.91 : 0.01));
      const input = Buffer.from(normalizeDigit(pixels, args.width, args.height)).toString('base64');
      return { digit, confidence: 0.91, probabilities, input, modelId: args.modelId ?? 'builtin' } satisfies Prediction;
    } finally {
      inFlight--;
    }
  };
  t.after(() => {
    handlers.predictDrawing = original;
  });

  await app.open('predict');
  await page.getByTestId('drawing-pad').waitFor();
  await page.locator('[data-testid="predict-model"] option').first().waitFor({ state: 'attached' });

  // A "2": an arc and a base, thirty pen samples.
  const path: PenEvent[] = Array.from({ length: 30 }, (_, i) => {
    if (i < 20) {
      const a = Math.PI * (1.1 + (i / 19) * 1.15);
      return { type: 'pointermove', x: 0.5 + 0.22 * Math.cos(a + Math.PI), y: 0.35 + 0.18 * Math.sin(a + Math.PI) };
    }
    return { type: 'pointermove', x: 0.3 + ((i - 20) / 9) * 0.42, y: 0.78 };
  });
  path[0]!.type = 'pointerdown';

  // The pen touches and moves: one request, with all that ink (events of one task go together).
  await pen(page, path.slice(0, 10));
  await asked(1);
  assert.ok(maxDiff(calls[0]!.pixels, expectedPixels(path.slice(0, 10))) <= 2, 'the first request carries the first ten samples');
  // More ink while the model is busy: nothing new goes out.
  await pen(page, path.slice(10, 20));
  assert.equal(calls.length, 1);
  // The answer arrives: the newest drawing goes out at once, with every sample so far.
  calls[0]!.answer();
  await asked(2);
  assert.ok(maxDiff(calls[1]!.pixels, expectedPixels(path.slice(0, 20))) <= 2, 'the second request carries twenty samples');
  await pen(page, path.slice(20));
  calls[1]!.answer();
  await asked(3);
  assert.ok(maxDiff(calls[2]!.pixels, expectedPixels(path)) <= 2, 'the third request carries the whole stroke');
  // The pen lifts (no new ink) while the last drawing is being read.
  await pen(page, [{ ...path.at(-1)!, type: 'pointerup' }]);
  calls[2]!.answer();
  await page.getByTestId('predicted-digit').filter({ hasText: String(READINGS[2]) }).waitFor();
  // Two frames on, nothing is being read: a frame-scheduled resend of the same pixels would be.
  const busy = await page.evaluate(
    () => new Promise<boolean>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(!!document.querySelector('[data-testid="predict-busy"]'))))),
  );
  assert.equal(busy, false, 'nothing in flight after the last answer');
  assert.equal(calls.length, 3, 'the pointerup asked nothing again: its pixels were being read already');
  assert.equal(maxInFlight, 1, 'never two requests at once');

  // On screen: the answer to the last drawing (the third call's reading), not an earlier one.
  assert.equal(await page.getByTestId('predicted-digit').innerText(), String(READINGS[2]));
  const shown = await page.getByTestId('probabilities').locator(`li[data-digit="${READINGS[2]}"]`).innerText();
  assert.match(shown, /91/);
  assert.deepEqual(app.problems, []);
});
