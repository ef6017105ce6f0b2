// Launches Debian's Chromium through playwright-core, with a fresh profile each time, for the
// end-to-end tests. Never downloads a browser. Also collects the page's errors (console errors,
// uncaught exceptions, CSP violations) so tests can assert the UI ran cleanly.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Debian's Chromium by default; CI runners point DIGIT_STUDIO_CHROMIUM at the Chrome they ship.
export const CHROMIUM = process.env.DIGIT_STUDIO_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Problems the page reported: console errors, uncaught exceptions, CSP violations. */
  problems: string[];
  close(): Promise<void>;
}

export async function launchBrowser(options: { colorScheme?: 'light' | 'dark'; width?: number; height?: number } = {}): Promise<Browser> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: options.width ?? 1280, height: options.height ?? 820 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go (gitignored): test-results/<name>.png. */
export function screenshotPath(name: string): string {
  return path.join(__dirname, '..', '..', 'test-results', `${name}.png`);
}
