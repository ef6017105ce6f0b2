// The end-to-end driver: every e2e test gets an `E2eApp` (a page, native-dialog stubs, a way to call
// the contract) and runs unchanged in one of two modes:
//   harness   (default) the built renderer in Debian's Chromium, the real services behind the
//             loopback WebSocket harness (tests/harness/harness.ts), a stand-in preload;
//   electron  (DIGIT_STUDIO_E2E=electron, with an Electron binary installed) the real app started
//             with playwright-core's _electron: real preload, app:// protocol, utilityProcess ML
//             process and import thread. Dialogs are answered from a JSON file the main process
//             reads only in test mode of an unpackaged app (main/electron/test-mode.ts).
// Asking for electron without a binary is an error, never a quiet fallback: a CI job that meant to
// drive the real app must not pass on the harness. Each run prints one line saying which mode ran.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { Api, CallArgs, CallName, CallResult, PreloadOnlyCall } from '../../preload/contract';
import { launchBrowser, type Browser } from './browser';
import { startHarness, type Harness } from './harness';
import { ROOT } from './renderer-build';

export type E2eMode = 'harness' | 'electron';

export interface ModeChoice {
  mode: E2eMode;
  /** The Electron executable to start (electron mode only). */
  electronBinary: string | null;
  /** For the line the run prints. */
  reason: string;
}

/**
 * The Electron executable installed with the `electron` package, or null. Never require('electron')
 * to find it: without its binary that module tries to download one.
 */
export function installedElectronBinary(root = ROOT): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  let relative: string;
  try {
    relative = readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  const binary = path.join(pkg, 'dist', relative);
  return relative && existsSync(binary) ? binary : null;
}

/** Which mode to run in, from DIGIT_STUDIO_E2E and whether an Electron binary is there. */
export function chooseE2eMode(env: NodeJS.ProcessEnv, electronBinary: string | null): ModeChoice {
  const asked = env.DIGIT_STUDIO_E2E ?? '';
  if (asked === '' || asked === 'harness') {
    const why = asked ? 'DIGIT_STUDIO_E2E=harness' : electronBinary ? 'Electron is installed; DIGIT_STUDIO_E2E=electron drives the real app' : 'no Electron binary installed';
    return { mode: 'harness', electronBinary: null, reason: `the renderer in Chromium over the WebSocket harness (${why})` };
  }
  if (asked !== 'electron') throw new Error(`DIGIT_STUDIO_E2E must be "electron" or "harness" (got "${asked}")`);
  if (!electronBinary) {
    throw new Error('DIGIT_STUDIO_E2E=electron, but no Electron binary is installed (node_modules/electron/dist): install Electron, or unset DIGIT_STUDIO_E2E to run on the harness');
  }
  return { mode: 'electron', electronBinary, reason: `the real app in Electron (${electronBinary})` };
}

/** Native dialogs, answered by the test: paths to "pick", or null for "the user canceled". */
export interface DialogStub {
  enqueue(paths: string[] | null): void;
}

export interface E2eApp {
  mode: E2eMode;
  page: Page;
  /** Problems the page reported: console errors, uncaught exceptions, CSP violations. */
  problems: string[];
  /** The app's data folder (datasets, models, runs). */
  dataDir: string;
  dialogs: DialogStub;
  /** Loads the app afresh at a place: '', 'data', 'train', 'evaluate', 'predict'. */
  open(place?: string): Promise<void>;
  /**
   * Calls the contract: through the page's window.digitStudio in Electron (the real preload and IPC),
   * straight to the harness's handlers otherwise (so it works before a page is loaded).
   */
  call<K extends Exclude<CallName, PreloadOnlyCall>>(name: K, ...args: CallArgs<K>): Promise<Awaited<CallResult<K>>>;
  /** The harness, for tests that look inside the main side (harness mode only, else null). */
  harness: Harness | null;
  /**
   * The same app seen another way (a dark theme, a taller window) for a screenshot: a second
   * browser on the harness, the same window re-themed in Electron (one instance per data folder).
   * Close it when done; closing it never closes the app.
   */
  variant(options: E2eAppOptions): Promise<E2eApp>;
  close(): Promise<void>;
}

export interface E2eAppOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
  /** Harness mode: list the shipped base model as the app does (the real app always does). */
  builtinModel?: boolean;
}

let announced = false;
function announce(choice: ModeChoice): void {
  if (announced) return;
  announced = true;
  console.log(`e2e mode: ${choice.mode} — ${choice.reason}`);
}

function callThroughPage(page: Page): E2eApp['call'] {
  return ((name: string, ...args: unknown[]) =>
    page.evaluate(
      ([n, a]) => (window as unknown as { digitStudio: Record<string, (...x: unknown[]) => Promise<unknown>> }).digitStudio[n]!(...a),
      [name, args] as [string, unknown[]],
    )) as E2eApp['call'];
}

function watchProblems(page: Page, problems: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
}

