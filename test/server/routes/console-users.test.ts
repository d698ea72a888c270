// Administering users: the list, invitations' rules, roles, channels, disabling, reset links.
import t from 'tap';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, quietUser, signIn, unchanged } from './console-fixtures.js';

const { app, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const ines = quietUser(services, 'ines', ['auditor'], []);
const admin = await signIn(app, clock, amal);
const patchUser = (id: string, body: unknown) => admin.send('PATCH', `/api/users/${id}`, body);

t.test('the user list', async (t) => {
  const res = await admin.get('/api/users');
  t.equal(res.statusCode, 200);
  const users = res.json().users;
  t.same(users.map((u: { username: string }) => u.username), ['amal', 'ines', 'zoe']);
  t.match(users[2], { id: zoe.id, username: 'zoe', roles: ['reviewer'], channels: ['staff'], disabled: false, keyId: zoe.keyId, createdAt: clock.now().toISOString().slice(0, 4) });
  t.same(Object.keys(users[0]).sort(), ['channels', 'createdAt', 'disabled', 'id', 'keyId', 'roles', 'username']);
  t.notOk(/authVerifier|salt|totp|keyBundle/i.test(res.body), 'nothing secret or key-related beyond the key id');

  const reviewer = await signIn(app, clock, zoe);
  isError(t, await reviewer.get('/api/users'), 403, 'SBX_FORBIDDEN');
  isError(t, await reviewer.send('PATCH', `/api/users/${zoe.id}`, { roles: ['admin'] }), 403, 'SBX_FORBIDDEN', 'no promoting oneself');
  isError(t, await reviewer.send('POST', '/api/invites', { role: 'admin' }), 403, 'SBX_FORBIDDEN');
  isError(t, await reviewer.send('POST', `/api/users/${amal.id}/reset`, {}), 403, 'SBX_FORBIDDEN');
  isError(t, await app.inject({ method: 'GET', url: '/api/users' }), 401, 'SBX_UNAUTHENTICATED');
});

t.test('disabling a user ends their sessions and their place among recipients', async (t) => {
  const reviewer = await signIn(app, clock, zoe);
  const res = await patchUser(zoe.id, { disabled: true });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { id: zoe.id, disabled: true, channels: ['staff'] });
  isError(t, await reviewer.get('/api/auth/me'), 401, 'SBX_UNAUTHENTICATED');
  t.equal(services.db.sqlite.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(zoe.id), 0, 'no session rows left');
  t.same(services.repos.channels.members('staff').map((m) => m.username), ['amal'], 'new reports are not sealed to a disabled user');
  t.match(auditOf(services, 'user.update').at(-1), { actor: `user:${amal.id}`, target: zoe.id, details: { disabled: [false, true] } });
  t.equal((await patchUser(zoe.id, { disabled: false })).json().disabled, false);
  t.equal((await signIn(app, clock, zoe)).cookie.length > 20, true, 'and can sign in again once enabled');
});

