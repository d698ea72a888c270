import t from 'tap';
import { bytes, makeUser, openTestDb } from '../fixtures.js';

t.test('one-time tokens: create, get, consume once, refuse expired', (t) => {
  const { repos } = openTestDb(t);
  const admin = makeUser(repos, 'admin', { roles: ['admin'] });
  const tokenHash = bytes(32);
  const token = repos.oneTimeTokens.create({
    tokenHash,
    kind: 'invite',
    role: 'reviewer',
    channels: ['staff'],
    username: 'zoe',
    createdBy: admin.id,
    expiresAt: '2026-11-29T16:00:00.000Z',
  });
  t.match(token, { kind: 'invite', role: 'reviewer', channels: ['staff'], username: 'zoe', createdBy: admin.id, usedAt: null });
  t.same(repos.oneTimeTokens.get(tokenHash), token);
  t.equal(repos.oneTimeTokens.get(bytes(32)), undefined);

  const used = repos.oneTimeTokens.consume(tokenHash, '2026-11-28T16:00:00.000Z');
  t.match(used, { kind: 'invite', usedAt: '2026-11-28T16:00:00.000Z', channels: ['staff'] });
  t.equal(repos.oneTimeTokens.consume(tokenHash, '2026-11-28T16:00:01.000Z'), undefined, 'used already');
  t.equal(repos.oneTimeTokens.get(tokenHash)?.usedAt, '2026-11-28T16:00:00.000Z', 'first use recorded');

  const setup = bytes(32);
  repos.oneTimeTokens.create({ tokenHash: setup, kind: 'setup', expiresAt: '2026-11-28T17:00:00.000Z' });
  t.equal(repos.oneTimeTokens.consume(setup, '2026-11-28T17:00:00.000Z'), undefined, 'expired at its expiry time');
  t.equal(repos.oneTimeTokens.get(setup)?.usedAt, null, 'an expired token stays unused');
  t.match(repos.oneTimeTokens.consume(setup, '2026-11-28T16:59:59.999Z'), { kind: 'setup', role: null, channels: null });
  t.equal(repos.oneTimeTokens.consume(bytes(32), '2026-11-28T16:00:00.000Z'), undefined, 'unknown');
  t.end();
});

t.test('one-time tokens: kinds are checked, the creator may be deleted', (t) => {
  const { repos, db } = openTestDb(t);
  const admin = makeUser(repos, 'admin', { roles: ['admin'] });
  t.throws(
    () => repos.oneTimeTokens.create({ tokenHash: bytes(32), kind: 'magic' as 'setup', expiresAt: '2026-11-29T00:00:00.000Z' }),
    /one_time_tokens_kind_valid/,
  );
  const tokenHash = bytes(32);
  repos.oneTimeTokens.create({ tokenHash, kind: 'reset', createdBy: admin.id, expiresAt: '2026-11-29T00:00:00.000Z' });
  db.sqlite.prepare('DELETE FROM users WHERE id = ?').run(admin.id);
  t.equal(repos.oneTimeTokens.get(tokenHash)?.createdBy, null);
  t.end();
});