/** Starts the app in the mode chosen from the environment. */
export async function startE2eApp(options: E2eAppOptions = {}, choice = chooseE2eMode(process.env, installedElectronBinary())): Promise<E2eApp> {
  announce(choice);
  return choice.mode === 'electron' ? startElectron(choice.electronBinary!, options) : startOnHarness(options);
}

async function startOnHarness(options: E2eAppOptions): Promise<E2eApp> {
  const harness = await startHarness({ builtinModel: options.builtinModel });
  let browser: Browser;
  try {
    browser = await launchBrowser(options);
  } catch (err) {
    await harness.close();
    throw err;
  }
  return withBrowser(harness, browser);
}

/** An E2eApp over a running harness and a browser (both closed by close()). */
export function withBrowser(harness: Harness, browser: Browser, ownsHarness = true): E2eApp {
  const { page } = browser;
  return {
    mode: 'harness',
    page,
    problems: browser.problems,
    dataDir: harness.dataDir,
    dialogs: { enqueue: (paths) => harness.dialogs.enqueue(paths) },
    open: async (place = '') => {
      await page.goto(`${harness.url}${place ? `#${place}` : ''}`);
    },
    call: ((name: CallName, ...args: unknown[]) =>
      Promise.resolve((harness.services.handlers[name] as (...a: unknown[]) => unknown)(...args))) as E2eApp['call'],
    harness,
    variant: async (more) => withBrowser(harness, await launchBrowser(more), false),
    async close() {
      // Browser first, so a closing harness never answers a live page.
      await browser.close();
      if (ownsHarness) await harness.close();
    },
  };
}

/** The answers file the app's test mode reads; rewritten whole (temp + rename) on every enqueue. */
export class FileDialogStub implements DialogStub {
  private readonly answers: (string[] | null)[] = [];
  constructor(readonly file: string) {
    this.write();
  }
  enqueue(paths: string[] | null): void {
    if (paths) for (const p of paths) if (!path.isAbsolute(p)) throw new Error(`dialog answers must be absolute paths (got "${p}")`);
    this.answers.push(paths ? [...paths] : null);
    this.write();
  }
  private write(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.answers));
    // Windows refuses to replace a file another process has open for that instant (the app reading
    // it): try again a few times rather than fail the test.
    for (let attempt = 1; ; attempt++) {
      try {
        renameSync(tmp, this.file);
        return;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (attempt >= 20 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
      }
    }
  }
}

/** The environment the real app is started with: test mode, its own userData, dialog answers. */
export function electronTestEnv(base: NodeJS.ProcessEnv, dir: string): { env: Record<string, string>; userData: string; dialogsFile: string } {
  const userData = path.join(dir, 'user-data');
  const dialogsFile = path.join(dir, 'dialogs.json');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && k !== 'NODE_TEST_CONTEXT' && k !== 'NODE_OPTIONS') env[k] = v;
  Object.assign(env, { DIGIT_STUDIO_TEST: '1', DIGIT_STUDIO_TEST_USER_DATA: userData, DIGIT_STUDIO_TEST_DIALOGS: dialogsFile });
  return { env, userData, dialogsFile };
}

async function startElectron(binary: string, options: E2eAppOptions): Promise<E2eApp> {
  for (const built of ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html']) {
    if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` before the Electron end-to-end run`);
  }
  // playwright-core's Electron support, loaded only in this mode.
  const { _electron } = await import('playwright-core');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'digit-studio-electron-'));
  const { env, userData, dialogsFile } = electronTestEnv(process.env, dir);
  const dialogs = new FileDialogStub(dialogsFile);
  const electronApp = await _electron.launch({
    executablePath: binary,
    args: [ROOT],
    cwd: ROOT,
    env,
    colorScheme: options.colorScheme ?? 'light',
    timeout: 120_000,
  });
  const page = await electronApp.firstWindow();
  const problems: string[] = [];
  watchProblems(page, problems);
  await page.waitForLoadState('domcontentloaded');
  if (options.width || options.height) await page.setViewportSize({ width: options.width ?? 1280, height: options.height ?? 820 });
  await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light', reducedMotion: 'reduce' });
  const home = page.url().split('#')[0]!;
  const app: E2eApp = {
    mode: 'electron',
    page,
    problems,
    dataDir: path.join(userData, 'data'),
    dialogs,
    open: async (place = '') => {
      await page.goto(`${home}${place ? `#${place}` : ''}`);
      await page.reload(); // a change of hash alone would keep the old page
    },
    call: callThroughPage(page),
    harness: null,
    variant: async (more) => {
      const size = page.viewportSize();
      if (more.width || more.height) await page.setViewportSize({ width: more.width ?? size?.width ?? 1280, height: more.height ?? size?.height ?? 820 });
      await page.emulateMedia({ colorScheme: more.colorScheme ?? options.colorScheme ?? 'light' });
      return {
        ...app,
        async close() {
          if (size) await page.setViewportSize(size);
          await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
        },
      };
    },
    async close() {
      await electronApp.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return app;
}

export type { Api };
