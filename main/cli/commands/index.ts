// The CLI's command table. Each command lives in its own file in this folder.
import type { Command } from '../io';
import { importCommand } from './import';

export const commands: Record<string, Command> = {
  import: importCommand,
};
