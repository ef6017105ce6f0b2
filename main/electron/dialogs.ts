// The native open dialogs behind the services' DialogPort. The only way (besides dropping files and
// the system's "Open with") a path reaches the app: the renderer never names one.
//
// End-to-end tests of the real app answer dialogs from a file instead (main/electron/test-mode.ts):
// only with DIGIT_STUDIO_TEST=1 and DIGIT_STUDIO_TEST_DIALOGS set, and never in a packaged build.
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import type { DialogPort } from '../services/ports';
import { electronTestMode, fileDialogPort } from './test-mode';
import type { Language } from '../../preload/contract';
import { mt } from '../i18n';

export function createDialogPort(
  parent: () => BrowserWindow | null,
  remember: (paths: string[]) => void = () => undefined,
  language: () => Language = () => 'en',
): DialogPort {
  const testing = electronTestMode(process.env, app.isPackaged);
  if (testing?.dialogsFile) return fileDialogPort(testing.dialogsFile);
  return {
    async openPaths({ title, mode, multiple, filters }) {
      const properties: OpenDialogOptions['properties'] =
        mode === 'folder' ? ['openDirectory', 'dontAddToRecent'] : ['openFile', 'dontAddToRecent'];
      if (multiple) properties.push('multiSelections');
      const options: OpenDialogOptions = {
        title,
        properties,
        // Folders can't be filtered; an empty filter list would hide everything on some platforms.
        ...(mode === 'files' && filters.length ? { filters: [...filters, { name: mt(language(), 'dialog.allFiles'), extensions: ['*'] }] } : {}),
      };
      const win = parent();
      const result = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      if (result.canceled || result.filePaths.length === 0) return null;
      remember(result.filePaths);
      return result.filePaths;
    },
    async savePath({ title, defaultName, filters }) {
      const options: SaveDialogOptions = { title, defaultPath: defaultName, filters, properties: ['createDirectory', 'showOverwriteConfirmation'] };
      const win = parent();
      const result = win && !win.isDestroyed() ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
