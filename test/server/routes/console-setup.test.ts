// One-time links: the first administrator's setup link, enrolling an invited reviewer, and a reset.
import t from 'tap';
import { fromB64u, generateRecoveryKeyPair, keyIdOf, randomBytes, toB64u } from '../../../crypto/index.js';
import { RECOVERY_KEY_SETTING } from '../../../domain/settings.js';
import { rootEntry } from '../../../server/init.js';
import { createSetupToken, SETUP_TTL_MS } from '../../../server/routes/console/setup.js';
import { totpCode } from '../../../server/totp.js';
import type { TestUser } from '../../helpers/instance.js';
import { auditOf, ConsoleClient, consoleSetup, isError, loginBody, newEnrolment, signIn, unchanged } from './console-fixtures.js';

// No recovery key yet: the first administrator makes it in the setup page.
const { app, services, clock } = await consoleSetup(t, {}, { recoveryKey: false });

const info = (token: string) => app.inject({ method: 'GET', url: `/api/setup/${token}` });
const complete = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/setup/complete', payload });
const code = (secret: string) => totpCode(secret, clock.now());

let admin: TestUser;
let adminClient: ConsoleClient;
const recovery = generateRecoveryKeyPair();

t.test('setup: the link makes the first administrator, once', async (t) => {
  const expiring = createSetupToken(services, 1000)!;
  const stale = createSetupToken(services)!;
  const token = createSetupToken(services)!;
  t.match(token, /^[A-Za-z0-9_-]{43}$/);
  t.equal(auditOf(services, 'setup.link_issued').length, 3);
  t.notOk(JSON.stringify(auditOf(services, 'setup.link_issued')).includes(token), 'the token is not in the audit trail');
  const stored = services.db.sqlite.prepare('SELECT token_hash FROM one_time_tokens').pluck().all() as Buffer[];
  t.ok(stored.some((h) => h.equals(services.keys.lookupHash(token))), 'kept as its keyed hash only');

  const res = await info(token);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { kind: 'setup', role: 'admin', roles: ['admin'], channels: ['public', 'staff'], needsRecoveryKey: true });

  clock.advance(2000);
  const invalid = isError(t, await info(expiring), 404, 'SBX_TOKEN_INVALID', 'expired');
  t.same((await info(toB64u(randomBytes(32)))).json(), invalid, 'unknown: the same answer');
  t.same((await info('not-a-token')).json(), invalid, 'malformed: the same answer');
  isError(t, await info('x'.repeat(101)), 400, 'SBX_INVALID_REQUEST', 'far too long');

  const enrol = newEnrolment('amal');
  const body = { ...enrol.body, token, totpCode: code(enrol.body.totpSecret), recoveryPublicKey: toB64u(recovery.publicKey) };
  await unchanged(t, services, 'refused enrolments', async () => {
    const wrongCode = body.totpCode === '000000' ? '000001' : '000000';
    isError(t, await complete({ ...body, totpCode: wrongCode }), 400, 'SBX_TOTP_INVALID', 'a code that does not match the secret');
    isError(t, await complete({ ...body, recoveryPublicKey: undefined }), 400, 'SBX_INVALID_REQUEST', 'no recovery key');
    isError(t, await complete({ ...body, token: toB64u(randomBytes(32)) }), 404, 'SBX_TOKEN_INVALID', 'unknown token');
    isError(t, await complete({ ...body, token: expiring }), 404, 'SBX_TOKEN_INVALID', 'expired token');
    isError(t, await complete({ ...body, salt: toB64u(randomBytes(15)) }), 400, 'SBX_INVALID_REQUEST', 'short salt');
    isError(t, await complete({ ...body, boxPublicKey: toB64u(randomBytes(33)) }), 400, 'SBX_INVALID_REQUEST', 'long public key');
    isError(t, await complete({ ...body, opslimit: 2 }), 400, 'SBX_INVALID_REQUEST', 'weaker KDF');
    isError(t, await complete({ ...body, totpSecret: 'ABC' }), 400, 'SBX_INVALID_REQUEST', 'short TOTP secret');
    isError(t, await complete({ ...body, username: 'Amal!' }), 400, 'SBX_INVALID_REQUEST', 'bad username');
    isError(t, await complete({ ...body, keyBundle: { nonce: body.keyBundle.nonce, ciphertext: toB64u(randomBytes(100)) } }), 400, 'SBX_INVALID_REQUEST', 'bundle not a padding bucket');
    isError(t, await complete({ ...body, roles: ['admin'] }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
    // A root entry for another recovery key, or one signed by a key the recovery secret does not give: refused.
    const other = generateRecoveryKeyPair();
    isError(t, await complete({ ...body, rosterRoot: rootEntry(other, '2026-12-02T10:00:00.000Z').entry }), 400, 'SBX_INVALID_REQUEST', 'a root entry for another recovery key');
    const forged = rootEntry(recovery, '2026-12-02T10:00:00.000Z').entry;
    isError(t, await complete({ ...body, rosterRoot: { entry: { ...forged.entry, at: '2026-12-03T10:00:00.000Z' }, sig: forged.sig } }), 400, 'SBX_INVALID_REQUEST', 'a root entry changed after signing');
    isError(t, await complete({ ...body, recoveryPublicKey: undefined, rosterRoot: forged }), 400, 'SBX_INVALID_REQUEST', 'a root entry without the recovery key');
  });
  t.same(services.repos.roster.entries(), [], 'no roster yet');
  const refused = await complete({ ...body, totpCode: body.totpCode === '000000' ? '000001' : '000000' });
  t.notOk(refused.body.includes(body.totpSecret) || refused.body.includes(body.authKey), 'no secret in an error');

  const root = rootEntry(recovery, '2026-12-02T10:00:00.000Z');
  const res2 = await complete({ ...body, rosterRoot: root.entry });
  t.equal(res2.statusCode, 201);
  t.same(services.repos.roster.entries(), [root.entry], 'the roster begins with the root entry the browser signed');
  const created = res2.json();
  admin = enrol.user(created.user.id);
  t.same(created.user, { id: admin.id, username: 'amal', roles: ['admin'], channels: ['public', 'staff'] });
  t.same(created.keyBundle, body.keyBundle);
  t.equal(created.boxPublicKey, body.boxPublicKey);
  const cookie = res2.cookies.find((c) => c.name === 'sbx_session')!;
  t.match(cookie, { httpOnly: true, sameSite: 'Strict' });
  adminClient = new ConsoleClient(app, `sbx_session=${cookie.value}`, admin);
  t.equal((await adminClient.get('/api/users')).statusCode, 200, 'signed in as an administrator');
  t.equal(services.repos.settings.get(RECOVERY_KEY_SETTING), toB64u(recovery.publicKey), 'the recovery key is set');
  t.match(auditOf(services, 'user.create').at(-1), { actor: `user:${admin.id}`, target: admin.id, details: { via: 'setup', roles: ['admin'] } });
  t.match(auditOf(services, 'settings.recovery_key').at(-1), { details: { keyId: keyIdOf(recovery.publicKey) } });
  t.notOk(JSON.stringify(services.repos.audit.list({ limit: 1000 })).includes(body.totpSecret), 'the TOTP secret is in no audit row');

  isError(t, await complete(body), 404, 'SBX_TOKEN_INVALID', 'the link works once');
  isError(t, await info(token), 404, 'SBX_TOKEN_INVALID', 'and then is unknown');
  isError(t, await info(stale), 404, 'SBX_TOKEN_INVALID', 'an older setup link is dead once an administrator exists');
  t.equal(createSetupToken(services), undefined, 'no new setup link either');

  // The enrolment code proved the device; it does not also log in.
  isError(t, await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'amal', authKey: body.authKey, totp: body.totpCode } }), 401, 'SBX_BAD_CREDENTIALS');
  clock.advance(30_000);
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(admin, clock) })).statusCode, 200, 'the next code logs in');
});

