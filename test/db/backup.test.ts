// The database side of backups: a copy taken while another connection (the server) holds a
// write transaction, and the checks that find a damaged copy.
import { copyFileSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import t from 'tap';
import { checkDatabaseFile, snapshotDatabase } from '../../db/backup.js';
import { openDatabase } from '../../db/connection.js';
import { createRepositories } from '../../db/repositories/index.js';
import { openTestDb } from './fixtures.js';

t.test('a copy while the server holds a write transaction: committed state only, no one waits', async (t) => {
  const { db, repos, file } = openTestDb(t);
  repos.settings.set('offices', ['before']);
  // The server: its own connection, in the middle of a write transaction.
  const server = openDatabase(file);
  t.teardown(() => server.close());
  const serverRepos = createRepositories(server);
  server.sqlite.prepare('BEGIN IMMEDIATE').run();
  serverRepos.settings.set('processes', ['during']);

  const copy = join(t.testdir(), 'copy.db');
  const started = Date.now();
  await snapshotDatabase(db, copy);
  t.ok(Date.now() - started < 4000, 'the copy did not wait for the write lock (busy_timeout is 5 s)');

  // The writer goes on and commits after the copy, as the server would.
  serverRepos.settings.set('acknowledgementTemplate', { en: 'still during' });
  server.sqlite.prepare('COMMIT').run();
  t.same(repos.settings.get('processes'), ['during'], 'the server committed');

  const snapshot = new Database(copy, { readonly: true });
  t.teardown(() => snapshot.close());
  const keys = (snapshot.prepare('SELECT key FROM settings ORDER BY key').pluck().all() as string[]);
  t.ok(keys.includes('offices'), 'what was committed before is in the copy');
  t.notOk(keys.includes('processes') || keys.includes('acknowledgementTemplate'), 'what was not committed is not');
  t.same(checkDatabaseFile(copy), [], 'the copy is sound');
});

t.test('checkDatabaseFile names what is wrong', async (t) => {
  const { db, repos } = openTestDb(t);
  repos.settings.set('retention.pending_blobs', ['y'.repeat(10_000)]);
  const dir = t.testdir();
  const good = join(dir, 'good.db');
  await snapshotDatabase(db, good);
  t.same(checkDatabaseFile(good), []);

  const damaged = join(dir, 'damaged.db');
  copyFileSync(good, damaged);
  const pageSize = 4096;
  const pages = readFileSync(damaged).length / pageSize;
  const fd = openSync(damaged, 'r+');
  // Every b-tree page header after the first page: the page types become nonsense.
  for (let p = 1; p < pages; p++) writeSync(fd, Buffer.alloc(8, 0xa5), 0, 8, p * pageSize);
  closeSync(fd);
  t.ok(checkDatabaseFile(damaged).length > 0, 'altered pages');

  const text = join(dir, 'text.db');
  writeFileSync(text, 'this is not a database, but long enough to have a header of some sort '.repeat(100));
  t.match(checkDatabaseFile(text), [/not a database/]);
  t.match(checkDatabaseFile(join(dir, 'missing.db')), [/cannot open the database/]);

  const orphans = join(dir, 'orphans.db');
  copyFileSync(good, orphans);
  const raw = new Database(orphans);
  raw.pragma('foreign_keys = OFF');
  raw.prepare("INSERT INTO report_contents (report_id, nonce, ciphertext) VALUES ('no-such-report', zeroblob(24), x'00')").run();
  raw.close();
  t.match(checkDatabaseFile(orphans), [/report_contents refers to a missing row of reports/]);
});
