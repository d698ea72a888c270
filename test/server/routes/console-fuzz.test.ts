// No input reaches a 5xx: mutated bodies, parameters and queries for every console route.
import fc from 'fast-check';
import t from 'tap';
import { encryptMessage, generateRecoveryKeyPair, sealKey, toB64u } from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { consoleSetup, loginBody, newEnrolment, signIn, submitReport } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const reporter = await submitReport(reporterApp, 'staff');
const admin = await signIn(app, clock, amal);
const id = reporter.reportId;
const enrol = newEnrolment('newcomer');

const routes: [string, string, Record<string, unknown>][] = [
  ['POST', '/api/auth/params', { username: 'amal' }],
  ['POST', '/api/auth/login', loginBody(zoe, clock)],
  ['POST', '/api/setup/complete', { ...enrol.body, token: toB64u(new Uint8Array(32)), totpCode: '123456', recoveryPublicKey: toB64u(generateRecoveryKeyPair().publicKey) }],
  ['PATCH', `/api/reports/${id}`, { status: 'closed', outcome: 'spam', severity: 'low', category: 'OTHER', office: null, process: 'release', assignees: [zoe.id] }],
  ['POST', `/api/reports/${id}/messages`, { ...encryptMessage(reporter.reportKey, id, 'reviewer', 'x') }],
  ['POST', `/api/reports/${id}/notes`, { ...encryptMessage(reporter.reportKey, id, 'reviewer', 'x') }],
  ['POST', `/api/reports/${id}/retention`, { retainUntil: '2030-01-01', note: encryptMessage(reporter.reportKey, id, 'reviewer', 'x') }],
  ['POST', `/api/reports/${id}/keys`, { keys: [{ keyId: zoe.keyId, sealedKey: sealKey(reporter.reportKey, zoe.secrets.box.publicKey) }] }],
  ['POST', '/api/invites', { role: 'reviewer', channels: ['staff'], username: 'someone' }],
  ['PATCH', `/api/users/${zoe.id}`, { disabled: false, roles: ['reviewer'], channels: ['staff'] }],
  ['PATCH', '/api/channels/public', { title: { en: 'Public' }, retentionDays: 30, maxAttachmentBytes: 1000, allowRecipientExclusion: false, messagesAfterClose: true }],
  ['PUT', '/api/channels/public/members', { userIds: [amal.id] }],
  ['PUT', '/api/settings/lists', { offices: ['A'], processes: ['release'] }],
  ['PUT', '/api/settings/acknowledgement-template', { template: { en: 'Thanks' } }],
];

/** A valid body with one change: a field replaced, removed or added, or the whole body replaced. */
const mutated = (valid: Record<string, unknown>) => {
  const keys = Object.keys(valid);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    fc.tuple(fc.string({ maxLength: 10 }), fc.jsonValue()).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.jsonValue(),
  );
};

t.test('mutated bodies', async (t) => {
  for (const [method, url, valid] of routes) {
    await fc.assert(fc.asyncProperty(mutated(valid), async (body) => {
      const res = await admin.send(method as 'POST', url, JSON.stringify(body), { 'content-type': 'application/json' });
      if (res.statusCode >= 500) throw new Error(`${method} ${url} ${JSON.stringify(body).slice(0, 300)} → ${res.statusCode} ${res.body}`);
    }), { numRuns: 50 });
    t.pass(`${method} ${url}: no 5xx`);
  }
});

t.test('mutated paths and queries', async (t) => {
  const segment = fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 30 })).map(encodeURIComponent);
  const query = fc.dictionary(fc.constantFrom('status', 'channel', 'assignee', 'overdue', 'severity', 'category', 'limit', 'cursor', 'actor', 'action', 'since', 'afterSeq', 'x'), fc.string({ maxLength: 30 }))
    .map((q) => new URLSearchParams(q).toString());
  await fc.assert(fc.asyncProperty(segment, segment, query, async (a, b, q) => {
    for (const url of [`/api/reports/${a}`, `/api/reports/${id}/attachments/${b}`, `/api/setup/${a}`, `/api/reports?${q}`, `/api/audit?${q}`]) {
      const res = await admin.get(url);
      if (res.statusCode >= 500) throw new Error(`GET ${url} → ${res.statusCode} ${res.body}`);
    }
    for (const [method, url] of [['PATCH', `/api/users/${a}`], ['POST', `/api/users/${a}/reset`], ['PATCH', `/api/channels/${a}`], ['PATCH', `/api/reports/${a}`]]) {
      const res = await admin.send(method as 'POST', url!, {});
      if (res.statusCode >= 500) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    }
  }), { numRuns: 80 });
  t.pass('no 5xx');
});