t.test('setup: a recovery key is refused once one is set', async (t) => {
  // The only way to get here is a second setup link racing the first; make one by hand.
  const inst2 = await consoleSetup(t);
  const token = createSetupToken(inst2.services)!;
  t.same((await inst2.app.inject({ method: 'GET', url: `/api/setup/${token}` })).json().needsRecoveryKey, false, 'init made the recovery key');
  const enrol = newEnrolment('first');
  const body = { ...enrol.body, token, totpCode: totpCode(enrol.body.totpSecret, inst2.clock.now()) };
  isError(t, await inst2.app.inject({ method: 'POST', url: '/api/setup/complete', payload: { ...body, recoveryPublicKey: toB64u(recovery.publicKey) } }), 400, 'SBX_INVALID_REQUEST');
  const ok = await inst2.app.inject({ method: 'POST', url: '/api/setup/complete', payload: body });
  t.equal(ok.statusCode, 201, 'without one it works');
  t.not(inst2.services.repos.settings.get(RECOVERY_KEY_SETTING), toB64u(recovery.publicKey), 'and the key made at init stays');

  // A user made by another process (the CLI) between the link check and the enrolment.
  const inst3 = await consoleSetup(t);
  const late = createSetupToken(inst3.services)!;
  const e3 = newEnrolment('third');
  const realCount = inst3.services.repos.users.count;
  let calls = 0;
  inst3.services.repos.users.count = () => (calls++ === 0 ? 0 : 1);
  const raced = await inst3.app.inject({ method: 'POST', url: '/api/setup/complete', payload: { ...e3.body, token: late, totpCode: totpCode(e3.body.totpSecret, inst3.clock.now()) } });
  inst3.services.repos.users.count = realCount;
  isError(t, raced, 404, 'SBX_TOKEN_INVALID', 'no second administrator');
  t.equal(inst3.services.repos.users.count(), 0, 'nothing was created');
  t.equal((await inst3.app.inject({ method: 'GET', url: `/api/setup/${late}` })).statusCode, 200, 'and the link was not used up');
  t.ok(createSetupToken(inst3.services, SETUP_TTL_MS));

  // Another request used the link between the check and the transaction.
  const realConsume = inst3.services.repos.oneTimeTokens.consume;
  inst3.services.repos.oneTimeTokens.consume = () => undefined;
  const lost = await inst3.app.inject({ method: 'POST', url: '/api/setup/complete', payload: { ...e3.body, token: late, totpCode: totpCode(e3.body.totpSecret, inst3.clock.now()) } });
  inst3.services.repos.oneTimeTokens.consume = realConsume;
  isError(t, lost, 404, 'SBX_TOKEN_INVALID', 'the race is lost like any used link');
  t.equal(inst3.services.repos.users.count(), 0);
});

