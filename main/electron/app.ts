// The app's lifecycle: one instance, the private scheme and session hardening, the services on the
// data folder, IPC, the window and the menu; files opened from the system; a clean shutdown that
// stops the ML process and flushes state before quitting.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { eventChannel, languageForLocale, type EventName, type UiSettings } from '../../preload/contract';
import { createDispatcher, type Dispatcher } from '../ipc/dispatch';
import type { ServicePorts, Services } from '../services/ports';
import { msg, setMessageLanguage } from '../i18n';
import { messageOf } from '../util/errors';
import { showAbout } from './about';
import { APP_ID, APP_NAME } from './app-identity';
import { loadSettings, resolveDataDir } from './data-dir';
import { moveDataDirInteractively, resetDataDirInteractively, type DataDirActionDeps } from './data-dir-actions';
import { createDialogPort } from './dialogs';
import { MNIST_CREDIT_LINK, openAllowedExternal } from './external-links';
import { broadcast, createSenderCheck, registerIpc, sendOnChannel } from './ipc';
import { createLogger } from './log';
import { menuTemplate, type MenuActions } from './menu';
import { fileArgsFromArgv, openFiles } from './open-files';
import { resolveAppPaths } from './paths';
import { RecentFiles } from './recent-files';
import { hardenSession, hardenWebContents, registerAppScheme, serveRenderer } from './security';
import { ServiceHost } from './service-host';
import { claimSingleInstance } from './single-instance';
import { electronTestMode } from './test-mode';
import { createUtilitySpawner } from './utility-spawner';
import { createMainWindow } from './window';
import { loadWindowState } from './window-state';
import { builtinModelDir } from '../models/builtin-model';

export { APP_ID, APP_NAME };

/**
 * Pushed when a picture opened from the system or the menu has been predicted, so the renderer can
 * show it on the Predict page (the contract's `imageOpened` event).
 */
export const IMAGE_OPENED_CHANNEL = eventChannel('imageOpened');

export interface AppDeps {
  createServices(ports: ServicePorts): Promise<Services>;
}

