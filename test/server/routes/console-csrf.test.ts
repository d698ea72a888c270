// Cross-site request forgery: every console mutation refuses form content types (415) and foreign
// origins (403) before anything changes, and the list of mutations checked is the whole API.
import t from 'tap';
import { encryptMessage, encryptNote, generateReportKey, sealKey } from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { consoleSetup, isError, loginBody, signIn, submitReport, unchanged } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const admin = await signIn(app, clock, amal);
const reporter = await submitReport(reporterApp, 'staff');
const id = reporter.reportId;

const mutations: [string, string, unknown][] = [
  ['POST', '/api/auth/params', { username: 'amal' }],
  ['POST', '/api/auth/login', loginBody(zoe, clock)],
  ['POST', '/api/auth/logout', {}],
  ['POST', '/api/setup/complete', { token: 'x' }],
  ['PATCH', `/api/reports/${id}`, { severity: 'high' }],
  ['POST', `/api/reports/${id}/messages`, encryptMessage(reporter.reportKey, id, 'reviewer', 'hello')],
  ['POST', `/api/reports/${id}/notes`, encryptNote(generateReportKey(), id, 'a note')],
  ['POST', `/api/reports/${id}/retention`, { retainUntil: '2030-01-01', note: encryptNote(generateReportKey(), id, 'a reason') }],
  ['POST', `/api/reports/${id}/exports`, {}],
  ['POST', '/api/roster', { entry: { v: 1, seq: 99 }, sig: 'A'.repeat(86) }],
  ['POST', `/api/reports/${id}/keys`, { keys: [{ keyId: zoe.keyId, sealedKey: sealKey(reporter.reportKey, zoe.secrets.box.publicKey) }] }],
  ['POST', `/api/reports/${id}/keys/renew`, {}],
  ['POST', '/api/invites', { role: 'reviewer', channels: ['staff'] }],
  ['PATCH', `/api/users/${zoe.id}`, { disabled: true }],
  ['POST', `/api/users/${zoe.id}/reset`, {}],
  ['PATCH', '/api/channels/staff', { retentionDays: 100 }],
  ['PUT', '/api/channels/staff/members', { userIds: [] }],
  ['PUT', '/api/settings/lists', { offices: ['Port of Entry 1'], processes: [] }],
  ['PUT', '/api/settings/acknowledgement-template', { template: { en: 'Received.' } }],
  ['PUT', '/api/account/notifications', { email: 'amal@customs.example', mode: 'immediate', locale: 'en' }],
];

const send = (method: string, url: string, payload: unknown, headers: Record<string, string>) =>
  app.inject({ method: method as 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { cookie: admin.cookie, ...headers } });

t.test('the list covers every console mutation', async (t) => {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json().console as { paths: Record<string, Record<string, unknown>> };
  const documented: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const m of Object.keys(methods)) if (['post', 'put', 'patch', 'delete'].includes(m)) documented.push(`${m.toUpperCase()} ${path}`);
  }
  const tested = mutations.map(([m, url]) => `${m} ${url.replace(id, '{id}').replace(zoe.id, '{id}').replace('/staff', '/{id}')}`);
  t.same(tested.sort(), documented.sort());
});

t.test('form content types and no content type are refused with 415; nothing changes', async (t) => {
  await unchanged(t, services, 'form posts', async () => {
    for (const [method, url, payload] of mutations) {
      for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain', 'text/plain;charset=UTF-8']) {
        isError(t, await send(method, url, payload, { 'content-type': type }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', `${method} ${url} as ${type}`);
      }
      const bare = await app.inject({ method: method as 'POST', url, headers: { cookie: admin.cookie } });
      isError(t, bare, 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', `${method} ${url} without a body`);
    }
  });
});

t.test('a foreign Origin or a cross-site fetch is refused with 403; nothing changes', async (t) => {
  const json = { 'content-type': 'application/json' };
  await unchanged(t, services, 'cross-site requests', async () => {
    for (const [method, url, payload] of mutations) {
      isError(t, await send(method, url, payload, { ...json, origin: 'https://evil.example' }), 403, 'SBX_CSRF', `${method} ${url} from another origin`);
      isError(t, await send(method, url, payload, { ...json, origin: 'https://localhost:80' }), 403, 'SBX_CSRF', `${method} ${url} from another scheme`);
      isError(t, await send(method, url, payload, { ...json, origin: 'null' }), 403, 'SBX_CSRF', `${method} ${url} from an opaque origin`);
      isError(t, await send(method, url, payload, { ...json, 'sec-fetch-site': 'cross-site' }), 403, 'SBX_CSRF', `${method} ${url} cross-site`);
    }
  });
});

t.test('the console\'s own page passes: same origin, same-origin fetch, JSON with a charset', async (t) => {
  const res = await send('PUT', '/api/settings/lists', { offices: ['Port of Entry 1'], processes: ['release'] }, {
    'content-type': 'application/json; charset=utf-8', origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin',
  });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { offices: ['Port of Entry 1'], processes: ['release'] });
  const get = await app.inject({ method: 'GET', url: '/api/settings/lists', headers: { cookie: admin.cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  t.equal(get.statusCode, 200, 'reads are not mutations (the cookie stays home anyway: SameSite=Strict)');
});

t.test('behind a TLS proxy, the configured console address is the console\'s own origin', async (t) => {
  const proxied = await consoleSetup(t, { consoleUrl: 'https://console.example.org/' });
  const params = (origin: string) => proxied.app.inject({ method: 'POST', url: '/api/auth/params', payload: { username: 'amal' }, headers: { origin } });
  t.equal((await params('https://console.example.org')).statusCode, 200, 'the configured address');
  t.equal((await params('http://localhost:80')).statusCode, 200, 'the address the request came to');
  isError(t, await params('https://reports.example.org'), 403, 'SBX_CSRF', 'any other');
});
