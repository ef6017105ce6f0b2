// What the services need from the outside world. The Electron glue, the CLI and the end-to-end
// harness each provide these, so the same services run in all three.
import type { EventName, Events, Handlers } from '../../preload/contract';
import type { GuideOptions } from '../guide/flow';
import type { MlSpawner } from '../models/spawner';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** Native open dialogs in the app; a queue of fixture answers in tests. null = the user canceled. */
export interface DialogPort {
  openPaths(options: {
    title: string;
    /** 'files' picks one or more files, 'folder' one folder. */
    mode: 'files' | 'folder';
    multiple: boolean;
    filters: FileFilter[];
  }): Promise<string[] | null>;
  /** The native save dialog (batch prediction's "Save as CSV"): the chosen path, or null. */
  savePath(options: { title: string; defaultName: string; filters: FileFilter[] }): Promise<string | null>;
}

export interface ServicePorts {
  /** The app's data folder: datasets, models, run history. Nothing is written outside it. */
  dataDir: string;
  appVersion: string;
  dialogs: DialogPort;
  /** Pushes an event to the renderer (all windows). */
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  /** Starts an ML process (utilityProcess in the app, child_process.fork elsewhere). */
  spawnMl: MlSpawner;
  log(line: string): void;
  /** Issue 15: the system's language, spoken until the user chooses one (absent: English). */
  systemLanguage?: import('../../preload/contract').Language;
  /** Issue 15: called after the language or digits change (the app rebuilds its menu). */
  uiSettingsChanged?(settings: import('../../preload/contract').UiSettings): void;
  /** Make it yours (issue 18): test-only overrides (a tiny fine-tune); the app leaves this unset. */
  guide?: GuideOptions;
  /** The shipped base model's folder (main/models/builtin-model.ts); absent or null: none is listed. */
  builtinModelDir?: string | null;
}

export interface Services {
  handlers: Handlers;
  /** Diagnostics for fault tests: the pids of running training processes. */
  ml?: { trainingPids(): number[] };
  /** Stops ML processes and flushes state; called on quit. */
  dispose(): Promise<void>;
}