export function runApp(deps: AppDeps): void {
  let log: (line: string) => void = (line) => console.log(line);
  let flushLog: () => Promise<void> = async () => undefined;
  const pendingFiles: string[] = [];
  let openNow: ((files: string[]) => void) | null = null;
  const openOrQueue = (files: string[]) => {
    if (openNow) openNow(files);
    else pendingFiles.push(...files);
  };

  // End-to-end tests of the real app give it a userData folder of their own (test-mode.ts: only
  // with DIGIT_STUDIO_TEST=1, never when packaged). First, as the single-instance lock lives there.
  const testing = electronTestMode(process.env, app.isPackaged);
  if (testing?.userData) app.setPath('userData', testing.userData);

  const launchFiles = fileArgsFromArgv(process.argv, { defaultApp: Boolean(process.defaultApp), cwd: process.cwd() });
  let mainWindow: BrowserWindow | null = null;
  const focusWindow = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };

  const onLaterLaunch = (files: string[]) => {
    focusWindow();
    if (files.length) openOrQueue(files);
  };
  if (!claimSingleInstance(app, launchFiles, onLaterLaunch, Boolean(process.defaultApp))) {
    // Another instance has our files now.
    app.quit();
    return;
  }
  pendingFiles.push(...launchFiles);
  app.setName(APP_NAME);
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  registerAppScheme();

  // Every web contents ever created gets the navigation and window.open guards.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (url) => shell.openExternal(url), (l) => log(l)));
  // macOS sends double-clicked files as events, possibly before the app is ready.
  app.on('open-file', (event, file) => {
    event.preventDefault();
    openOrQueue([file]);
  });

  let host: ServiceHost | null = null;
  let shuttingDown = false;
  app.on('before-quit', (event) => {
    if (shuttingDown || !host) return;
    event.preventDefault();
    shuttingDown = true;
    const stopping = host
      .stop()
      .catch((err: unknown) => log(`quit: ${messageOf(err)}`))
      .then(() => flushLog());
    // Never hang on quit: the ML process is killed by dispose; give it a few seconds at most.
    void Promise.race([stopping, new Promise((r) => setTimeout(r, 5000))]).then(() => app.quit());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app
    .whenReady()
    .then(async () => {
      // Messages follow the system's language until the stored choice is read (AppService).
      setMessageLanguage(languageForLocale(app.getLocale()));
      const userData = app.getPath('userData');
      const logger = await createLogger(path.join(userData, 'logs'));
      log = logger;
      flushLog = () => logger.flush();
      log(`${APP_NAME} ${app.getVersion()} starting (${process.platform}, Electron ${process.versions.electron})`);
      const paths = resolveAppPaths({ appPath: app.getAppPath(), isPackaged: app.isPackaged });
      hardenSession(session.defaultSession, log);
      serveRenderer(session.defaultSession, paths.rendererDir, log);

      const windows = new Set<BrowserWindow>();
      const contents = (): WebContents[] => [...windows].filter((w) => !w.isDestroyed()).map((w) => w.webContents);
      const isOurs = (c: WebContents) => contents().some((own) => own.id === c.id);

      let rebuildMenu = () => undefined as void;
      // Issue 15: the menu speaks the user's language: the system's until the stored choice is read.
      let ui: UiSettings = { language: null, digits: null };
      const menuLanguage = () => ui.language ?? languageForLocale(app.getLocale());
      const menuDigits = () => ui.digits ?? (menuLanguage() === 'bn' ? 'bengali' : 'latin');
      const recent = new RecentFiles(path.join(userData, 'recent-files.json'), () => rebuildMenu());
      await recent.load();
      const remember = (files: string[]) => {
        void recent.add(files);
        for (const f of files) app.addRecentDocument(f);
      };

      const portsFor = (dataDir: string): ServicePorts => ({
        dataDir,
        appVersion: app.getVersion(),
        systemLanguage: languageForLocale(app.getLocale()),
        dialogs: createDialogPort(() => mainWindow, remember, menuLanguage),
        emit: (event, payload) => broadcast(contents(), event, payload),
        spawnMl: createUtilitySpawner({ entry: paths.workerEntry, wasmDir: paths.wasmDir, log }),
        log,
        uiSettingsChanged: (next) => {
          ui = next;
          rebuildMenu();
        },
        builtinModelDir: builtinModelDir(),
      });
      const serviceHost = new ServiceHost((dataDir) => deps.createServices(portsFor(dataDir)), log);
      host = serviceHost;
      const dispatch: Dispatcher = createDispatcher(serviceHost.handlers, { log });
      registerIpc(ipcMain, dispatch, createSenderCheck(isOurs), log);

      const reportError = (message: string) => broadcast(contents(), 'appError', { message });
      const showPrediction = (value: unknown) => sendOnChannel(contents(), IMAGE_OPENED_CHANNEL, value);
      const run = (what: string, job: () => Promise<void>) =>
        void job().catch((err: unknown) => {
          log(`${what} failed: ${messageOf(err)}`);
          reportError(messageOf(err));
        });
      const callFromMenu = (job: () => ReturnType<Dispatcher>, onValue: (value: unknown) => void = () => undefined) =>
        run('menu', async () => {
          const result = await job();
          if (result.ok) onValue(result.value);
          else reportError(result.error.message);
        });
      // Files can arrive while no window is open (macOS keeps running windowless): open one first,
      // so the import's progress and the prediction have somewhere to show.
      let ensureWindow: () => Promise<void> = async () => undefined;
      const openPaths = (files: string[]) =>
        run('open files', async () => {
          await ensureWindow();
          await openFiles(files, { dispatch, showPrediction, reportError, remember, log });
        });

      const dataDirDeps: DataDirActionDeps = {
        host: serviceHost,
        userData,
        window: () => mainWindow,
        reloadRenderer: () => mainWindow?.webContents.reload(),
        log,
      };
      const openLink = (url: string) => openAllowedExternal(url, (u) => shell.openExternal(u), log);
      const actions: MenuActions = {
        importFiles: () => callFromMenu(() => dispatch('importWithDialog', [{ mode: 'files' }])),
        importFolder: () => callFromMenu(() => dispatch('importWithDialog', [{ mode: 'folder' }])),
        openImage: () => callFromMenu(() => dispatch('predictImageWithDialog', [{}]), (v) => v && showPrediction(v)),
        openRecent: (file) => openPaths([file]),
        clearRecent: () => {
          void recent.clear();
          app.clearRecentDocuments();
        },
        moveDataDir: () => run('move data folder', () => moveDataDirInteractively(dataDirDeps)),
        resetDataDir: () => run('reset data folder', () => resetDataDirInteractively(dataDirDeps)),
        showDataDir: () => serviceHost.dataDir && void shell.openPath(serviceHost.dataDir),
        showLog: () => shell.showItemInFolder(logger.file),
        about: () =>
          run('about', () =>
            showAbout(mainWindow, {
              appName: APP_NAME,
              version: app.getVersion(),
              dataDir: serviceHost.dataDir,
              iconFile: path.join(paths.resourcesDir, 'icon.png'),
              openMnistPage: () => openLink(MNIST_CREDIT_LINK),
            }),
          ),
        openMnistPage: () => openLink(MNIST_CREDIT_LINK),
        setLanguage: (language) => callFromMenu(() => dispatch('setUiSettings', [{ language }])),
        setDigits: (digits) => callFromMenu(() => dispatch('setUiSettings', [{ digits }])),
      };
      rebuildMenu = () =>
        Menu.setApplicationMenu(
          Menu.buildFromTemplate(
            menuTemplate(actions, {
              appName: APP_NAME,
              recent: recent.list(),
              isMac: process.platform === 'darwin',
              devTools: !app.isPackaged,
              language: menuLanguage(),
              digits: menuDigits(),
            }),
          ),
        );
      rebuildMenu();

      const openWindow = async (): Promise<BrowserWindow> => {
        const stateFile = path.join(userData, 'window-state.json');
        const win = createMainWindow({
          paths,
          state: await loadWindowState(stateFile),
          stateFile,
          icon: process.platform === 'linux' ? path.join(paths.resourcesDir, 'icon.png') : undefined,
          log,
        });
        windows.add(win);
        win.on('closed', () => {
          windows.delete(win);
          if (mainWindow === win) mainWindow = null;
        });
        mainWindow = win;
        return win;
      };
      app.on('activate', () => {
        if (!mainWindow) void openWindow();
      });

      const settings = await loadSettings(userData);
      const starting = serviceHost.start(resolveDataDir(userData, settings)).catch((err: unknown) => {
        log(`services: could not start: ${err instanceof Error && err.stack ? err.stack : messageOf(err)}`);
        dialog.showErrorBox(msg('app.noDataDir', { app: APP_NAME }), msg('app.noDataDirDetail', { cause: messageOf(err) }));
      });
      const loaded = (win: BrowserWindow) =>
        new Promise<void>((resolve) => {
          win.webContents.once('did-finish-load', () => resolve());
          win.webContents.once('did-fail-load', () => resolve());
        });
      const win = await openWindow();
      await Promise.all([starting, loaded(win)]);
      // The stored language (if the user chose one) now that the data folder is open.
      const stored = await dispatch('uiSettings', []);
      if (stored.ok) {
        ui = stored.value as UiSettings;
        rebuildMenu();
      }
      ensureWindow = async () => {
        if (!mainWindow || mainWindow.isDestroyed()) await loaded(await openWindow());
      };
      openNow = openPaths;
      if (pendingFiles.length) openPaths(pendingFiles.splice(0));
    })
    .catch((err: unknown) => {
      log(`startup failed: ${err instanceof Error && err.stack ? err.stack : messageOf(err)}`);
      dialog.showErrorBox(msg('app.couldNotStart', { app: APP_NAME }), messageOf(err));
      app.exit(1);
    });
}
