// One Digit Studio at a time: two instances would share (and fight over) one data folder. A second
// launch — typically a double-clicked file — hands its files to the first and quits. The files go
// as additionalData (exact paths); the argv of the event is the fallback, since Chromium may reorder
// it or add switches.
import type { App } from 'electron';
import { fileArgsFromArgv, filesFromAdditionalData } from './open-files';

/**
 * Claims the lock, offering `files` (this launch's file arguments) to a running instance.
 * Returns false when another instance holds it: this one must quit without opening a window.
 * In the first instance, `onFiles` receives each later launch's files (possibly none: then it
 * should just bring the window forward).
 */
export function claimSingleInstance(
  app: App,
  files: string[],
  onFiles: (files: string[]) => void,
  /** process.defaultApp: launched as `electron .`, so argv[1] is the app folder. */
  defaultApp = false,
): boolean {
  if (!app.requestSingleInstanceLock({ files })) return false;
  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const forwarded =
      filesFromAdditionalData(additionalData) ??
      fileArgsFromArgv(argv, { defaultApp, cwd: workingDirectory });
    onFiles(forwarded);
  });
  return true;
}

