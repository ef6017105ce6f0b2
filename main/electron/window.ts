// The app's one window. Security options are fixed here and nowhere else (tests check them
// exactly): an isolated, sandboxed renderer without Node, with web security on, and only our
// preload. Its size and position are remembered between runs.
import { app, BrowserWindow, screen, type WebPreferences } from 'electron';
import { APP_INDEX_URL } from './app-protocol';
import { APP_NAME } from './app-identity';
import type { AppPaths } from './paths';
import { fitToDisplays, saveWindowState, MIN_WINDOW_SIZE, type WindowState } from './window-state';

/** The exact webPreferences of every window (the preload path is added per window). */
export const SECURE_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  // A file dropped outside the drop zones must not replace the app with the file's contents.
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

export interface MainWindowOptions {
  paths: AppPaths;
  state: WindowState;
  stateFile: string;
  /** Window icon (Linux and Windows; macOS uses the bundle's). */
  icon?: string;
  log(line: string): void;
}

const SAVE_DELAY_MS = 400;
/** Renderer crashes in a row after which we stop reloading it automatically. */
const MAX_QUICK_RELOADS = 3;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { paths, log } = options;
  const state = fitToDisplays(
    options.state,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    width: state.width,
    height: state.height,
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    title: APP_NAME,
    backgroundColor: '#1d1f24',
    ...(options.icon ? { icon: options.icon } : {}),
    // DevTools only in development: in a packaged build they are off, not just missing from the menu.
    webPreferences: { ...SECURE_WEB_PREFERENCES, devTools: !app.isPackaged, preload: paths.preload },
  });

  win.once('ready-to-show', () => {
    if (state.maximized) win.maximize();
    win.show();
  });

  // Remember the window as it is when not maximized, so un-maximizing next time restores it.
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    saveWindowState(options.stateFile, { ...bounds, maximized: win.isMaximized() }).catch((err: unknown) =>
      log(`window: could not save its size and position: ${String(err)}`),
    );
  };
  const saveSoon = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  };
  win.on('resize', saveSoon);
  win.on('move', saveSoon);
  win.on('maximize', saveSoon);
  win.on('unmaximize', saveSoon);
  win.on('close', save);

  // A crashed renderer is reloaded: long jobs run in main and the ML process, so the reloaded page
  // reattaches to them. A renderer that keeps crashing is left alone (and the crash is logged).
  let quickReloads = 0;
  let lastCrash = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    log(`window: renderer gone (${details.reason}, exit code ${details.exitCode})`);
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    const now = Date.now();
    quickReloads = now - lastCrash < 60_000 ? quickReloads + 1 : 1;
    lastCrash = now;
    if (quickReloads <= MAX_QUICK_RELOADS) win.webContents.reload();
  });

  void win.loadURL(APP_INDEX_URL).catch((err: unknown) => log(`window: could not load the renderer: ${String(err)}`));
  return win;
}
