// `digit-studio <command>`: the headless face of the app. Every command runs the same main-side
// code the app runs; see main/cli/commands/.
import { processIo, type CliIo, type Command } from './io';
import { UserError, messageOf } from '../util/errors';
import { commands } from './commands';

const USAGE = `usage: digit-studio <command> [options]

commands:
  import <path>... [--out <file.dsb>] [--json]
  import --sheet [--rows 0123456789] <picture>... --out <file.dsb> [--json]
  train --data <path>... --out <modelDir> [--base <modelDir|builtin>] [--freeze-features]
        [--epochs N] [--batch-size N] [--learning-rate F] [--val-split F] [--augment[=true|false]]
        [--seed N] [--model seed|default] [--time-budget SECONDS] [--json]
  evaluate --model <modelDir|builtin> --data <path>... [--json]
  predict --model <modelDir|builtin> <test.csv | folder | zip | picture>...
          [--out predictions.csv] [--format kaggle|csv|json] [--json]
  read --model <modelDir|builtin> <picture>... [--json]
  export --model <modelDir|builtin> --format onnx|tfjs|web --out <path> [--json]
  export-data <dataset|builtin:train|builtin:test> --format csv|zip --out <path> [--json]

--data takes files and folders (CSV, IDX files or a folder holding them, zips, folders of digit
folders) and the built-in MNIST sets: builtin:train (60,000 digits) and builtin:test (10,000,
written by other people: for evaluation).
"builtin" is the base model shipped with the app (trained on the 60,000 MNIST training digits);
fine-tuning it (--base builtin) replays MNIST digits so it keeps reading MNIST.
A yes/no option takes --flag or --flag=true|false (yes/no, 1/0). "--" ends the options.
Ctrl-C during train stops after the current batch and saves the best model so far.

exit codes:
  0  done
  1  train was cancelled before a model was saved, or an unexpected failure
  2  bad input (an unknown option, a value out of range, a file that can't be read)
`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE.trimEnd());
    return name ? 0 : 2;
  }
  const command: Command | undefined = commands[name];
  if (!command) {
    io.err(`digit-studio: unknown command "${name}"`);
    io.err(USAGE.trimEnd());
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    // Problems with the user's input are one line and exit 2; anything else is a bug, exit 1.
    if (err instanceof UserError) {
      io.err(`digit-studio ${name}: ${err.message}`);
      return 2;
    }
    io.err(`digit-studio ${name}: ${messageOf(err)}`);
    return 1;
  }
}

/** Entry used by bin/digit-studio.js. */
export function runFromProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`digit-studio: ${messageOf(err)}\n`);
      process.exitCode = 1;
    },
  );
}
