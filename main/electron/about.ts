// Help ▸ About: version, where the data lives, and the credits (MNIST: LeCun and Cortes,
// CC BY-SA 3.0), with a button to the MNIST page — one of the few links the app may open.
import { dialog, nativeImage, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { msg } from '../i18n';
import { CREDITS } from './menu';

export interface AboutInfo {
  appName: string;
  version: string;
  dataDir: string | null;
  iconFile: string;
  openMnistPage(): void;
}

export function aboutText(info: Pick<AboutInfo, 'appName' | 'version' | 'dataDir'>): { message: string; detail: string } {
  return {
    message: `${info.appName} ${info.version}`,
    detail: [
      msg('about.blurb'),
      '',
      ...(info.dataDir ? [msg('about.dataFolder', { dir: info.dataDir }), ''] : []),
      msg('about.credits'),
      ...CREDITS.map((c) => `• ${c}`),
    ].join('\n'),
  };
}

export async function showAbout(parent: BrowserWindow | null, info: AboutInfo): Promise<void> {
  const { message, detail } = aboutText(info);
  const options = {
    type: 'info' as const,
    title: msg('about.title', { app: info.appName }),
    message,
    detail,
    buttons: [msg('dialog.ok'), msg('about.mnist')],
    defaultId: 0,
    cancelId: 0,
    ...(existsSync(info.iconFile) ? { icon: nativeImage.createFromPath(info.iconFile) } : {}),
  };
  const { response } = parent && !parent.isDestroyed() ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response === 1) info.openMnistPage();
}
