// Opens the SQLite database, sets the pragmas every connection needs, and applies the migrations.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';

export type Orm = BetterSQLite3Database<typeof schema>;

export interface Db {
  /** The drizzle instance; repositories build their queries on it. */
  readonly orm: Orm;
  /** The raw better-sqlite3 handle, for pragmas and the rare statement drizzle cannot express. */
  readonly sqlite: Database.Database;
  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction: committed if it returns, rolled back if it
   * throws. Calls nest (as savepoints). better-sqlite3 is synchronous, so `fn` must be too: an
   * `await` inside would let the transaction commit before the awaited work ran.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
}

/**
 * Finds the migrations folder from the URL of the module asking for it. From the sources
 * (db/connection.ts, run by tsx or the test runner) it sits beside the module; from the build
 * (dist/db/connection.js) tsc has not copied it, so it is found back in the source tree.
 */
export function resolveMigrationsFolder(moduleUrl: string): string {
  const candidates = [new URL('./migrations', moduleUrl), new URL('../../db/migrations', moduleUrl)].map((url) =>
    fileURLToPath(url),
  );
  const found = candidates.find((dir) => existsSync(`${dir}/meta/_journal.json`));
  if (found === undefined) {
    throw new Error(`database migrations not found; looked in ${candidates.join(' and ')}`);
  }
  return found;
}

/**
 * Makes `prepare` reuse statements by their SQL text. drizzle prepares every query anew, and
 * compiling the SQL is most of the cost of a small query; the repositories' queries are a fixed
 * set of texts (values are bound parameters), so the cache stays small. drizzle switches a
 * statement to raw (array) rows for some calls, so a reused reader is switched back first.
 */
export function cacheStatements(sqlite: Database.Database, limit = 500): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached) {
      if (cached.reader) cached.raw(false);
      return cached;
    }
    const statement = prepare(source);
    // A bounded cache: a query built with a variable number of parameters (IN lists) has many texts.
    if (cache.size >= limit) cache.delete(cache.keys().next().value!);
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

/** Opens (creating if needed) the database at `file` and brings its schema up to date. */
export function openDatabase(file: string): Db {
  const sqlite = new Database(file);
  try {
    // WAL lets the console read while a submission is being written, and commits with one fsync.
    sqlite.pragma('journal_mode = WAL');
    // SQLite leaves foreign keys off unless asked, per connection; the cascades depend on them.
    sqlite.pragma('foreign_keys = ON');
    // Deleted reports (retention, manifestly irrelevant reports) are overwritten with zeros in the
    // database file instead of lingering in free pages of a disk image. (Old page images can stay
    // in the -wal file until later writes reuse it; everything stored there is ciphertext anyway.)
    sqlite.pragma('secure_delete = ON');
    // FULL, not NORMAL: in WAL mode NORMAL skips the fsync at commit, so the last transactions can
    // vanish on power loss or an OS crash even though the client already got its 201. A reporter
    // told "received" must be able to rely on it (DESIGN.md: an acknowledged submission survives
    // kill -9 and power loss), and one fsync per commit is cheap at this service's write rate.
    sqlite.pragma('synchronous = FULL');
    // Waits for another connection's write lock (the CLI beside the server) instead of failing.
    sqlite.pragma('busy_timeout = 5000');

    cacheStatements(sqlite);
    const orm = drizzle({ client: sqlite, schema });
    // drizzle's migrator runs all pending migrations in one transaction: a failed upgrade
    // leaves the previous schema in place.
    migrate(orm, { migrationsFolder: resolveMigrationsFolder(import.meta.url) });

    return {
      orm,
      sqlite,
      // IMMEDIATE takes the write lock at BEGIN. A deferred transaction that reads and then writes
      // fails with SQLITE_BUSY at once (busy_timeout cannot help) when another connection wrote in
      // between, and the audit chain's read-then-append must not interleave with anyone's.
      transaction: <T>(fn: () => T): T => sqlite.transaction(fn).immediate(),
      close: () => sqlite.close(),
    };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
