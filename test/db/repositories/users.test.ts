import t from 'tap';
import { makeUser, openTestDb, userInput } from '../fixtures.js';

t.test('users: create and look up', (t) => {
  const { repos } = openTestDb(t);
  t.equal(repos.users.count(), 0);
  const amal = makeUser(repos, 'amal', { roles: ['admin', 'reviewer'] });
  t.match(amal.id, /^[A-Za-z0-9_-]{22}$/, 'base64url of 16 bytes');
  t.match(amal, { username: 'amal', roles: ['admin', 'reviewer'], failedLogins: 0, lockedUntil: null, disabled: false });
  t.equal(amal.lastTotpStep, null);
  t.ok(Buffer.isBuffer(amal.salt) && amal.salt.length === 16);

  const chosen = repos.users.create(userInput('zoe', { id: 'fixed-id' }));
  t.equal(chosen.id, 'fixed-id');

  t.same(repos.users.byId(amal.id), amal);
  t.same(repos.users.byUsername('amal'), amal);
  t.same(repos.users.byKeyId(amal.keyId), amal);
  t.equal(repos.users.byId('nope'), undefined);
  t.equal(repos.users.byUsername('nope'), undefined);
  t.equal(repos.users.byKeyId('nope'), undefined);
  t.same(repos.users.list().map((user) => user.username), ['amal', 'zoe']);
  t.equal(repos.users.count(), 2);
  t.end();
});

t.test('users: usernames are unique and key material has fixed lengths', (t) => {
  const { repos } = openTestDb(t);
  makeUser(repos, 'amal');
  t.throws(() => makeUser(repos, 'amal'), /UNIQUE constraint failed: users.username/);
  t.throws(() => makeUser(repos, 'short', { salt: Buffer.alloc(15) }), /users_salt_length/);
  t.throws(() => makeUser(repos, 'short', { boxPublicKey: Buffer.alloc(31) }), /users_box_public_key_length/);
  t.end();
});

t.test('users: update', (t) => {
  const { repos } = openTestDb(t);
  const amal = makeUser(repos, 'amal');
  const locked = repos.users.update(amal.id, { failedLogins: 5, lockedUntil: '2026-11-28T17:00:00.000Z' });
  t.match(locked, { failedLogins: 5, lockedUntil: '2026-11-28T17:00:00.000Z' });
  const newKey = Buffer.alloc(32, 7);
  const reset = repos.users.update(amal.id, {
    failedLogins: 0,
    lockedUntil: null,
    disabled: true,
    boxPublicKey: newKey,
    keyId: 'new-key',
    lastTotpStep: null,
  });
  t.match(reset, { failedLogins: 0, lockedUntil: null, disabled: true, keyId: 'new-key' });
  t.same(reset?.boxPublicKey, newKey);
  t.equal(repos.users.update('nope', { disabled: true }), undefined);
  t.end();
});

t.test('users: login failures are set by username; an unknown name changes nothing', (t) => {
  const { repos, db } = openTestDb(t);
  const amal = makeUser(repos, 'amal');
  makeUser(repos, 'zoe');
  repos.users.setLoginFailures('amal', 4, '2026-11-28T17:00:00.000Z');
  t.match(repos.users.byId(amal.id), { failedLogins: 4, lockedUntil: '2026-11-28T17:00:00.000Z' });
  t.match(repos.users.byUsername('zoe'), { failedLogins: 0, lockedUntil: null }, 'only that user');
  const before = db.sqlite.prepare('SELECT * FROM users ORDER BY id').all();
  repos.users.setLoginFailures('nobody', 9, null);
  t.same(db.sqlite.prepare('SELECT * FROM users ORDER BY id').all(), before, 'no row matches a name nobody has');
  repos.users.setLoginFailures('amal', 0, null);
  t.match(repos.users.byId(amal.id), { failedLogins: 0, lockedUntil: null });
  t.end();
});

t.test('users: a TOTP step is accepted once, and only moving forward', (t) => {
  const { repos } = openTestDb(t);
  const amal = makeUser(repos, 'amal');
  t.equal(repos.users.acceptTotpStep(amal.id, 100), true, 'first code');
  t.equal(repos.users.acceptTotpStep(amal.id, 100), false, 'replayed');
  t.equal(repos.users.acceptTotpStep(amal.id, 99), false, 'older step');
  t.equal(repos.users.acceptTotpStep(amal.id, 101), true, 'next step');
  t.equal(repos.users.byId(amal.id)?.lastTotpStep, 101);
  t.equal(repos.users.acceptTotpStep('nope', 200), false, 'unknown user');
  t.end();
});
