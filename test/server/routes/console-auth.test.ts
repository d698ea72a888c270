// Signing in and out of the console: KDF parameters, login and its failures, throttling, the
// session cookie and its idle timeout, logout and the signed-in user.
import t from 'tap';
import { openKeyBundle, PARAMS, randomBytes, toB64u } from '../../../crypto/index.js';
import type { FastifyRequest } from 'fastify';
import { LoginThrottle, MAX_WAIT_MS, waitAfter } from '../../../server/routes/console/login-throttle.js';
import { signedIn } from '../../../server/routes/console/session.js';
import { totpCode } from '../../../server/totp.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, ConsoleClient, consoleSetup, isError, loginBody, signIn } from './console-fixtures.js';

const { app, services, clock } = await consoleSetup(t, { trustProxy: true });
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);

const login = (payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: payload as Record<string, unknown>, headers });
const resetThrottle = () => {
  for (const u of [amal, zoe]) services.repos.users.update(u.id, { failedLogins: 0, lockedUntil: null });
};

t.test('params: a real user\'s salt, and a stable made-up one for unknown names', async (t) => {
  const params = (username: unknown) => app.inject({ method: 'POST', url: '/api/auth/params', payload: { username } });
  const known = await params('amal');
  t.equal(known.statusCode, 200);
  const user = services.repos.users.byUsername('amal')!;
  t.same(known.json(), { salt: toB64u(user.salt), opslimit: user.opslimit, memlimit: user.memlimit });

  const unknown = await params('nobody');
  t.equal(unknown.statusCode, 200);
  t.same(unknown.json(), { salt: toB64u(services.keys.fakeSalt('nobody')), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit });
  t.same((await params('nobody')).json(), unknown.json(), 'the same every time, like a real salt');
  t.not((await params('nobody2')).json().salt, unknown.json().salt, 'and different per name');
  t.same(Object.keys(unknown.json()).sort(), Object.keys(known.json()).sort(), 'the same shape');

  isError(t, await params(''), 400, 'SBX_INVALID_REQUEST', 'empty name');
  isError(t, await params('x'.repeat(65)), 400, 'SBX_INVALID_REQUEST', 'too long');
  isError(t, await params(7), 400, 'SBX_INVALID_REQUEST', 'not a string');
  isError(t, await app.inject({ method: 'POST', url: '/api/auth/params', payload: { username: 'amal', extra: 1 } }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
  isError(t, await app.inject({ method: 'POST', url: '/api/auth/params', payload: '{"username":', headers: { 'content-type': 'application/json' } }), 400, 'SBX_INVALID_JSON', 'bad JSON');
  isError(t, await app.inject({ method: 'POST', url: '/api/auth/params', payload: `{"username":"${'x'.repeat(2000)}"}`, headers: { 'content-type': 'application/json' } }), 413, 'SBX_TOO_LARGE');
});

t.test('login: the key bundle, the user and an HttpOnly, SameSite=Strict session cookie', async (t) => {
  clock.advance(30_000);
  const res = await login(loginBody(amal, clock));
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.same(body.user, { id: amal.id, username: 'amal', roles: ['admin'], channels: ['public', 'staff'] });
  t.equal(body.boxPublicKey, toB64u(amal.secrets.box.publicKey));
  const opened = openKeyBundle(amal.keys.wrapKey, 'amal', body.keyBundle);
  t.same(opened.box.secretKey, amal.secrets.box.secretKey, 'the bundle opens with the wrap key and holds the secret keys');

  const cookie = res.cookies.find((c) => c.name === 'sbx_session')!;
  t.match(cookie.value, /^[A-Za-z0-9_-]{43}$/, '32 random bytes in base64url');
  t.match(cookie, { httpOnly: true, sameSite: 'Strict', path: '/' });
  t.notOk(cookie.secure, 'not Secure over plain http (localhost, onion)');
  t.notOk(cookie.maxAge ?? cookie.expires, 'a session cookie: gone when the browser closes');
  const stored = services.db.sqlite.prepare('SELECT id_hash FROM sessions').pluck().all() as Buffer[];
  t.ok(stored.some((h) => h.equals(services.keys.lookupHash(cookie.value))), 'stored as its keyed hash');
  t.notOk(stored.some((h) => h.toString('base64url') === cookie.value), 'never as the id itself');

  const events = auditOf(services, 'auth.login');
  t.match(events.at(-1), { actor: `user:${amal.id}`, target: amal.id });
  t.equal(services.repos.users.byId(amal.id)!.lastTotpStep, Math.floor(clock.now().getTime() / 30_000), 'the code\'s step is used up');
});

t.test('login over HTTPS sets a Secure cookie', async (t) => {
  clock.advance(30_000);
  const res = await login(loginBody(zoe, clock), { 'x-forwarded-proto': 'https' });
  t.equal(res.statusCode, 200);
  t.equal(res.cookies.find((c) => c.name === 'sbx_session')!.secure, true);
});

t.test('login: every failure looks the same', async (t) => {
  resetThrottle();
  clock.advance(30_000);
  const failures: Record<string, unknown> = {};
  const wrongKey = { ...loginBody(amal, clock), authKey: toB64u(randomBytes(32)) };
  failures['wrong passphrase'] = await login(wrongKey);
  const wrongCode = loginBody(amal, clock);
  wrongCode.totp = wrongCode.totp === '000000' ? '000001' : '000000';
  failures['wrong TOTP'] = await login(wrongCode);
  resetThrottle();

  const good = loginBody(amal, clock);
  t.equal((await login(good)).statusCode, 200, 'the right code once');
  failures['replayed TOTP'] = await login(good);
  const previous = { ...good, totp: totpCode(amal.totpSecret, new Date(clock.now().getTime() - 30_000)) };
  failures['an older code still inside the window'] = await login(previous);
  resetThrottle();

  failures['unknown user'] = await login({ ...loginBody(amal, clock), username: 'nobody' });
  services.repos.users.update(zoe.id, { disabled: true });
  failures['disabled user'] = await login(loginBody(zoe, clock));
  services.repos.users.update(zoe.id, { disabled: false });
  resetThrottle();

  const first = failures['wrong passphrase'] as Awaited<ReturnType<typeof login>>;
  const body = isError(t, first, 401, 'SBX_BAD_CREDENTIALS');
  for (const [what, res] of Object.entries(failures)) {
    const r = res as typeof first;
    t.equal(r.statusCode, 401, `${what}: 401`);
    t.same(r.json(), body, `${what}: the same body`);
    t.notOk(r.cookies.some((c) => c.name === 'sbx_session'), `${what}: no cookie`);
  }

  const failed = auditOf(services, 'auth.login_failed');
  t.ok(failed.some((e) => e.target === 'nobody'), 'the attempted name is the target, known or not');
  const text = JSON.stringify(failed);
  t.notOk(text.includes(wrongKey.authKey) || text.includes(good.authKey), 'no auth key in the audit trail');
});

t.test('login: bad requests are 400 and change nothing', async (t) => {
  clock.advance(30_000);
  const good = loginBody(amal, clock);
  isError(t, await login({ ...good, authKey: toB64u(randomBytes(31)) }), 400, 'SBX_INVALID_REQUEST', 'short auth key');
  isError(t, await login({ ...good, authKey: `${good.authKey}=` }), 400, 'SBX_INVALID_REQUEST', 'padded base64');
  isError(t, await login({ ...good, totp: '12345' }), 400, 'SBX_INVALID_REQUEST', 'five digits');
  isError(t, await login({ ...good, extra: true }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
  isError(t, await login({ username: 'amal' }), 400, 'SBX_INVALID_REQUEST', 'missing fields');
  const res = await login({ ...good, authKey: toB64u(randomBytes(31)) });
  t.notOk(res.body.includes(good.authKey.slice(0, 20)), 'the message never quotes the value');
  t.equal(services.repos.users.byId(amal.id)!.failedLogins, 0, 'not counted as failures');
  t.equal((await login(good)).statusCode, 200, 'the code is still usable');
});

t.test('throttling: a real and an unknown username slow down alike, without checking credentials', async (t) => {
  resetThrottle();
  const trace = async (username: string, right: () => Record<string, string>) => {
    const seen: string[] = [];
    const attempt = async (body: Record<string, string>) => {
      const res = await login(body);
      seen.push(`${res.statusCode}${res.headers['retry-after'] ? ` retry-after=${res.headers['retry-after']}` : ''}`);
      return res;
    };
    const wrong = () => ({ ...right(), username, authKey: toB64u(randomBytes(32)) });
    for (let i = 0; i < 3; i++) await attempt(wrong());
    // Locked for 1 s: even the right credentials are not looked at.
    const locked = await attempt({ ...right(), username });
    isError(t, locked, 429, 'SBX_RATE_LIMITED', `${username}: locked`);
    clock.advance(1000);
    await attempt(wrong());
    await attempt(wrong());
    clock.advance(2000);
    await attempt(wrong());
    return seen;
  };
  const base = clock.now().getTime();
  const known = await trace('zoe', () => loginBody(zoe, clock));
  clock.t = base;
  const unknown = await trace('nobody-at-all', () => loginBody(zoe, clock));
  t.same(known, ['401', '401', '401', '429 retry-after=1', '401', '429 retry-after=2', '401']);
  t.same(unknown, known, 'an unknown name behaves exactly like a real one');
  t.match(services.repos.users.byId(zoe.id), { failedLogins: 5 });

  // After the wait, the right credentials work and the count starts again.
  clock.advance(60_000);
  t.equal((await login(loginBody(zoe, clock))).statusCode, 200);
  t.match(services.repos.users.byId(zoe.id), { failedLogins: 0, lockedUntil: null });
});

t.test('throttling: the waits double up to a one-hour lock', async (t) => {
  t.same([0, 1, 2, 3, 4, 5, 6].map(waitAfter), [0, 0, 0, 1000, 2000, 4000, 8000]);
  t.equal(waitAfter(15), MAX_WAIT_MS);
  t.equal(waitAfter(1000), MAX_WAIT_MS);

  // Unknown names are remembered up to a bound; the oldest go first.
  const throttle = new LoginThrottle(services);
  for (let i = 0; i < 4; i++) throttle.failed('first', undefined);
  t.ok(throttle.retryAfterMs('first', undefined) > 0);
  for (let i = 0; i < 10_000; i++) throttle.failed(`name${i}`, undefined);
  t.equal(throttle.retryAfterMs('first', undefined), 0, 'forgotten once 10,000 other names failed since');
});

t.test('the global login ceiling answers 429 with Retry-After', async (t) => {
  clock.advance(5 * 60_000);
  let limited: Awaited<ReturnType<typeof login>> | undefined;
  for (let i = 0; i < 200 && !limited; i++) {
    const res = await login({ ...loginBody(amal, clock), username: `flood${i}` });
    if (res.statusCode === 429) limited = res;
  }
  t.ok(limited, 'the ceiling is reached');
  isError(t, limited!, 429, 'SBX_RATE_LIMITED');
  t.match(limited!.headers['retry-after'], /^\d+$/);
  clock.advance(5 * 60_000);
});

t.test('me: the signed-in user, their key and channels', async (t) => {
  const client = await signIn(app, clock, amal);
  const res = await client.get('/api/auth/me');
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.same(body.user, { id: amal.id, username: 'amal', roles: ['admin'], channels: ['public', 'staff'] });
  t.equal(body.keyId, amal.keyId);
  t.equal(body.boxPublicKey, toB64u(amal.secrets.box.publicKey));
  t.same(body.channels.map((c: { id: string }) => c.id), ['public', 'staff']);
  t.type(body.channels[0].title.en, 'string');

  isError(t, await app.inject({ method: 'GET', url: '/api/auth/me' }), 401, 'SBX_UNAUTHENTICATED', 'no cookie');
  isError(t, await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'sbx_session=short' } }), 401, 'SBX_UNAUTHENTICATED', 'malformed cookie');
  const unknown = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `sbx_session=${toB64u(randomBytes(32))}` } });
  isError(t, unknown, 401, 'SBX_UNAUTHENTICATED', 'unknown session');
  t.match(unknown.headers['set-cookie'], /sbx_session=;/, 'the stale cookie is cleared');
});

