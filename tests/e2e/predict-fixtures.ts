// Shared by the Predict and Evaluate end-to-end tests: train a small real model through the
// contract (the same handlers the renderer calls), make PNG pictures of real MNIST digits for the
// dialog port, and draw with real pointer events.
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { DEFAULT_TRAIN_SETTINGS, type ModelSummary, type Task, type TrainSettings } from '../../preload/contract';
import { IMAGE_PIXELS, IMAGE_SIDE } from '../../main/data/dataset';
import { loadStarterDataset } from '../../main/data/starter';
import { writeFileAtomic } from '../../main/util/atomic-file';
import type { E2eApp } from '../harness/driver';
import { makeDigitZip } from './fixtures';

/** Waits (polling the task list) until the task leaves 'running'; throws with its error when it failed. */
export async function waitForTask(app: E2eApp, taskId: string, timeoutMs = 150_000): Promise<Task> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const task = (await app.call('listTasks')).find((t) => t.id === taskId);
    if (task && task.state !== 'running') {
      if (task.state !== 'succeeded') throw new Error(`task "${task.title}" ${task.state}: ${task.error ?? task.message}`);
      return task;
    }
    if (Date.now() > until) throw new Error(`task ${taskId} still running after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Imports a zip of `perDigit` real MNIST pictures per digit through the import dialog (stubbed, in
 * both e2e modes), and returns its dataset id: a quick, realistic set to train small models on.
 */
export async function importDigitZip(app: E2eApp, dir: string, perDigit = 100): Promise<string> {
  const { file } = await makeDigitZip(dir, perDigit);
  app.dialogs.enqueue([file]);
  const task = await app.call('importWithDialog', { mode: 'files' });
  if (!task) throw new Error('the import dialog was answered but no import started');
  const done = await waitForTask(app, task.id);
  if (!done.resultId) throw new Error('the zip import produced no dataset');
  return done.resultId;
}

/**
 * Trains a small real model through the contract: the original notebook's CNN ('seed'), a few
 * epochs on the given datasets. About 15 s for 1,000 digits here, reading MNIST at ~80%.
 */
export async function trainSmallModel(app: E2eApp, settings: Partial<TrainSettings> & { datasetIds: string[]; name: string }): Promise<ModelSummary> {
  const task = await app.call('startTraining', {
    ...DEFAULT_TRAIN_SETTINGS,
    model: 'seed',
    epochs: 4,
    batchSize: 32,
    augment: false,
    earlyStopping: false,
    ...settings,
  });
  await waitForTask(app, task.id);
  const model = (await app.call('listModels')).find((m) => m.name === settings.name);
  if (!model) throw new Error(`training succeeded but no model named "${settings.name}" was listed`);
  return model;
}

/**
 * Writes a real MNIST digit as a PNG the way a user would have it: dark ink on white paper,
 * upscaled. Returns its path and label. `nth` picks among the starter digits of that label.
 */
export async function digitPng(dir: string, digit: number, nth = 0): Promise<{ file: string; label: number }> {
  const ds = await loadStarterDataset(nth + 1);
  let index = -1;
  for (let i = 0, seen = 0; i < ds.count; i++) {
    if (ds.labels[i] === digit && seen++ === nth) {
      index = i;
      break;
    }
  }
  if (index < 0) throw new Error(`no starter digit ${digit} #${nth}`);
  const ink = ds.pixels.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS);
  const paper = Buffer.from(ink.map((v) => 255 - v));
  const png = await sharp(paper, { raw: { width: IMAGE_SIDE, height: IMAGE_SIDE, channels: 1 } })
    .resize(140, 140, { kernel: 'lanczos3' })
    .png()
    .toBuffer();
  const file = path.join(dir, `digit-${digit}-${nth}.png`);
  await writeFileAtomic(file, png);
  return { file, label: digit };
}

/** Strokes of simple digits in pad coordinates (0..1), drawn the way people draw them. */
export const DIGIT_STROKES: Record<'1' | '7' | '0', [number, number][][]> = {
  '1': [
    [
      [0.42, 0.28],
      [0.52, 0.18],
      [0.52, 0.5],
      [0.52, 0.84],
    ],
  ],
  '7': [
    [
      [0.3, 0.2],
      [0.5, 0.2],
      [0.7, 0.2],
      [0.6, 0.4],
      [0.5, 0.62],
      [0.42, 0.84],
    ],
  ],
  '0': [
    Array.from({ length: 25 }, (_, i): [number, number] => {
      const t = (i / 24) * Math.PI * 2;
      return [0.5 + 0.2 * Math.sin(t), 0.5 - 0.32 * Math.cos(t)];
    }),
  ],
};

/** Draws strokes on the pad with the real mouse (pointer events with interpolated moves). */
export async function drawWithMouse(page: Page, strokes: [number, number][][]): Promise<void> {
  const box = await page.getByTestId('drawing-pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not visible');
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  for (const stroke of strokes) {
    const [sx, sy] = at(stroke[0]!);
    await page.mouse.move(sx, sy);
    await page.mouse.down();
    for (const p of stroke.slice(1)) {
      const [x, y] = at(p);
      await page.mouse.move(x, y, { steps: 8 });
    }
    await page.mouse.up();
  }
}

/**
 * Draws one stroke with synthetic PointerEvents (pointerType 'pen' or 'touch', with a pressure),
 * dispatched on the pad the way a tablet's or a touch screen's events arrive.
 */
export async function drawWithPointer(
  page: Page,
  stroke: [number, number][],
  { pointerType, pressure, pointerId = 7 }: { pointerType: 'pen' | 'touch'; pressure: number; pointerId?: number },
): Promise<void> {
  // No named helper functions inside evaluate(): tsx would wrap them in a __name() the page lacks.
  await page.getByTestId('drawing-pad').evaluate(
    (pad, { stroke, pressure, pointerId, pointerType }) => {
      const r = pad.getBoundingClientRect();
      // Many small moves between the given points, as a pen reports them.
      const steps: { type: string; x: number; y: number }[] = [{ type: 'pointerdown', x: stroke[0]![0], y: stroke[0]![1] }];
      for (let i = 1; i < stroke.length; i++) {
        const [ax, ay] = stroke[i - 1]!;
        const [bx, by] = stroke[i]!;
        for (let s = 1; s <= 10; s++) steps.push({ type: 'pointermove', x: ax + ((bx - ax) * s) / 10, y: ay + ((by - ay) * s) / 10 });
      }
      steps.push({ type: 'pointerup', x: stroke.at(-1)![0], y: stroke.at(-1)![1] });
      for (const step of steps) {
        pad.dispatchEvent(
          new PointerEvent(step.type, {
            bubbles: true,
            cancelable: true,
            pointerId,
            pointerType,
            isPrimary: true,
            pressure: step.type === 'pointerup' ? 0 : pressure,
            buttons: step.type === 'pointerup' ? 0 : 1,
            clientX: r.left + step.x * r.width,
            clientY: r.top + step.y * r.height,
          }),
        );
      }
    },
    { stroke, pressure, pointerId, pointerType },
  );
}

/** How many pixels of the pad's screen canvas carry ink (alpha > 0). */
export async function inkedPixels(page: Page): Promise<number> {
  return page.getByTestId('drawing-pad').evaluate(async (pad) => {
    // The pad paints on the next animation frame: count after it (two, to be sure one has painted).
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    const canvas = pad.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
    return n;
  });
}
