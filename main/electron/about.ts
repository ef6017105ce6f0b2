// Help ▸ About: version, where the data lives, and the credits (MNIST: LeCun and Cortes,
// CC BY-SA 3.0), with a button to the MNIST page — one of the few links the app may open.
import { dialog, nativeImage, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
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
      'Train a convolutional network to read handwritten digits, fine-tune it on your own handwriting, and test it by drawing.',
      '',
      ...(info.dataDir ? [`Data folder: ${info.dataDir}`, ''] : []),
      'Credits:',
      ...CREDITS.map((c) => `• ${c}`),
    ].join('\n'),
  };
}

export async function showAbout(parent: BrowserWindow | null, info: AboutInfo): Promise<void> {
  const { message, detail } = aboutText(info);
  const options = {
    type: 'info' as const,
    title: `About ${info.appName}`,
    message,
    detail,
    buttons: ['OK', 'MNIST Website'],
    defaultId: 0,
    cancelId: 0,
    ...(existsSync(info.iconFile) ? { icon: nativeImage.createFromPath(info.iconFile) } : {}),
  };
  const { response } = parent && !parent.isDestroyed() ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  if (response === 1) info.openMnistPage();
}
