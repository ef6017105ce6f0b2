// One end-to-end session per test file: the app in the mode tests/harness/driver.ts chooses (the
// harness with Debian's Chromium by default, the real app in Electron with DIGIT_STUDIO_E2E=electron)
// and a temp folder for generated fixtures; started before the file's tests, closed after them.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser } from './browser';
import { startE2eApp, type E2eApp, type E2eAppOptions } from './driver';
import type { Harness } from './harness';

export interface E2eSession {
  /** The app under test: page, dialogs, contract calls; the same in both modes. */
  app: E2eApp;
  /** Harness mode only (undefined in Electron mode): for tests that look inside the main side. */
  harness: Harness;
  /** Harness mode only: the Chromium the page lives in. */
  browser: Browser;
  /** A temp folder for fixtures the file generates; removed afterwards. */
  fixtureDir: string;
}

/**
 * Registers the before/after hooks and hands the started session to `ready` (which may also do
 * the file's own setup, such as importing a fixture through the UI).
 */
export function useE2eSession(ready: (session: E2eSession) => void | Promise<void>, options: E2eAppOptions = {}): void {
  let session: Partial<E2eSession> = {};
  before(async () => {
    session.fixtureDir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-e2e-'));
    const app = await startE2eApp(options);
    session.app = app;
    if (app.harness) {
      session.harness = app.harness;
      session.browser = { context: app.page.context(), page: app.page, problems: app.problems, close: () => app.close() };
    }
    await ready(session as E2eSession);
  });
  after(async () => {
    await session.app?.close();
    if (session.fixtureDir) await rm(session.fixtureDir, { recursive: true, force: true });
    session = {};
  });
}
