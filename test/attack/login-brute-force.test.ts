// Attack: brute force against console sign-in. Per-name waits grow to a one-hour lock during which
// guesses are not even checked; and nothing, neither the answer nor its time, tells an unknown name
// from a real one with a wrong passphrase or a wrong code (or a disabled account).
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import t from 'tap';
import { newId, toB64u } from '../../crypto/index.js';
import { MAX_WAIT_MS } from '../../server/routes/console/login-throttle.js';
import { totpCode } from '../../server/totp.js';
import { isError, loginBody } from '../server/routes/console-fixtures.js';
import { fastUser } from './fixtures.js';
import { sameTime, timingInstance } from './timing.js';

const inst = await timingInstance(t);
const { services, clock } = inst;
const app = await inst.app('console');
const zoe = fastUser(services, 'zoe', ['reviewer'], ['staff']);
const gone = fastUser(services, 'gone', ['reviewer'], ['staff']);
services.repos.users.update(gone.id, { disabled: true });

const randomKey = () => toB64u(new Uint8Array(nodeRandomBytes(32)));
const login = (body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/auth/login', payload: body });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const clear = (name: string) => services.repos.users.setLoginFailures(name, 0, null);
const waitOf = (res: LightMyRequestResponse) => (Number(res.headers['retry-after']) || 1) * 1000;

t.test('brute force on one account: waits grow to a one-hour lock, and guesses made during a wait are not checked', async (t) => {
  clock.advance(3_600_000);
  clear('zoe');
  const start = clock.now().getTime();
  let checked = 0;
  let checkedFirstHour = 0;
  let longestWait = 0;
  let rightDuringWait: LightMyRequestResponse | undefined;
  // The attacker guesses as fast as the server lets them, for a day (or until 1,000 were checked).
  while (clock.now().getTime() - start < 24 * 3_600_000 && checked < 1000) {
    const res = await login({ ...loginBody(zoe, clock), authKey: randomKey() });
    if (res.statusCode === 429) {
      if (!rightDuringWait) rightDuringWait = await login(loginBody(zoe, clock));
      longestWait = Math.max(longestWait, waitOf(res));
      clock.advance(waitOf(res));
      continue;
    }
    t.equal(res.statusCode, 401, 'a checked guess fails');
    checked++;
    if (clock.now().getTime() - start < 3_600_000) checkedFirstHour++;
    clock.advance(1);
  }
  t.comment(`guesses checked: ${checkedFirstHour} in the first hour, ${checked} in 24 hours (the longest wait ${longestWait / 1000} s)`);
  t.ok(checkedFirstHour <= 15, `at most 15 guesses checked in the first hour (${checkedFirstHour})`);
  t.ok(checked <= 40, `at most 40 guesses checked in a day (${checked}), where the login ceiling alone would allow 172,800`);
  t.equal(longestWait, MAX_WAIT_MS, 'the wait reaches the one-hour lock');

  // The right passphrase and code, sent during a wait, are refused unchecked: no session, and the
  // code is not used up.
  isError(t, rightDuringWait!, 429, 'SBX_RATE_LIMITED', 'the right credentials during a wait');
  t.notOk(rightDuringWait!.cookies.some((c) => c.name === 'sbx_session'), 'no session');
  t.equal(services.repos.users.byId(zoe.id)!.lastTotpStep, null, 'the code was not even checked');

  clock.advance(MAX_WAIT_MS);
  const after = await login(loginBody(zoe, clock));
  t.equal(after.statusCode, 200, 'after the wait the owner signs in');
  t.match(services.repos.users.byId(zoe.id), { failedLogins: 0, lockedUntil: null }, 'and the count starts again');
});

t.test('no enumeration by answer: every failure answers alike, whoever the name belongs to', async (t) => {
  clock.advance(3_600_000);
  const failures: [string, () => Record<string, unknown>][] = [
    ['an unknown name', () => ({ ...loginBody(zoe, clock), username: `nobody-${newId()}` })],
    ['a wrong passphrase', () => ({ ...loginBody(zoe, clock), authKey: randomKey() })],
    ['a wrong code', () => ({ ...loginBody(zoe, clock), totp: wrongCode(totpCode(zoe.totpSecret, clock.now())) })],
    ['a disabled account, with its right passphrase and code', () => loginBody(gone, clock)],
  ];
  const answers: [string, LightMyRequestResponse][] = [];
  for (const [what, body] of failures) {
    clear('zoe');
    clear('gone');
    clock.advance(30_000);
    answers.push([what, await login(body())]);
  }
  const [, first] = answers[0]!;
  isError(t, first, 401, 'SBX_BAD_CREDENTIALS', 'an unknown name');
  const shape = (res: LightMyRequestResponse) => ({
    status: res.statusCode,
    body: res.body,
    headers: Object.fromEntries(Object.entries(res.headers).filter(([h]) => h !== 'date')),
  });
  for (const [what, res] of answers) t.same(shape(res), shape(first), `${what}: the same status, headers and body as an unknown name`);

  const params = async (username: string) => (await app.inject({ method: 'POST', url: '/api/auth/params', payload: { username } })).json();
  const known = await params('zoe');
  const unknown = await params(`nobody-${newId()}`);
  t.same(Object.keys(unknown).sort(), Object.keys(known).sort(), '/api/auth/params: the same fields');
  t.same({ ...unknown, salt: '' }, { ...known, salt: '' }, 'and the same KDF parameters');
  t.equal(Buffer.from(unknown.salt, 'base64url').length, Buffer.from(known.salt, 'base64url').length, 'and a salt of the same length');
});

t.test('a failed sign-in commits once, whether or not the name exists', async (t) => {
  const { db } = services;
  const transaction = db.transaction;
  let commits = 0;
  db.transaction = (fn) => {
    commits++;
    return transaction(fn);
  };
  t.teardown(() => {
    db.transaction = transaction;
  });
  const count = async (body: Record<string, unknown>) => {
    clear('zoe');
    clock.advance(30_000);
    commits = 0;
    t.equal((await login(body)).statusCode, 401);
    return commits;
  };
  t.equal(await count({ ...loginBody(zoe, clock), username: `nobody-${newId()}` }), 1, 'an unknown name: one transaction');
  t.equal(await count({ ...loginBody(zoe, clock), authKey: randomKey() }), 1, 'a real name: one transaction');
});

t.test('no enumeration by timing: failures for unknown and real names take the same time', async (t) => {
  // Each request is prepared untimed: the clock moves on (keeping the login ceiling full and the
  // code current) and the real names' failure counts are cleared (so that no wait begins).
  const kind = (name: string, body: () => Record<string, unknown>) => ({
    name,
    prepare: () => {
      clock.advance(1000);
      clear(name === 'disabled account' ? 'gone' : 'zoe');
      const payload = JSON.stringify(body());
      return () => app.inject({ method: 'POST', url: '/api/auth/login', payload, headers: { 'content-type': 'application/json' } });
    },
  });
  const unknownName = kind('unknown name', () => ({ ...loginBody(zoe, clock), username: `nobody-${newId()}` }));
  await sameTime(t, 'sign-in failures', unknownName, kind('wrong passphrase', () => ({ ...loginBody(zoe, clock), authKey: randomKey() })), [401, 401], { pairs: 400, warmup: 50, band: 0.2 });
  await sameTime(t, 'sign-in failures', unknownName, kind('wrong code', () => ({ ...loginBody(zoe, clock), totp: wrongCode(totpCode(zoe.totpSecret, clock.now())) })), [401, 401], { pairs: 400, warmup: 50, band: 0.2 });
  await sameTime(t, 'sign-in failures', unknownName, kind('disabled account', () => loginBody(gone, clock)), [401, 401], { pairs: 400, warmup: 50, band: 0.2 });
});

t.test('no enumeration by timing: KDF parameters for unknown and real names take the same time', async (t) => {
  const kind = (name: string, username: () => string) => ({
    name,
    prepare: () => {
      const payload = JSON.stringify({ username: username() });
      return () => app.inject({ method: 'POST', url: '/api/auth/params', payload, headers: { 'content-type': 'application/json' } });
    },
  });
  await sameTime(t, 'POST /api/auth/params', kind('real name', () => 'zoe'), kind('unknown name', () => `nobody-${newId()}`), [200, 200], { band: 0.2 });
});
