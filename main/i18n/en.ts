// English strings shown by the main process (menus, dialogs). The keys are the catalogue's shape:
// main/i18n/bn.ts must give every one of them (a missing key is a type error).
export const en = {
  'menu.file': '&File',
  'menu.view': '&View',
  'menu.help': '&Help',
  'menu.language': '&Language',
  'menu.importDataset': 'Import Dataset…',
  'menu.importFolder': 'Import Folder…',
  'menu.openImage': 'Open Image…',
  'menu.openRecent': 'Open Recent',
  'menu.clearRecent': 'Clear Recent',
  'menu.noRecent': 'No recent files',
  'menu.showDataDir': 'Show Data Folder',
  'menu.moveDataDir': 'Move Data Folder…',
  'menu.resetDataDir': 'Reset Data Folder…',
  'menu.about': 'About {app}',
  'menu.mnistPage': 'MNIST Dataset Website',
  'menu.showLog': 'Show Log File',
  'menu.bengaliDigits': 'Show Numbers in Bengali Digits (০–৯)',
  'dialog.allFiles': 'All files',
} as const;

export type MainKey = keyof typeof en;
export type MainCatalogue = Record<MainKey, string>;
