import './fake-electron';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { menuTemplate, recentLabel, CREDITS, type MenuActions } from '../../../main/electron/menu';
import { aboutText } from '../../../main/electron/about';

function recorder() {
  const calls: string[] = [];
  const actions = new Proxy({} as MenuActions, {
    get: (_t, name: string) => (arg?: string) => calls.push(arg ? `${name}:${arg}` : name),
  });
  return { calls, actions };
}

type Item = { label?: string; role?: string; submenu?: Item[]; click?: () => void; enabled?: boolean; accelerator?: string };
const find = (items: Item[], label: string): Item => {
  for (const item of items) {
    if (item.label === label) return item;
    const inner = item.submenu && (() => { try { return find(item.submenu!, label); } catch { return null; } })();
    if (inner) return inner;
  }
  throw new Error(`no menu item "${label}"`);
};

test('File menu: import, open, recent files and data folder actions are wired', () => {
  const { calls, actions } = recorder();
  const template = menuTemplate(actions, { appName: 'Digit Studio', recent: ['/home/a/digits & more.zip'], isMac: false, devTools: false }) as Item[];
  for (const label of ['Import Dataset…', 'Import Folder…', 'Open Image…', 'Move Data Folder…', 'Reset Data Folder…', 'Show Data Folder', 'Clear Recent', 'About Digit Studio', 'MNIST Dataset Website', 'Show Log File']) {
    find(template, label).click!();
  }
  find(template, recentLabel('/home/a/digits & more.zip')).click!();
  assert.deepEqual(calls, [
    'importFiles', 'importFolder', 'openImage', 'moveDataDir', 'resetDataDir', 'showDataDir', 'clearRecent', 'about', 'openMnistPage', 'showLog',
    'openRecent:/home/a/digits & more.zip',
  ]);
  assert.equal(recentLabel('/home/a/digits & more.zip'), 'digits && more.zip — /home/a');
  assert.equal(find(template, 'Open Image…').accelerator, 'CmdOrCtrl+O');
});

test('the usual roles are there; dev tools only in development; macOS gets an app menu', () => {
  const { actions } = recorder();
  const roles = (t: Item[]): string[] => t.flatMap((i) => [...(i.role ? [i.role] : []), ...(i.submenu ? roles(i.submenu) : [])]);
  const linux = menuTemplate(actions, { appName: 'Digit Studio', recent: [], isMac: false, devTools: false }) as Item[];
  for (const role of ['quit', 'editMenu', 'windowMenu', 'reload', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'help']) assert.ok(roles(linux).includes(role), role);
  assert.ok(!roles(linux).includes('toggleDevTools'));
  assert.equal(find(linux, 'No recent files').enabled, false);
  const dev = menuTemplate(actions, { appName: 'Digit Studio', recent: [], isMac: false, devTools: true }) as Item[];
  assert.ok(roles(dev).includes('toggleDevTools'));
  const mac = menuTemplate(actions, { appName: 'Digit Studio', recent: [], isMac: true, devTools: false }) as Item[];
  assert.equal(mac[0]!.label, 'Digit Studio');
  assert.ok(roles(mac).includes('hide') && roles(mac).includes('close'));
});

test('About names the version and credits MNIST (LeCun and Cortes, CC BY-SA 3.0)', () => {
  const { message, detail } = aboutText({ appName: 'Digit Studio', version: '1.2.3', dataDir: '/data' });
  assert.equal(message, 'Digit Studio 1.2.3');
  assert.match(detail, /Yann LeCun and Corinna Cortes, CC BY-SA 3\.0/);
  assert.match(detail, /Data folder: \/data/);
  assert.ok(CREDITS.length >= 1);
});