t.test('roles and channels', async (t) => {
  const promoted = (await patchUser(zoe.id, { roles: ['reviewer', 'admin'], channels: ['staff', 'public', 'staff'] })).json();
  t.same(promoted.roles, ['reviewer', 'admin']);
  t.same(promoted.channels, ['public', 'staff']);
  t.same(auditOf(services, 'user.update').at(-1)!.details, { roles: [['reviewer'], ['reviewer', 'admin']], channels: [['staff'], ['public', 'staff']] });

  await unchanged(t, services, 'refused changes', async () => {
    isError(t, await patchUser(zoe.id, { channels: ['nowhere'] }), 400, 'SBX_INVALID_REQUEST', 'unknown channel');
    isError(t, await patchUser(zoe.id, { roles: ['auditor'] }), 400, 'SBX_INVALID_REQUEST', 'an auditor keeping channels');
    isError(t, await patchUser(ines.id, { channels: ['staff'] }), 400, 'SBX_INVALID_REQUEST', 'an auditor joining a channel');
    isError(t, await patchUser(zoe.id, { roles: [] }), 400, 'SBX_INVALID_REQUEST', 'no role');
    isError(t, await patchUser(zoe.id, { roles: ['owner'] }), 400, 'SBX_INVALID_REQUEST', 'not a role');
    isError(t, await patchUser(zoe.id, { username: 'zed' }), 400, 'SBX_INVALID_REQUEST', 'the name never changes');
    isError(t, await patchUser(amal.id, { disabled: true }), 400, 'SBX_INVALID_REQUEST', 'an administrator disabling themselves');
    isError(t, await patchUser(amal.id, { roles: ['reviewer'] }), 400, 'SBX_INVALID_REQUEST', 'an administrator demoting themselves');
    isError(t, await patchUser('AAAAAAAAAAAAAAAAAAAAAA', { disabled: true }), 404, 'SBX_NOT_FOUND', 'no such user');
    isError(t, await patchUser('short', { disabled: true }), 400, 'SBX_INVALID_REQUEST', 'not a user id');
  });

  const demoted = (await patchUser(zoe.id, { roles: ['auditor'], channels: [] })).json();
  t.match(demoted, { roles: ['auditor'], channels: [] }, 'with the channels left, an auditor is fine');
  t.equal((await patchUser(amal.id, { channels: ['staff'] })).statusCode, 200, 'an administrator may change their own channels');

  const events = auditOf(services, 'user.update').length;
  t.equal((await patchUser(zoe.id, { roles: ['auditor'], disabled: false, channels: [] })).statusCode, 200);
  t.equal((await patchUser(zoe.id, {})).statusCode, 200);
  t.equal(auditOf(services, 'user.update').length, events, 'no change, no audit');
  await patchUser(zoe.id, { roles: ['reviewer'], channels: ['staff'] });
});

t.test('invitation rules', async (t) => {
  await unchanged(t, services, 'refused invitations', async () => {
    isError(t, await admin.send('POST', '/api/invites', { role: 'reviewer', channels: ['nowhere'] }), 400, 'SBX_INVALID_REQUEST', 'unknown channel');
    isError(t, await admin.send('POST', '/api/invites', { role: 'auditor', channels: ['staff'] }), 400, 'SBX_INVALID_REQUEST', 'an auditor with channels');
    isError(t, await admin.send('POST', '/api/invites', { role: 'reviewer', username: 'zoe' }), 409, 'SBX_USERNAME_TAKEN', 'a taken name');
    isError(t, await admin.send('POST', '/api/invites', { role: 'reviewer', username: 'Zoe Smith' }), 400, 'SBX_INVALID_REQUEST', 'not a username');
    isError(t, await admin.send('POST', '/api/invites', { role: 'owner' }), 400, 'SBX_INVALID_REQUEST', 'not a role');
    isError(t, await admin.send('POST', '/api/invites', { role: 'reviewer', token: 'mine' }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
  });
  const res = await admin.send('POST', '/api/invites', { role: 'admin', channels: ['public', 'public'] });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { token: /^[A-Za-z0-9_-]{43}$/, expiresAt: String });
  t.match(auditOf(services, 'user.invite').at(-1)!.details, { role: 'admin', channels: ['public'], username: null });
});

t.test('reset links', async (t) => {
  isError(t, await admin.send('POST', '/api/users/AAAAAAAAAAAAAAAAAAAAAA/reset', {}), 404, 'SBX_NOT_FOUND');
  services.repos.users.update(zoe.id, { disabled: true });
  isError(t, await admin.send('POST', `/api/users/${zoe.id}/reset`, {}), 409, 'SBX_USER_DISABLED');
  services.repos.users.update(zoe.id, { disabled: false });
  isError(t, await admin.send('POST', `/api/users/${zoe.id}/reset`, { now: true }), 400, 'SBX_INVALID_REQUEST', 'the body is an empty object');
  const res = await admin.send('POST', `/api/users/${zoe.id}/reset`, {});
  t.equal(res.statusCode, 201);
  const event = auditOf(services, 'user.reset_link').at(-1)!;
  t.match(event, { target: zoe.id });
  t.notOk(JSON.stringify(event).includes(res.json().token), 'the audit trail never holds the token');
});
