// Attack: the console's authorisation, as a matrix of every route × who asks (role, membership of
// the report's channel) × session state. The routes are read from Fastify's route tree, so a route
// added without a row below fails this test; the expected outcomes are written out in full.
import t from 'tap';
import { newId, randomBytes, toB64u } from '../../crypto/index.js';
import type { TestUser } from '../helpers/instance.js';
import { signIn, unchanged } from '../server/routes/console-fixtures.js';
import { consoleWorld, type Request } from './console-world.js';
import { rawSession, routeKey, routesOf } from './fixtures.js';

const { app, services, clock, users, reportId, requests, send } = await consoleWorld(t);

// Who asks, each with a live session; "elsewhere" users belong to a channel other than the report's.
const CALLERS: [name: string, user: TestUser, member: boolean][] = [
  ['admin', users.admin, true],
  ['admin elsewhere', users.adminElsewhere, false],
  ['reviewer', users.reviewer, true],
  ['reviewer elsewhere', users.reviewerElsewhere, false],
  ['auditor', users.auditor, false],
  ['reviewer+auditor', users.both, true],
  ['reviewer+auditor elsewhere', users.bothElsewhere, false],
];

/** Statuses in CALLERS order. */
type Statuses = readonly [admin: number, adminElsewhere: number, reviewer: number, reviewerElsewhere: number, auditor: number, both: number, bothElsewhere: number];
interface Row {
  /** Behind a session: the status for each caller. Any other session state gets 401. */
  signedIn?: Statuses;
  /** Open to everyone, with a session or without: the status it answers. */
  open?: number;
  /** For lists: whether an answer names the report, which only members of its channel may see. */
  names?: true;
  /** Logout: each caller uses a session of its own for it. */
  endsSession?: true;
}

// The expected outcome of every console route, for the request console-world.ts makes to it.
// 404 for a report means "not a member of its channel"; 403 means "not a role that may do this".
//                                                                    admin  adm.else rev   rev.else aud  rev+aud r+a.else
const ROWS: Record<string, Row> = {
  'GET /api/health': { open: 200 },
  'GET /api/openapi.json': { open: 200 },
  // The roster is public by design: reporters and outside watchers verify it.
  'GET /api/roster': { open: 200 },
  'POST /api/auth/params': { open: 200 },
  'POST /api/auth/login': { open: 401 },
  'POST /api/auth/logout': { open: 204, endsSession: true },
  'GET /api/setup/:token': { open: 404 },
  'POST /api/setup/complete': { open: 404 },

  'GET /api/auth/me': { signedIn:                                    [200, 200, 200, 200, 200, 200, 200] },
  'GET /api/channels': { signedIn:                                   [200, 200, 200, 200, 200, 200, 200] },
  'GET /api/settings/lists': { signedIn:                             [200, 200, 200, 200, 200, 200, 200] },
  'GET /api/settings/acknowledgement-template': { signedIn:          [200, 200, 200, 200, 200, 200, 200] },

  'GET /api/reports': { names: true, signedIn:                       [200, 200, 200, 200, 403, 200, 200] },
  'GET /api/key-distribution': { names: true, signedIn:              [200, 200, 200, 200, 403, 200, 200] },
  'GET /api/account/notifications': { signedIn:                      [200, 200, 200, 200, 403, 200, 200] },
  'PUT /api/account/notifications': { signedIn:                      [200, 200, 200, 200, 403, 200, 200] },
  'GET /api/reports/:id': { signedIn:                                [200, 404, 200, 404, 403, 200, 404] },
  'GET /api/reports/:id/history': { signedIn:                        [200, 404, 200, 404, 403, 200, 404] },
  'GET /api/reports/:id/attachments/:attachmentId': { signedIn:      [200, 404, 200, 404, 403, 200, 404] },
  'PATCH /api/reports/:id': { signedIn:                              [200, 404, 200, 404, 403, 200, 404] },
  'POST /api/reports/:id/messages': { signedIn:                      [201, 404, 201, 404, 403, 201, 404] },
  'POST /api/reports/:id/notes': { signedIn:                         [201, 404, 201, 404, 403, 201, 404] },
  'POST /api/reports/:id/keys': { signedIn:                          [201, 404, 201, 404, 403, 201, 404] },
  'POST /api/reports/:id/keys/renew': { signedIn:                    [204, 404, 204, 404, 403, 204, 404] },
  'POST /api/reports/:id/exports': { signedIn:                       [201, 404, 201, 404, 403, 201, 404] },
  // 409: only a closed report can be kept longer; members get that far, nobody else does.
  'POST /api/reports/:id/retention': { signedIn:                     [409, 404, 409, 404, 403, 409, 404] },

  'GET /api/audit': { signedIn:                                      [200, 200, 403, 403, 200, 200, 200] },
  'GET /api/audit/verify': { signedIn:                               [200, 200, 403, 403, 200, 200, 200] },
  'GET /api/statistics': { signedIn:                                 [200, 200, 403, 403, 200, 200, 200] },
  'GET /api/statistics.csv': { signedIn:                             [200, 200, 403, 403, 200, 200, 200] },
  // 422: the entry is well formed but extends nothing; only readers of reports get that far.
  'POST /api/roster': { signedIn:                                    [422, 422, 422, 422, 403, 422, 422] },
  'GET /api/roster/awaiting': { signedIn:                            [200, 200, 200, 200, 403, 200, 200] },

  'GET /api/users': { signedIn:                                      [200, 200, 403, 403, 403, 403, 403] },
  'POST /api/invites': { signedIn:                                   [201, 201, 403, 403, 403, 403, 403] },
  'PATCH /api/users/:id': { signedIn:                                [200, 200, 403, 403, 403, 403, 403] },
  'POST /api/users/:id/reset': { signedIn:                           [201, 201, 403, 403, 403, 403, 403] },
  'PATCH /api/channels/:id': { signedIn:                             [200, 200, 403, 403, 403, 403, 403] },
  'PUT /api/channels/:id/members': { signedIn:                       [200, 200, 403, 403, 403, 403, 403] },
  'PUT /api/settings/lists': { signedIn:                             [200, 200, 403, 403, 403, 403, 403] },
  'PUT /api/settings/acknowledgement-template': { signedIn:          [200, 200, 403, 403, 403, 403, 403] },
};

