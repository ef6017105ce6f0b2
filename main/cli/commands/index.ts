// The CLI's command table. Each command lives in its own file in this folder.
import type { Command } from '../io';
import { importCommand } from './import';
import { trainCommand } from './train';
import { evaluateCommand } from './evaluate';
import { predictCommand } from './predict';

export const commands: Record<string, Command> = {
  import: importCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  predict: predictCommand,
};
