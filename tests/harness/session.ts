// One end-to-end session per test file: the harness (real services, fresh data folder), Debian's
// Chromium, and a temp folder for generated fixtures; all started before the file's tests and torn
// down after them, browser first, so a closing harness never answers a live page.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { launchBrowser, type Browser } from './browser';
import { startHarness, type Harness } from './harness';

export interface E2eSession {
  harness: Harness;
  browser: Browser;
  /** A temp folder for fixtures the file generates; removed afterwards. */
  fixtureDir: string;
}

/**
 * Registers the before/after hooks and hands the started session to `ready` (which may also do
 * the file's own setup, such as importing a fixture through the UI).
 */
export function useE2eSession(
  ready: (session: E2eSession) => void | Promise<void>,
  browserOptions: Parameters<typeof launchBrowser>[0] = {},
): void {
  let session: Partial<E2eSession> = {};
  before(async () => {
    session.fixtureDir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-e2e-'));
    session.harness = await startHarness();
    session.browser = await launchBrowser(browserOptions);
    await ready(session as E2eSession);
  });
  after(async () => {
    await session.browser?.close();
    await session.harness?.close();
    if (session.fixtureDir) await rm(session.fixtureDir, { recursive: true, force: true });
    session = {};
  });
}
