// The audit trail in the console: listing with filters and paging, and verifying the chain.
import t from 'tap';
import { addUser } from '../../helpers/instance.js';
import { consoleSetup, isError, signIn, submitReport } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const ines = addUser(services, 'ines', ['auditor'], []);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
await submitReport(reporterApp, 'staff');
const admin = await signIn(app, clock, amal);
const auditor = await signIn(app, clock, ines);
const reviewer = await signIn(app, clock, zoe);

interface Event { seq: number; at: string; actor: string; action: string; target: string | null; details: unknown; hash: string }
const events = async (query = '', client = auditor) => {
  const res = await client.get(`/api/audit${query}`);
  if (res.statusCode !== 200) throw new Error(`GET /api/audit${query}: ${res.body}`);
  return res.json().events as Event[];
};

t.test('administrators and auditors read the trail in order', async (t) => {
  const all = await events();
  t.same(all.map((e) => e.seq), all.map((_, i) => i + 1), 'every event, from the first, in order');
  t.match(all[0], { actor: 'system', action: 'instance.init', target: null });
  t.match(all.find((e) => e.action === 'report.received'), { actor: 'reporter', at: /T\d\d:00:00\.000Z$/ });
  t.match(all.at(-1)!.hash, /^[0-9a-f]{64}$/);
  const stored = services.repos.audit.list({ limit: 1000 }).at(-1)!;
  t.equal(all.at(-1)!.hash, stored.hash.toString('hex'));
  t.same(Object.keys(all[0]!).sort(), ['action', 'actor', 'at', 'details', 'hash', 'seq', 'target']);
  t.equal((await events('', admin)).length, all.length, 'administrators too');
  isError(t, await reviewer.get('/api/audit'), 403, 'SBX_FORBIDDEN', 'not reviewers');
  isError(t, await reviewer.get('/api/audit/verify'), 403, 'SBX_FORBIDDEN');
  isError(t, await app.inject({ method: 'GET', url: '/api/audit' }), 401, 'SBX_UNAUTHENTICATED');
});

t.test('filters and paging', async (t) => {
  const logins = await events('?action=auth.login');
  t.same(logins.map((e) => e.actor), [`user:${amal.id}`, `user:${ines.id}`, `user:${zoe.id}`]);
  t.same((await events(`?actor=user:${zoe.id}`)).map((e) => e.action), ['auth.login']);
  const first = await events('?limit=2');
  t.same(first.map((e) => e.seq), [1, 2]);
  t.same((await events('?limit=2&afterSeq=2')).map((e) => e.seq), [3, 4]);
  clock.advance(1000);
  const later = clock.now().toISOString();
  clock.advance(60_000);
  await reviewer.get('/api/auth/me');
  await reviewer.send('POST', '/api/auth/logout', {});
  t.same((await events(`?since=${encodeURIComponent(later)}`)).map((e) => e.action), ['auth.logout']);
  const offset = new Date(Date.parse(later)).toISOString().replace('Z', '+00:00');
  t.same((await events(`?since=${encodeURIComponent(offset)}`)).map((e) => e.action), ['auth.logout'], 'an offset is read as a time');
  for (const q of ['limit=0', 'limit=1001', 'afterSeq=-1', 'since=yesterday', 'actor=', 'kind=x']) {
    isError(t, await auditor.get(`/api/audit?${q}`), 400, 'SBX_INVALID_REQUEST', q);
  }
});

t.test('verify walks the chain and names the first broken event', async (t) => {
  const ok = await auditor.get('/api/audit/verify');
  t.equal(ok.statusCode, 200);
  const count = services.db.sqlite.prepare('SELECT max(seq) FROM audit_events').pluck().get() as number;
  t.same(ok.json(), { ok: true, count });

  services.db.sqlite.prepare("UPDATE audit_events SET target = 'someone-else' WHERE seq = 3").run();
  const broken = (await auditor.get('/api/audit/verify')).json();
  t.same(broken, { ok: false, seq: 3, reason: "hash does not match the row's contents" });
  t.match((await events('?afterSeq=2&limit=1'))[0], { seq: 3, target: 'someone-else' }, 'the list still shows it, for the auditor to see');
});
