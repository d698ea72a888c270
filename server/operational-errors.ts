// Conditions of the machine, not of the request, answered as such rather than as a 500: the
// database write-locked by another process (a backup tool, the CLI, an operator's sqlite3 shell)
// for longer than busy_timeout is 503 with Retry-After; a full disk, whether the blob store or
// SQLite hits it, is 507. Either way the request changed nothing and can simply be sent again.
import { HttpError } from './errors.js';

/** What a 503 asks the client to wait: about one busy_timeout (db/connection.ts). */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** better-sqlite3's SqliteError codes that mean "another connection holds the lock". */
const LOCKED = /^SQLITE_(BUSY|LOCKED)(_[A-Z]+)?$/;
/** SQLite's full disk, and the file system's (blob writes; a quota counts as full). */
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

export const databaseBusy = () =>
  new HttpError(503, 'SBX_DATABASE_BUSY', 'The database is busy (another process holds it, a backup perhaps); nothing was changed. Try again shortly.', {
    'retry-after': String(BUSY_RETRY_AFTER_SECONDS),
  });

export const insufficientStorage = () =>
  new HttpError(507, 'SBX_INSUFFICIENT_STORAGE', 'The server is out of storage; nothing of this request was kept. Try again later.');

/** The HttpError an operational failure stands for, or undefined for any other error. */
export function operationalError(error: unknown): HttpError | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  if (LOCKED.test(code)) return databaseBusy();
  if (FULL.has(code)) return insufficientStorage();
  return undefined;
}

/** The error's code, or its cause's (drizzle wraps driver errors in a DrizzleQueryError). */
export function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
