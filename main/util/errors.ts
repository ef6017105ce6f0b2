// One error type for problems the user can act on: bad input files, missing models, full disks.
// Its message is shown as it is, so it names the file and says what is wrong in plain words.
export class UserError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A readable one-line message for any thrown value. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

/** Describes common filesystem errors in words a user understands. */
export function describeFsError(err: unknown, file: string): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `${file}: not found`;
    case 'EACCES':
    case 'EPERM':
      return `${file}: permission denied`;
    case 'EROFS':
      return `${file}: the folder is read-only`;
    case 'ENOSPC':
      return `${file}: the disk is full`;
    case 'EISDIR':
      return `${file}: is a folder, not a file`;
    case 'ENOTDIR':
      return `${file}: is a file, not a folder`;
    default:
      return `${file}: ${messageOf(err)}`;
  }
}
