// Where a CLI command writes. Injected so tests can run commands in-process and read the output.
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** true when stderr is a terminal: progress is drawn as a bar, otherwise printed as lines. */
  isTty: boolean;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTty: Boolean(process.stderr.isTTY),
};

/** A command returns its exit code: 0 ok, 1 failed, 2 bad input or usage. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;
