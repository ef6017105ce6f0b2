// One error type for problems the user can act on: bad input files, missing models, full disks.
// Its message is shown as it is, so it names the file and says what is wrong in plain words. The
// message comes from the catalogue (new UserError(msg('key', { file }), file), main/i18n), so it is
// in the user's language; tests/main/i18n/user-errors.test.ts keeps literal messages out.
import { msg } from '../i18n';

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
      return msg('fs.notFound', { file });
    case 'EACCES':
    case 'EPERM':
      return msg('fs.permission', { file });
    case 'EROFS':
      return msg('fs.readOnly', { file });
    case 'ENOSPC':
      return msg('fs.diskFull', { file });
    case 'EISDIR':
      return msg('fs.isFolder', { file });
    case 'ENOTDIR':
      return msg('fs.isFile', { file });
    default:
      return msg('fs.other', { file, cause: messageOf(err) });
  }
}
