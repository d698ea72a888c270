import Database from 'better-sqlite3';
import t from 'tap';
import { cacheStatements } from '../../db/connection.js';

t.test('prepare reuses statements by SQL text, resets raw mode, and stays bounded', (t) => {
  const db = new Database(':memory:');
  cacheStatements(db, 2);
  db.exec('CREATE TABLE t (a INTEGER)');
  const insert = db.prepare('INSERT INTO t (a) VALUES (?)');
  t.equal(db.prepare('INSERT INTO t (a) VALUES (?)'), insert, 'same text, same statement');
  insert.run(1);
  const select = db.prepare('SELECT a FROM t');
  select.raw();
  t.same(select.all(), [[1]], 'raw rows while raw');
  t.same(db.prepare('SELECT a FROM t').all(), [{ a: 1 }], 'a reused reader returns objects again');
  db.prepare('SELECT a + 1 AS b FROM t');
  t.not(db.prepare('INSERT INTO t (a) VALUES (?)'), insert, 'the oldest statement left the cache at its limit');
  db.close();
  t.end();
});
