// The CLI's command table. Each command lives in its own file in this folder.
import type { Command } from '../io';
import { importCommand } from './import';
import { trainCommand } from './train';
import { evaluateCommand } from './evaluate';
import { predictCommand } from './predict';
import { exportCommand } from './export';
import { exportDataCommand } from './export-data';
import { readCommand } from './read';

export const commands: Record<string, Command> = {
  import: importCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  predict: predictCommand,
  export: exportCommand,
  'export-data': exportDataCommand,
  read: readCommand,
};