t.test('link rows not made by the server are unusable', async (t) => {
  const row = (kind: 'invite' | 'reset', extra: Record<string, unknown>) => {
    const token = toB64u(randomBytes(32));
    services.repos.oneTimeTokens.create({
      tokenHash: services.keys.lookupHash(token), kind, createdAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + 3600_000).toISOString(), ...extra,
    });
    return token;
  };
  isError(t, await info(row('invite', { role: null, channels: [] })), 404, 'SBX_TOKEN_INVALID', 'an invitation without a role');
  isError(t, await info(row('invite', { role: 'reviewer', channels: null })), 404, 'SBX_TOKEN_INVALID', 'an invitation without channels');
  isError(t, await info(row('reset', { username: null })), 404, 'SBX_TOKEN_INVALID', 'a reset for nobody');
  isError(t, await info(row('reset', { username: 'ghost' })), 404, 'SBX_TOKEN_INVALID', 'a reset for a user who does not exist');
});

let zoe: TestUser;

t.test('invite: an administrator invites a reviewer, who enrols through the link', async (t) => {
  const res = await adminClient.send('POST', '/api/invites', { role: 'reviewer', channels: ['staff'], username: 'zoe' });
  t.equal(res.statusCode, 201);
  const { token, expiresAt } = res.json();
  t.equal(expiresAt, new Date(clock.now().getTime() + 7 * 24 * 3600_000).toISOString(), 'valid for 7 days');
  const event = auditOf(services, 'user.invite').at(-1)!;
  t.match(event, { actor: `user:${admin.id}`, details: { role: 'reviewer', channels: ['staff'], username: 'zoe' } });
  t.notOk(JSON.stringify(event).includes(token), 'the audit trail never holds the token');

  t.same((await info(token)).json(), { kind: 'invite', role: 'reviewer', roles: ['reviewer'], channels: ['staff'], username: 'zoe', needsRecoveryKey: false });

  const enrol = newEnrolment('zoe');
  const body = { ...enrol.body, token, totpCode: code(enrol.body.totpSecret) };
  await unchanged(t, services, 'refused invitation enrolments', async () => {
    isError(t, await complete({ ...body, username: 'zed' }), 400, 'SBX_INVALID_REQUEST', 'another username than the invitation\'s');
    isError(t, await complete({ ...body, recoveryPublicKey: toB64u(randomBytes(32)) }), 400, 'SBX_INVALID_REQUEST', 'an invitee cannot set the recovery key');
  });
  const done = await complete(body);
  t.equal(done.statusCode, 201);
  zoe = enrol.user(done.json().user.id);
  t.same(done.json().user, { id: zoe.id, username: 'zoe', roles: ['reviewer'], channels: ['staff'] });
  t.match(auditOf(services, 'user.create').at(-1), { details: { via: 'invite', invitedBy: admin.id } });
  const client = new ConsoleClient(app, `sbx_session=${done.cookies.find((c) => c.name === 'sbx_session')!.value}`, zoe);
  t.equal((await client.get('/api/reports')).statusCode, 200, 'the reviewer is signed in');
  await signIn(app, clock, zoe);
});

