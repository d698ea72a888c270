import t from 'tap';
import { bytes, makeChannel, openTestDb } from '../fixtures.js';

t.test('challenges: create, get, single use, expiry', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const salt = bytes(16);
  const challenge = repos.challenges.create({ reportId: 'r1', channelId: 'staff', salt, bits: 18, expiresAt: '2026-11-28T16:10:00.000Z' });
  t.match(challenge, { reportId: 'r1', channelId: 'staff', bits: 18, used: false });
  t.same(challenge.salt, salt);
  t.same(repos.challenges.get('r1'), challenge);
  t.equal(repos.challenges.get('nope'), undefined);

  t.equal(repos.challenges.markUsed('r1'), true, 'first use');
  t.equal(repos.challenges.markUsed('r1'), false, 'second use');
  t.equal(repos.challenges.get('r1')?.used, true);
  t.equal(repos.challenges.markUsed('nope'), false);

  repos.challenges.create({ reportId: 'r2', channelId: 'staff', salt: bytes(16), bits: 0, expiresAt: '2026-11-28T17:00:00.000Z' });
  t.equal(repos.challenges.deleteExpired('2026-11-28T16:30:00.000Z'), 1);
  t.equal(repos.challenges.get('r1'), undefined);
  t.ok(repos.challenges.get('r2'));
  t.equal(repos.challenges.deleteExpired('2026-11-28T16:30:00.000Z'), 0);
  t.end();
});

t.test('challenges: a report id is handed out once', (t) => {
  const { repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  const challenge = { reportId: 'r1', channelId: 'staff', salt: bytes(16), bits: 18, expiresAt: '2026-11-28T16:10:00.000Z' };
  repos.challenges.create(challenge);
  t.throws(() => repos.challenges.create(challenge), /UNIQUE/);
  t.throws(() => repos.challenges.create({ ...challenge, reportId: 'r2', salt: bytes(8) }), /challenges_salt_length/);
  t.end();
});
