import t from 'tap';
import { GroupCommit } from '../../server/group-commit.js';
import { openDatabase } from '../../db/connection.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

t.test('writes that arrive together share a commit; a failing one rolls back alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-gc-'));
  const db = openDatabase(join(dir, 'x.db'));
  t.teardown(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  db.sqlite.exec('CREATE TABLE t (v INTEGER UNIQUE)');
  const insert = db.sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const gc = new GroupCommit(db);
  const results = await Promise.allSettled([1, 2, 2, 3].map((v) => gc.run(() => {
    insert.run(v);
    return v * 10;
  })));
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  t.same(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])), [10, 20, 30]);
  t.same(db.sqlite.prepare('SELECT v FROM t ORDER BY v').pluck().all(), [1, 2, 3], 'the duplicate alone rolled back');
  // A later batch is a new transaction.
  t.equal(await gc.run(() => insert.run(4).changes), 1);
});

t.test('when the shared commit itself fails, every caller hears it', async (t) => {
  const failing = { transaction: () => { throw new Error('disk gone'); } } as unknown as ConstructorParameters<typeof GroupCommit>[0];
  const gc = new GroupCommit(failing);
  const results = await Promise.allSettled([gc.run(() => 1), gc.run(() => 2)]);
  t.same(results.map((r) => r.status), ['rejected', 'rejected']);
  t.match((results[0] as PromiseRejectedResult).reason.message, 'disk gone');
});
