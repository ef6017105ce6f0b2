import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  loadWindowState,
  sanitizeWindowState,
  saveWindowState,
} from '../../../main/electron/window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
const twoScreens = [...screen, { x: 1920, y: 0, width: 2560, height: 1440 }];

test('a damaged or hostile state file falls back to defaults field by field', () => {
  assert.deepEqual(sanitizeWindowState(null), DEFAULT_WINDOW_STATE);
  assert.deepEqual(sanitizeWindowState('x'), DEFAULT_WINDOW_STATE);
  assert.deepEqual(sanitizeWindowState({ width: 1e12, height: -5, x: NaN, y: 3, maximized: 'yes' }), DEFAULT_WINDOW_STATE);
  assert.deepEqual(sanitizeWindowState({ width: 800.4, height: 600, x: -10, y: 20, maximized: true }), {
    width: 800,
    height: 600,
    x: -10,
    y: 20,
    maximized: true,
  });
  assert.equal(sanitizeWindowState({ width: 100, height: 100 }).width, DEFAULT_WINDOW_STATE.width, 'below the minimum size');
});

test('positions are kept on any attached display and dropped when off every display', () => {
  assert.equal(fitToDisplays({ x: 2000, y: 100, width: 1200, height: 800, maximized: false }, twoScreens).x, 2000);
  const gone = fitToDisplays({ x: 2000, y: 100, width: 1200, height: 800, maximized: false }, screen);
  assert.equal(gone.x, undefined);
  assert.equal(gone.y, undefined);
  assert.equal(fitToDisplays({ x: 100, y: -500, width: 1200, height: 800, maximized: false }, screen).x, undefined, 'title bar above the screen');
  assert.equal(fitToDisplays({ x: 1900, y: 10, width: 1200, height: 800, maximized: false }, screen).x, undefined, 'only a sliver visible');
  assert.deepEqual(fitToDisplays({ width: 5000, height: 3000, maximized: true }, twoScreens), { width: 2560, height: 1440, maximized: true });
  assert.deepEqual(fitToDisplays({ x: 1, y: 2, width: 900, height: 700, maximized: false }, []), { x: 1, y: 2, width: 900, height: 700, maximized: false });
});

test('saved atomically (no temp file left) and read back; a garbled file reads as defaults', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ds-ws-'));
  try {
    const file = path.join(dir, 'window-state.json');
    assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
    await saveWindowState(file, { x: 5, y: 6, width: 1000, height: 700, maximized: false });
    assert.deepEqual(await loadWindowState(file), { x: 5, y: 6, width: 1000, height: 700, maximized: false });
    assert.deepEqual(await readdir(dir), ['window-state.json']);
    await writeFile(file, '{"width": 900, "hei');
    assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
    assert.match(await readFile(file, 'utf8'), /hei$/, 'reading never rewrites the file');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