const sessions = new Map<TestUser, string>();
for (const [, user] of CALLERS) sessions.set(user, (await signIn(app, clock, user)).cookie);
// A reviewer of the channel whose sign-in is then locked by someone guessing: sessions opened before
// the lock go on working (else anyone could end a reviewer's session by guessing wrong).
const lockedSession = (await signIn(app, clock, users.locked)).cookie;
services.repos.users.setLoginFailures('locked', 15, new Date(clock.now().getTime() + 3_600_000).toISOString());
// An administrator of the channel disabled while a session of theirs is still stored (the API
// deletes them on disabling; this is the session that raced with it).
services.repos.users.update(users.disabled.id, { disabled: true });
const loggedOut = (await signIn(app, clock, users.admin)).cookie;
if ((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: loggedOut }, payload: {} })).statusCode !== 204) throw new Error('logout failed');

// Session states other than a live one. Every route behind a session answers them 401 (with this
// code) and changes nothing; open routes answer them as they answer anyone.
const STATES: [name: string, cookie: () => string | undefined, code: string][] = [
  ['no session', () => undefined, 'SBX_UNAUTHENTICATED'],
  ['a malformed cookie', () => 'sbx_session=../../server-secret', 'SBX_UNAUTHENTICATED'],
  ['a forged session id', () => `sbx_session=${toB64u(randomBytes(32))}`, 'SBX_UNAUTHENTICATED'],
  ['a session idle for 30 minutes', () => rawSession(services, users.admin.id, services.config.sessionIdleMs), 'SBX_SESSION_EXPIRED'],
  ['a session that logged out', () => loggedOut, 'SBX_UNAUTHENTICATED'],
  ['a session of a disabled user', () => rawSession(services, users.disabled.id), 'SBX_UNAUTHENTICATED'],
];

const CODES: Record<number, string> = { 401: 'SBX_UNAUTHENTICATED', 403: 'SBX_FORBIDDEN', 404: 'SBX_NOT_FOUND', 409: 'SBX_NOT_CLOSED' };
const routes = routesOf(app);

