import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import t from 'tap';
import { openDatabase, resolveMigrationsFolder } from '../../db/connection.js';
import { openTestDb } from './fixtures.js';

const TABLES = [
  'attachments',
  'audit_events',
  'challenges',
  'channel_members',
  'channels',
  'counters',
  'messages',
  'notes',
  'one_time_tokens',
  'report_assignees',
  'report_contents',
  'report_counts',
  'report_exclusions',
  'report_keys',
  'report_reads',
  'reports',
  'roster_entries',
  'sessions',
  'settings',
  'users',
];

t.test('migrations create every table on a fresh file', (t) => {
  const { db } = openTestDb(t);
  const tables = db.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .pluck()
    .all();
  t.same(tables, TABLES);
  const applied = db.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
  t.equal(applied, readdirSync('db/migrations').filter((name) => name.endsWith('.sql')).length);
  t.end();
});

t.test('reopening an up-to-date database applies nothing twice and keeps the data', (t) => {
  const { db, file, repos } = openTestDb(t);
  repos.settings.set('offices', ['marker']);
  db.close();
  const again = openDatabase(file);
  t.teardown(() => again.close());
  const migrations = readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => f.endsWith('.sql')).length;
  t.ok(migrations >= 5, 'the committed migrations are found');
  t.equal(again.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get(), migrations, 'every migration, once each');
  t.equal(again.sqlite.prepare("SELECT value FROM settings WHERE key = 'offices'").pluck().get(), '["marker"]');
  t.end();
});

t.test('pragmas are set on the connection', (t) => {
  const { db } = openTestDb(t);
  const pragma = (name: string): unknown => db.sqlite.pragma(name, { simple: true });
  t.equal(pragma('journal_mode'), 'wal');
  t.equal(pragma('foreign_keys'), 1);
  t.equal(pragma('secure_delete'), 1);
  t.equal(pragma('synchronous'), 2, 'FULL');
  t.equal(pragma('busy_timeout'), 5000);
  t.end();
});

t.test('a failing migration throws and leaves nothing of itself', (t) => {
  const file = join(t.testdir(), 'conflict.db');
  const raw = new Database(file);
  raw.exec('CREATE TABLE users (id TEXT)');
  raw.close();
  t.throws(() => openDatabase(file), /Failed to run the query/);
  const after = new Database(file);
  t.teardown(() => after.close());
  const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  t.same(tables, ['__drizzle_migrations', 'users'], 'nothing of the migration was kept');
  t.end();
});

t.test('transaction commits on return, rolls back on throw, and nests', (t) => {
  const { db, repos } = openTestDb(t);
  t.equal(
    db.transaction(() => {
      repos.settings.set('offices', ['a']);
      return 'done';
    }),
    'done',
  );
  t.throws(() =>
    db.transaction(() => {
      repos.settings.set('processes', ['b']);
      throw new Error('boom');
    }),
  );
  db.transaction(() => {
    repos.settings.set('noscriptText', 'c');
    t.throws(() =>
      db.transaction(() => {
        repos.settings.set('emergencyContacts', 'd');
        throw new Error('inner');
      }),
    );
  });
  t.same(repos.settings.get('offices'), ['a']);
  t.equal(repos.settings.get('processes'), undefined);
  t.equal(repos.settings.get('noscriptText'), 'c', 'the outer transaction survives an inner failure it caught');
  t.equal(repos.settings.get('emergencyContacts'), undefined);
  t.end();
});

t.test('the migrations folder is found from the sources and from the build', (t) => {
  const sourceUrl = pathToFileURL(join(process.cwd(), 'db', 'connection.ts')).href;
  t.equal(resolveMigrationsFolder(sourceUrl), join(process.cwd(), 'db', 'migrations'));

  // A build tree: dist/db/connection.js with the migrations left in db/migrations.
  const root = t.testdir({ dist: { db: {} }, db: { migrations: { meta: {} } } });
  copyFileSync('db/migrations/meta/_journal.json', join(root, 'db', 'migrations', 'meta', '_journal.json'));
  const builtUrl = pathToFileURL(join(root, 'dist', 'db', 'connection.js')).href;
  t.equal(resolveMigrationsFolder(builtUrl), join(root, 'db', 'migrations'));
  t.end();
});

t.test('a missing migrations folder is a clear error', (t) => {
  const root = t.testdir();
  mkdirSync(join(root, 'dist', 'db'), { recursive: true });
  const url = pathToFileURL(join(root, 'dist', 'db', 'connection.js')).href;
  t.throws(() => resolveMigrationsFolder(url), /database migrations not found/);
  t.end();
});
