// File ▸ Move Data Folder… and File ▸ Reset Data Folder…, with their confirmations. The user's data
// is never removed without an explicit "yes": moving copies first and asks before touching the old
// folder; resetting asks, then moves the folder to the system trash (recoverable), and deletes it
// outright only after a second, explicit confirmation when there is no trash.
import { dialog, shell, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { promises as fs } from 'node:fs';
import { copyDataDir, saveSettings } from './data-dir';
import type { ServiceHost } from './service-host';
import { msg } from '../i18n';
import { messageOf } from '../util/errors';
import { mustBeDataDir } from '../services/data-dir-marker';

export interface DataDirActionDeps {
  host: ServiceHost;
  userData: string;
  window(): BrowserWindow | null;
  /** Reloads the renderer so it shows the data of the new folder. */
  reloadRenderer(): void;
  log(line: string): void;
}

async function ask(deps: DataDirActionDeps, options: MessageBoxOptions): Promise<number> {
  const win = deps.window();
  const result = win && !win.isDestroyed() ? await dialog.showMessageBox(win, options) : await dialog.showMessageBox(options);
  return result.response;
}

async function tell(deps: DataDirActionDeps, type: 'info' | 'error', message: string, detail: string): Promise<void> {
  await ask(deps, { type, message, detail, buttons: [msg('dialog.ok')] });
}

export async function moveDataDirInteractively(deps: DataDirActionDeps): Promise<void> {
  const current = deps.host.dataDir;
  if (!current) return;
  const win = deps.window();
  const pick = {
    title: msg('dataDir.chooseTitle'),
    buttonLabel: msg('dataDir.moveHere'),
    properties: ['openDirectory', 'createDirectory', 'promptToCreate', 'dontAddToRecent'] as ('openDirectory' | 'createDirectory' | 'promptToCreate' | 'dontAddToRecent')[],
  };
  const chosen = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, pick) : await dialog.showOpenDialog(pick);
  if (chosen.canceled || !chosen.filePaths[0]) return;
  const parent = chosen.filePaths[0];
  const confirm = await ask(deps, {
    type: 'question',
    message: msg('dataDir.moveAsk'),
    detail: msg('dataDir.moveDetail', { parent, current }),
    buttons: [msg('dialog.cancel'), msg('dataDir.copyAndSwitch')],
    defaultId: 1,
    cancelId: 0,
  });
  if (confirm !== 1) return;
  try {
    await deps.host.restart(async () => {
      const target = await copyDataDir(current, parent);
      await saveSettings(deps.userData, { dataDir: target });
      return target;
    });
  } catch (err) {
    deps.log(`data folder: move failed: ${messageOf(err)}`);
    await tell(deps, 'error', msg('dataDir.notMoved'), msg('dataDir.stillUses', { cause: messageOf(err), current }));
    return;
  }
  deps.log(`data folder: moved from ${current} to ${deps.host.dataDir}`);
  deps.reloadRenderer();
  const removeOld = await ask(deps, {
    type: 'question',
    message: msg('dataDir.copied'),
    detail: msg('dataDir.copiedDetail', { dir: deps.host.dataDir ?? '', current }),
    buttons: [msg('dataDir.keepOld'), msg('dataDir.trashOld')],
    defaultId: 0,
    cancelId: 0,
  });
  if (removeOld === 1) {
    await shell.trashItem(current).catch(async (err: unknown) => {
      deps.log(`data folder: could not trash ${current}: ${messageOf(err)}`);
      await tell(deps, 'error', msg('dataDir.oldKept'), msg('dataDir.notTrashed', { dir: current, cause: messageOf(err) }));
    });
  }
}

export async function resetDataDirInteractively(deps: DataDirActionDeps): Promise<void> {
  const current = deps.host.dataDir;
  if (!current) return;
  // Its path comes from settings.json: never delete a folder that is not ours.
  try {
    await mustBeDataDir(current);
  } catch (err) {
    deps.log(`data folder: reset refused: ${messageOf(err)}`);
    await tell(deps, 'error', msg('dataDir.notReset'), messageOf(err));
    return;
  }
  const confirm = await ask(deps, {
    type: 'warning',
    message: msg('dataDir.resetAsk'),
    detail: msg('dataDir.resetDetail', { dir: current }),
    buttons: [msg('dialog.cancel'), msg('dataDir.reset')],
    defaultId: 0,
    cancelId: 0,
  });
  if (confirm !== 1) return;
  try {
    await deps.host.restart(async () => {
      const exists = await fs.stat(current).then(() => true, () => false);
      if (exists) {
        try {
          await shell.trashItem(current);
        } catch (err) {
          const really = await ask(deps, {
            type: 'warning',
            message: msg('dataDir.trashFailed'),
            detail: msg('dataDir.deleteAsk', { cause: messageOf(err), dir: current }),
            buttons: [msg('dialog.cancel'), msg('dataDir.deletePermanently')],
            defaultId: 0,
            cancelId: 0,
          });
          if (really !== 1) throw new Error(msg('dataDir.resetCanceled'));
          await mustBeDataDir(current); // checked again right before deleting
          await fs.rm(current, { recursive: true, force: true });
        }
      }
      await fs.mkdir(current, { recursive: true });
      return current;
    });
  } catch (err) {
    deps.log(`data folder: reset failed: ${messageOf(err)}`);
    await tell(deps, 'error', msg('dataDir.notReset'), messageOf(err));
    return;
  }
  deps.log(`data folder: reset ${current}`);
  deps.reloadRenderer();
}
