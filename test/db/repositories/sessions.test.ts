import t from 'tap';
import { bytes, makeUser, openTestDb } from '../fixtures.js';

t.test('sessions: create, get, touch, delete', (t) => {
  const { repos } = openTestDb(t);
  const amal = makeUser(repos, 'amal');
  const idHash = bytes(32);
  const session = repos.sessions.create({ idHash, userId: amal.id, createdAt: '2026-11-28T16:00:00.000Z', lastSeenAt: '2026-11-28T16:00:00.000Z' });
  t.match(session, { userId: amal.id, lastSeenAt: '2026-11-28T16:00:00.000Z' });
  t.same(repos.sessions.get(Buffer.from(idHash)), session, 'found by the hash bytes');
  t.equal(repos.sessions.get(bytes(32)), undefined);

  t.equal(repos.sessions.touch(idHash, '2026-11-28T16:20:00.000Z'), true);
  t.equal(repos.sessions.get(idHash)?.lastSeenAt, '2026-11-28T16:20:00.000Z');
  t.equal(repos.sessions.touch(bytes(32), '2026-11-28T16:20:00.000Z'), false);

  t.equal(repos.sessions.delete(idHash), true);
  t.equal(repos.sessions.delete(idHash), false);
  t.equal(repos.sessions.get(idHash), undefined);

  const fresh = repos.sessions.create({ idHash: bytes(32), userId: amal.id });
  t.match(fresh.createdAt, /^\d{4}-\d\d-\d\dT/, 'times default to now');
  t.equal(fresh.lastSeenAt, fresh.createdAt);
  t.end();
});

t.test('sessions: idle and per-user deletion; a user deletion ends their sessions', (t) => {
  const { repos, db } = openTestDb(t);
  const amal = makeUser(repos, 'amal');
  const zoe = makeUser(repos, 'zoe');
  const at = (time: string) => ({ createdAt: time, lastSeenAt: time });
  repos.sessions.create({ idHash: bytes(32), userId: amal.id, ...at('2026-11-28T15:00:00.000Z') });
  repos.sessions.create({ idHash: bytes(32), userId: amal.id, ...at('2026-11-28T16:00:00.000Z') });
  const zoeSession = bytes(32);
  repos.sessions.create({ idHash: zoeSession, userId: zoe.id, ...at('2026-11-28T15:00:00.000Z') });

  t.equal(repos.sessions.deleteIdleBefore('2026-11-28T15:30:00.000Z'), 2);
  t.equal(repos.sessions.deleteIdleBefore('2026-11-28T15:30:00.000Z'), 0);
  repos.sessions.create({ idHash: zoeSession, userId: zoe.id });
  t.equal(repos.sessions.deleteForUser(amal.id), 1);
  t.equal(repos.sessions.deleteForUser(amal.id), 0);

  db.sqlite.prepare('DELETE FROM users WHERE id = ?').run(zoe.id);
  t.equal(repos.sessions.get(zoeSession), undefined, 'cascade');
  t.throws(() => repos.sessions.create({ idHash: bytes(16), userId: amal.id }), /sessions_id_hash_length/);
  t.end();
});
