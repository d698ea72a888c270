// The database side of backups: a consistent copy taken while the server runs, and the checks a
// copy must pass before it is restored.
import Database from 'better-sqlite3';
import type { Db } from './connection.js';

/** Copies every page in one step (better-sqlite3 caps a step at 2^31 - 1 pages). */
const ALL_PAGES = 0x7fffffff;

/**
 * Writes a consistent copy of the database to `destination` (a new file) with SQLite's online
 * backup API. The copy is made in one step, inside one read transaction: in WAL mode it sees one
 * committed state and blocks no writer, so the server goes on accepting reports. In steps of a few
 * pages instead, every commit by the server in between would restart the copy from the start.
 */
export async function snapshotDatabase(db: Db, destination: string): Promise<void> {
  await db.sqlite.backup(destination, { progress: () => ALL_PAGES });
}

/**
 * Checks a database file: SQLite's `integrity_check` (pages, indexes, constraints) and
 * `foreign_key_check`. Returns what is wrong, or an empty list. The file must exist.
 */
export function checkDatabaseFile(file: string): string[] {
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { fileMustExist: true });
  } catch (error) {
    return [`cannot open the database: ${(error as Error).message}`];
  }
  try {
    const integrity = sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const problems = integrity.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length > 0) return problems;
    const orphans = sqlite.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
    return orphans.map((o) => `row ${o.rowid} of ${o.table} refers to a missing row of ${o.parent}`);
  } catch (error) {
    // A file that is not a database at all fails at the first read.
    return [(error as Error).message];
  } finally {
    sqlite.close();
  }
}