/** A route's row and request; HEAD follows its GET (Fastify adds a HEAD route for every GET). */
function entry(method: string, url: string): { row: Row; request: (id: string) => Request } | undefined {
  const own = `${method} ${url}`;
  const key = method === 'HEAD' && !ROWS[own] ? `GET ${url}` : own;
  const row = ROWS[key];
  const request = requests[key];
  return row && request ? { row, request } : undefined;
}

const withCookie = (cookie: string | undefined): Record<string, string> => (cookie === undefined ? {} : { cookie });
const listed = (body: { reports?: { id: string }[] }) => body.reports?.some((r) => r.id === reportId) ?? false;

t.test('the route list is read from the app, and every route has a row and a request', async (t) => {
  const keys = routes.map(routeKey);
  t.ok(keys.includes('GET /api/reports/:id/attachments/:attachmentId'), 'nested parameters are read whole');
  t.ok(keys.includes('HEAD /api/reports'), 'HEAD routes are included');
  for (const { method, url } of routes) t.ok(entry(method, url), `${method} ${url} has a row in the matrix and a request`);
  for (const key of Object.keys(ROWS)) t.ok(keys.includes(key), `the row ${key} names a route the app serves`);
});

t.test('callers with a live session get exactly the status of their column', async (t) => {
  for (const { method, url } of routes) {
    const e = entry(method, url);
    if (!e) continue;
    const { row, request } = e;
    const check = async (i: number) => {
      const [name, user, member] = CALLERS[i]!;
      const cookie = row.endsSession ? (await signIn(app, clock, user)).cookie : sessions.get(user)!;
      const expected = row.open ?? row.signedIn![i]!;
      const what = `${method} ${url} by ${name}`;
      const res = await send(method, request(reportId), withCookie(cookie));
      t.equal(res.statusCode, expected, `${what}: ${res.statusCode === expected ? expected : res.body.slice(0, 200)}`);
      if (method !== 'HEAD' && row.signedIn && CODES[expected]) t.equal(res.json().code, CODES[expected], `${what}: ${CODES[expected]}`);
      if (method === 'GET' && row.names && res.statusCode === 200) {
        if (!member) t.notOk(listed(res.json()), `${what}: a non-member is never shown the report`);
        if (member && url === '/api/reports') t.ok(listed(res.json()), `${what}: a member finds the report in the inbox`);
      }
      if (method !== 'HEAD' && row.signedIn && expected === 404 && url.startsWith('/api/reports/:id')) {
        // Another channel's report is answered exactly like a report that does not exist.
        const missing = await send(method, request(newId()), withCookie(cookie));
        t.same(res.json(), missing.json(), `${what}: the same answer as for a report that does not exist`);
      }
    };
    const indexes = CALLERS.map((_, i) => i);
    const refused = indexes.filter((i) => row.signedIn && row.signedIn[i]! >= 400);
    // A route's refusals together leave everything as it was (one fingerprint per route keeps this quick).
    await unchanged(t, services, `${method} ${url}: the refused callers`, async () => {
      for (const i of refused) await check(i);
    });
    for (const i of indexes.filter((i) => !refused.includes(i))) await check(i);
  }
});

t.test('a reviewer locked out of signing in keeps the session opened before the lock', async (t) => {
  for (const { method, url } of routes) {
    const e = entry(method, url);
    if (!e?.row.signedIn) continue;
    const res = await send(method, e.request(reportId), withCookie(lockedSession));
    t.equal(res.statusCode, e.row.signedIn[2], `${method} ${url}: as any reviewer of the channel`);
  }
});

t.test('every other session state gets 401 on every route behind a session, and changes nothing', async (t) => {
  for (const { method, url } of routes) {
    const e = entry(method, url);
    if (!e) continue;
    const { row, request } = e;
    if (row.open !== undefined) {
      for (const [state, cookie] of STATES) {
        t.equal((await send(method, request(reportId), withCookie(cookie()))).statusCode, row.open, `${method} ${url} with ${state}: open to everyone`);
      }
      continue;
    }
    await unchanged(t, services, `${method} ${url} without a live session`, async () => {
      for (const [state, cookie, code] of STATES) {
        const res = await send(method, request(reportId), withCookie(cookie()));
        t.equal(res.statusCode, 401, `${method} ${url} with ${state}: 401`);
        if (method !== 'HEAD') t.equal(res.json().code, code, `${method} ${url} with ${state}: ${code}`);
      }
    });
  }
});
