// Attack: cross-site request forgery on every console mutation, enumerated from the app's own
// routes (so that a new mutation is attacked too, or fails this test for want of a request).
//
// The console has no synchronizer token, by design: its defences are a SameSite=Strict session
// cookie, JSON-only mutations (a form cannot send application/json, and a cross-site fetch that
// does needs a CORS preflight the console never grants), and the browser's own word on who sent
// the request (Origin, Sec-Fetch-Site). The "missing token / wrong token / token of another
// session" attacks of a token scheme map to: a form post without those headers, a foreign Origin
// or Sec-Fetch-Site, and a page of a sibling site (the reporting page) riding the cookie.
import t from 'tap';
import { signIn, unchanged } from '../server/routes/console-fixtures.js';
import { consoleWorld } from './console-world.js';
import { routeKey, routesOf } from './fixtures.js';

const { app, services, clock, users, reportId, requests, send } = await consoleWorld(t);
const admin = await signIn(app, clock, users.admin);
// inject's default Host is localhost:80: that is the console's own origin here.
const SELF = 'http://localhost:80';
const mutations = routesOf(app).filter((r) => !['GET', 'HEAD'].includes(r.method));

/** A session for one request: logout ends the one it is sent with. */
const sessionFor = async (key: string) => (key === 'POST /api/auth/logout' ? (await signIn(app, clock, users.admin)).cookie : admin.cookie);

const ATTACKS: [what: string, headers: Record<string, string>, status: number, code: string][] = [
  ['a page on another site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 403, 'SBX_CSRF'],
  ['a foreign Origin alone', { origin: 'https://evil.example' }, 403, 'SBX_CSRF'],
  ['the reporting page (same host, other port: same site)', { origin: 'http://localhost:8080', 'sec-fetch-site': 'same-site' }, 403, 'SBX_CSRF'],
  ['a sibling subdomain', { origin: 'http://reports.localhost', 'sec-fetch-site': 'same-site' }, 403, 'SBX_CSRF'],
  ['the same host over https (another origin)', { origin: 'https://localhost:80' }, 403, 'SBX_CSRF'],
  ['an opaque origin (sandboxed frame, data: URL)', { origin: 'null' }, 403, 'SBX_CSRF'],
  ['Sec-Fetch-Site cross-site without Origin', { 'sec-fetch-site': 'cross-site' }, 403, 'SBX_CSRF'],
  ['Sec-Fetch-Site same-site without Origin', { 'sec-fetch-site': 'same-site' }, 403, 'SBX_CSRF'],
  ['Sec-Fetch-Site none (typed or bookmarked) on a change', { 'sec-fetch-site': 'none' }, 403, 'SBX_CSRF'],
];

const FORMS: [what: string, type: string][] = [
  ['an HTML form (urlencoded)', 'application/x-www-form-urlencoded'],
  ['a multipart form', 'multipart/form-data; boundary=x'],
  ['a text/plain form carrying JSON', 'text/plain'],
];

t.test('every mutation the app serves has a request to attack with', async (t) => {
  t.ok(mutations.length >= 15, `${mutations.length} mutations found`);
  for (const r of mutations) t.ok(requests[routeKey(r)], `${routeKey(r)} has a request`);
});

t.test('from the console\'s own page each request is let through (the control)', async (t) => {
  for (const r of mutations) {
    const key = routeKey(r);
    const res = await send(r.method, requests[key]!(reportId), {
      cookie: await sessionFor(key), origin: SELF, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json',
    });
    t.not(res.statusCode, 403, `${key}: not refused as cross-site (${res.statusCode})`);
    t.not(res.statusCode, 415, `${key}: the JSON body is accepted`);
    t.ok(res.statusCode < 500, `${key}: no 5xx`);
  }
});

t.test('from another site, every mutation is refused with 403 before anything changes', async (t) => {
  for (const r of mutations) {
    const key = routeKey(r);
    const cookie = await sessionFor(key);
    await unchanged(t, services, `${key} cross-site`, async () => {
      for (const [what, headers, status, code] of ATTACKS) {
        const res = await send(r.method, requests[key]!(reportId), { cookie, 'content-type': 'application/json', ...headers });
        t.equal(res.statusCode, status, `${key} from ${what}: ${status}`);
        t.equal(res.json().code, code, `${key} from ${what}: ${code}`);
      }
    });
    if (key === 'POST /api/auth/logout') {
      t.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode, 200, 'a forged logout does not end the session');
    }
  }
});

t.test('a form post (no Origin, as old browsers send it) is refused with 415 before anything changes', async (t) => {
  for (const r of mutations) {
    const key = routeKey(r);
    const { url, payload } = requests[key]!(reportId);
    const cookie = await sessionFor(key);
    await unchanged(t, services, `${key} as a form`, async () => {
      for (const [what, type] of FORMS) {
        const res = await app.inject({ method: r.method as 'POST', url, headers: { cookie, 'content-type': type }, payload: JSON.stringify(payload ?? {}) });
        t.equal(res.statusCode, 415, `${key} as ${what}: 415`);
      }
    });
  }
});

t.test('no CORS: a cross-origin preflight is never granted, so a foreign page cannot send JSON', async (t) => {
  for (const r of mutations) {
    const { url } = requests[routeKey(r)]!(reportId);
    const res = await app.inject({
      method: 'OPTIONS', url,
      headers: { origin: 'https://evil.example', 'access-control-request-method': r.method, 'access-control-request-headers': 'content-type' },
    });
    const granted = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
    t.same(granted, [], `${routeKey(r)}: no Access-Control-* header in the answer (${res.statusCode})`);
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${routeKey(r)}: the preflight fails`);
  }
});