t.test('invite: without a fixed name the invitee chooses one; a taken name keeps the link usable', async (t) => {
  const res = await adminClient.send('POST', '/api/invites', { role: 'auditor' });
  t.equal(res.statusCode, 201);
  const { token } = res.json();
  t.same((await info(token)).json(), { kind: 'invite', role: 'auditor', roles: ['auditor'], channels: [], needsRecoveryKey: false });
  const taken = newEnrolment('zoe');
  isError(t, await complete({ ...taken.body, token, totpCode: code(taken.body.totpSecret) }), 409, 'SBX_USERNAME_TAKEN');
  t.equal((await info(token)).statusCode, 200, 'the link was not used up');
  const ok = newEnrolment('ines');
  const done = await complete({ ...ok.body, token, totpCode: code(ok.body.totpSecret) });
  t.equal(done.statusCode, 201);
  t.same(done.json().user.roles, ['auditor']);
  t.same(done.json().user.channels, []);

  const expiring = (await adminClient.send('POST', '/api/invites', { role: 'reviewer', channels: ['public'] })).json().token;
  clock.advance(7 * 24 * 3600_000 + 1);
  isError(t, await info(expiring), 404, 'SBX_TOKEN_INVALID', 'an invitation expires after 7 days');
  adminClient = await signIn(app, clock, admin);
});

t.test('reset: new keys, KDF parameters, auth key and TOTP for the same account', async (t) => {
  const zoeClient = await signIn(app, clock, zoe);
  const before = services.repos.users.byId(zoe.id)!;
  const res = await adminClient.send('POST', `/api/users/${zoe.id}/reset`, {});
  t.equal(res.statusCode, 201);
  const { token, expiresAt } = res.json();
  t.equal(expiresAt, new Date(clock.now().getTime() + 24 * 3600_000).toISOString(), 'valid for a day');
  t.match(auditOf(services, 'user.reset_link').at(-1), { actor: `user:${admin.id}`, target: zoe.id });
  t.same((await info(token)).json(), { kind: 'reset', role: 'reviewer', roles: ['reviewer'], channels: ['staff'], username: 'zoe', needsRecoveryKey: false });

  const enrol = newEnrolment('zoe', 'a brand new passphrase for zoe');
  const body = { ...enrol.body, token, totpCode: code(enrol.body.totpSecret) };
  isError(t, await complete({ ...body, username: 'zoe2' }), 400, 'SBX_INVALID_REQUEST', 'the name stays');
  const done = await complete(body);
  t.equal(done.statusCode, 201);
  t.same(done.json().user, { id: zoe.id, username: 'zoe', roles: ['reviewer'], channels: ['staff'] }, 'same id, name, roles and channels');
  const after = services.repos.users.byId(zoe.id)!;
  t.equal(after.keyId, keyIdOf(fromB64u(body.boxPublicKey, 32)), 'the new key');
  t.not(after.keyId, before.keyId);
  t.not(after.salt.toString('hex'), before.salt.toString('hex'));
  t.equal(after.createdAt, before.createdAt);
  isError(t, await zoeClient.get('/api/auth/me'), 401, 'SBX_UNAUTHENTICATED', 'sessions from before the reset end');
  t.match(auditOf(services, 'user.reset').at(-1), { actor: `user:${zoe.id}`, target: zoe.id, details: { resetBy: admin.id } });

  clock.advance(30_000);
  isError(t, await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(zoe, clock) }), 401, 'SBX_BAD_CREDENTIALS', 'the old passphrase is dead');
  zoe = enrol.user(zoe.id);
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(zoe, clock) })).statusCode, 200, 'the new one works');
  isError(t, await complete(body), 404, 'SBX_TOKEN_INVALID', 'once');

  // A reset link for a user disabled since is dead.
  const link = (await adminClient.send('POST', `/api/users/${zoe.id}/reset`, {})).json().token;
  services.repos.users.update(zoe.id, { disabled: true });
  isError(t, await info(link), 404, 'SBX_TOKEN_INVALID');
  services.repos.users.update(zoe.id, { disabled: false });
});
