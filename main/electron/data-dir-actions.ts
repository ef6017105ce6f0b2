// File ▸ Move Data Folder… and File ▸ Reset Data Folder…, with their confirmations. The user's data
// is never removed without an explicit "yes": moving copies first and asks before touching the old
// folder; resetting asks, then moves the folder to the system trash (recoverable), and deletes it
// outright only after a second, explicit confirmation when there is no trash.
import { dialog, shell, type BrowserWindow, type MessageBoxOptions } from 'electron';
import { promises as fs } from 'node:fs';
import { copyDataDir, saveSettings } from './data-dir';
import type { ServiceHost } from './service-host';
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
  await ask(deps, { type, message, detail, buttons: ['OK'] });
}

export async function moveDataDirInteractively(deps: DataDirActionDeps): Promise<void> {
  const current = deps.host.dataDir;
  if (!current) return;
  const win = deps.window();
  const pick = {
    title: 'Choose where to move your Digit Studio data',
    buttonLabel: 'Move Here',
    properties: ['openDirectory', 'createDirectory', 'promptToCreate', 'dontAddToRecent'] as ('openDirectory' | 'createDirectory' | 'promptToCreate' | 'dontAddToRecent')[],
  };
  const chosen = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, pick) : await dialog.showOpenDialog(pick);
  if (chosen.canceled || !chosen.filePaths[0]) return;
  const parent = chosen.filePaths[0];
  const confirm = await ask(deps, {
    type: 'question',
    message: 'Move your data?',
    detail:
      `Your datasets, models and run history will be copied into a folder "Digit Studio Data" in ${parent}, ` +
      `and Digit Studio will use the copy from then on. A training or import in progress is stopped.\n\n` +
      `The current folder (${current}) is kept until you choose to remove it.`,
    buttons: ['Cancel', 'Copy and Switch'],
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
    await tell(deps, 'error', 'The data folder was not moved', `${messageOf(err)}\n\nDigit Studio still uses ${current}.`);
    return;
  }
  deps.log(`data folder: moved from ${current} to ${deps.host.dataDir}`);
  deps.reloadRenderer();
  const removeOld = await ask(deps, {
    type: 'question',
    message: 'Your data was copied.',
    detail: `Digit Studio now uses ${deps.host.dataDir}.\n\nDo you want to move the old folder (${current}) to the trash?`,
    buttons: ['Keep the Old Folder', 'Move Old Folder to Trash'],
    defaultId: 0,
    cancelId: 0,
  });
  if (removeOld === 1) {
    await shell.trashItem(current).catch(async (err: unknown) => {
      deps.log(`data folder: could not trash ${current}: ${messageOf(err)}`);
      await tell(deps, 'error', 'The old folder was kept', `${current} could not be moved to the trash: ${messageOf(err)}`);
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
    await tell(deps, 'error', 'The data folder was not reset', messageOf(err));
    return;
  }
  const confirm = await ask(deps, {
    type: 'warning',
    message: 'Reset the data folder?',
    detail:
      `All datasets, models and run history in ${current} will be moved to the trash, and Digit Studio ` +
      `starts again with only the built-in MNIST sets. A training or import in progress is stopped.`,
    buttons: ['Cancel', 'Reset'],
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
            message: 'The data folder could not be moved to the trash.',
            detail: `${messageOf(err)}\n\nDelete ${current} permanently instead? This can't be undone.`,
            buttons: ['Cancel', 'Delete Permanently'],
            defaultId: 0,
            cancelId: 0,
          });
          if (really !== 1) throw new Error('The reset was canceled; your data is unchanged.');
          await mustBeDataDir(current); // checked again right before deleting
          await fs.rm(current, { recursive: true, force: true });
        }
      }
      await fs.mkdir(current, { recursive: true });
      return current;
    });
  } catch (err) {
    deps.log(`data folder: reset failed: ${messageOf(err)}`);
    await tell(deps, 'error', 'The data folder was not reset', messageOf(err));
    return;
  }
  deps.log(`data folder: reset ${current}`);
  deps.reloadRenderer();
}