t.test('a handler on a route without the session hook still refuses', async (t) => {
  t.throws(() => signedIn({ signedIn: null } as FastifyRequest), { statusCode: 401, code: 'SBX_UNAUTHENTICATED' });
});

t.test('a role a route does not allow is 403', async (t) => {
  const client = await signIn(app, clock, zoe);
  isError(t, await client.get('/api/users'), 403, 'SBX_FORBIDDEN');
});

t.test('sessions end after 30 idle minutes; each request restarts the clock', async (t) => {
  const client = await signIn(app, clock, zoe);
  clock.advance(29 * 60_000);
  t.equal((await client.get('/api/auth/me')).statusCode, 200);
  clock.advance(29 * 60_000);
  t.equal((await client.get('/api/auth/me')).statusCode, 200, 'still alive: the last request touched it');
  clock.advance(30 * 60_000);
  const expired = await client.get('/api/auth/me');
  isError(t, expired, 401, 'SBX_SESSION_EXPIRED');
  t.match(expired.headers['set-cookie'], /sbx_session=;/, 'the cookie is cleared');
  isError(t, await client.get('/api/auth/me'), 401, 'SBX_UNAUTHENTICATED', 'and the session is gone');
});

t.test('a disabled user\'s sessions stop working', async (t) => {
  const client = await signIn(app, clock, zoe);
  t.equal((await client.get('/api/auth/me')).statusCode, 200);
  services.repos.users.update(zoe.id, { disabled: true });
  isError(t, await client.get('/api/auth/me'), 401, 'SBX_UNAUTHENTICATED');
  services.repos.users.update(zoe.id, { disabled: false });
  isError(t, await client.get('/api/auth/me'), 401, 'SBX_UNAUTHENTICATED', 'enabling again does not revive it');
});

t.test('logout: ends the session, clears the cookie and the page\'s storage', async (t) => {
  const client = await signIn(app, clock, amal);
  const res = await client.send('POST', '/api/auth/logout', {});
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  t.equal(res.headers['clear-site-data'], '"cookies", "storage"');
  t.match(res.headers['set-cookie'], /sbx_session=;.*Path=\//);
  isError(t, await client.get('/api/auth/me'), 401, 'SBX_UNAUTHENTICATED', 'the session is gone');
  t.match(auditOf(services, 'auth.logout').at(-1), { actor: `user:${amal.id}` });

  const logouts = auditOf(services, 'auth.logout').length;
  const again = await new ConsoleClient(app, client.cookie, amal).send('POST', '/api/auth/logout', {});
  t.equal(again.statusCode, 204, 'logging out twice is fine');
  t.equal(auditOf(services, 'auth.logout').length, logouts, 'and records nothing');
  isError(t, await client.send('POST', '/api/auth/logout', { x: 1 }), 400, 'SBX_INVALID_REQUEST', 'the body is an empty object');
});
