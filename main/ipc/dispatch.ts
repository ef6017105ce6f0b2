// Transport-agnostic dispatch of a call: the Electron IPC glue and the WebSocket test harness both
// hand every incoming call to the function made here, so both refuse the same things in the same
// words. A call is refused when its name is unknown or its arguments fail the contract's checks;
// otherwise the handler runs and its result (or a readable error) comes back in an envelope that
// crosses any transport unchanged.
import { CALL_NAMES, type CallError, type CallName, type Handlers } from '../../preload/contract';
import { UserError, messageOf } from '../util/errors';
import { validateCallArgs } from './validate-args';

export type DispatchResult = { ok: true; value: unknown } | { ok: false; error: CallError };
export type Dispatcher = (name: string, args: unknown[]) => Promise<DispatchResult>;

export interface DispatcherOptions {
  /** Where refusals and internal errors (with their stack) are written. */
  log?(line: string): void;
}

/** What each call does, in words, for messages about internal errors. */
const ACTIVITY: Record<CallName, string> = {
  appInfo: 'reading the app information',
  listDatasets: 'listing the datasets',
  importWithDialog: 'importing',
  importPaths: 'importing the dropped files',
  datasetSamples: 'reading the samples',
  sampleDetail: 'reading the sample',
  setDatasetIncluded: 'updating the dataset',
  removeDataset: 'removing the dataset',
  addCustomSample: 'adding your sample',
  listTasks: 'listing the tasks',
  cancelTask: 'canceling the task',
  startTraining: 'starting the training',
  currentRun: 'reading the current run',
  listRuns: 'listing the runs',
  getRun: 'reading the run',
  listModels: 'listing the models',
  setActiveModel: 'choosing the model',
  evaluate: 'starting the evaluation',
  getEvaluation: 'reading the evaluation',
  predictDrawing: 'reading your drawing',
  predictImageWithDialog: 'reading the image',
  predictPath: 'reading the image',
  predictInput: 'reading the picture with that model',
  predictDataset: 'starting to read the whole set',
  describeModel: 'reading the model\'s layers',
  inspectInput: 'looking inside the model',
  getBatchPrediction: 'reading the batch of readings',
  batchReadings: 'reading the readings',
  saveBatchPrediction: 'saving the readings',
  exportModelWithDialog: 'exporting the model',
  exportDatasetWithDialog: 'exporting the dataset',
  importModelWithDialog: 'importing the model',
  readNumberDrawing: 'reading your number',
  readNumberWithDialog: 'reading the picture',
  readNumberPath: 'reading the picture',
  readSheetWithDialog: 'reading the sheet',
  saveSheet: 'saving the sheet',
  makeSheetWithDialog: 'making the sheet',
  // Make it yours (issue 18)
  guideState: 'reading the guided flow',
  guideStart: 'starting the guided flow',
  guideAddDrawing: 'saving your drawing',
  guideSkip: 'skipping the digit',
  guideUndo: 'undoing the last drawing',
  guideUseDatasets: 'adding your datasets',
  guideCollect: 'going back to collecting',
  guideCheck: 'checking the base model',
  guideFineTune: 'fine-tuning',
  guideUseModel: 'making the model active',
  guideDismiss: 'closing the invitation',
  // Language and digits (issue 15)
  uiSettings: 'reading the language settings',
  setUiSettings: 'saving the language settings',
};

const KNOWN = new Set<string>(CALL_NAMES);
const MAX_MESSAGE = 500;

// File system errors that escaped a service unwrapped still deserve words a user understands.
const FS_WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EROFS: 'the data folder is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'a file was not found',
  EMFILE: 'too many files are open',
};

function clip(message: string): string {
  const line = message.split('\n')[0]!.trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}

/** The message the renderer sees for an error that is not a UserError. */
export function internalErrorMessage(name: CallName, err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && FS_WORDS[code]) {
    const where = typeof e?.path === 'string' ? `${e.path}: ` : '';
    return `Something went wrong while ${ACTIVITY[name]}: ${where}${FS_WORDS[code]}.`;
  }
  const detail = clip(messageOf(err)) || 'unknown error';
  return `Something went wrong while ${ACTIVITY[name]} (${detail}). The details were written to the log.`;
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatcher {
  const log = options.log ?? ((line: string) => console.error(line));

  return async (name, args) => {
    if (typeof name !== 'string' || !KNOWN.has(name)) {
      log(`ipc: refused unknown call ${JSON.stringify(String(name)).slice(0, 100)}`);
      return { ok: false, error: { message: `Unknown call "${String(name).slice(0, 100)}".` } };
    }
    const call = name as CallName;
    let checked: unknown[];
    try {
      checked = validateCallArgs(call, Array.isArray(args) ? args : (args as never));
    } catch (err) {
      log(`ipc: refused ${call}: ${messageOf(err)}`);
      return { ok: false, error: { message: clip(messageOf(err)) } };
    }
    const handler = handlers[call] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof handler !== 'function') {
      log(`ipc: no handler for ${call}`);
      return { ok: false, error: { message: `"${call}" is not available in this version of the app.` } };
    }
    try {
      const value = await handler.apply(handlers, checked);
      return { ok: true, value };
    } catch (err) {
      if (err instanceof UserError) return { ok: false, error: { message: err.message || 'The request could not be completed.' } };
      log(`ipc: ${call} failed: ${err instanceof Error && err.stack ? err.stack : messageOf(err)}`);
      return { ok: false, error: { message: internalErrorMessage(call, err) } };
    }
  };
}
