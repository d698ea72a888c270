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
  for (const q of ['limit=0', 'limit=1001', 'afterSeq=-1', 'since=yesterday', 'actor=', 'kind=x', 'until=2026-11-28', `since=${later}&until=${later}`]) {
    isError(t, await auditor.get(`/api/audit?${q}`), 400, 'SBX_INVALID_REQUEST', q);
  }
});

t.test('a time range, combined with the other filters and with paging', async (t) => {
  const all = await events('?limit=1000');
  const logins = all.filter((e) => e.action === 'auth.login');
  const [first, second] = [logins[0]!, logins[1]!];
  t.ok(first.at < second.at, 'the sign-ins happened at different times');
  // [since, until): the first sign-in's time is in, the second's is out.
  const range = `since=${encodeURIComponent(first.at)}&until=${encodeURIComponent(second.at)}`;
  const inRange = await events(`?${range}`);
  t.ok(inRange.length > 0);
  t.ok(inRange.every((e) => e.at >= first.at && e.at < second.at), 'every event in the range');
  t.same(inRange.map((e) => e.seq), all.filter((e) => e.at >= first.at && e.at < second.at).map((e) => e.seq), 'and no other');
  t.same((await events(`?${range}&action=auth.login`)).map((e) => e.seq), [first.seq], 'with the action');
  t.same(await events(`?${range}&action=auth.login&actor=user:${zoe.id}`), [], 'with the actor');
  t.same((await events(`?until=${encodeURIComponent(second.at)}&action=auth.login`)).map((e) => e.seq), [first.seq], 'until alone');
  const pageOne = await events(`?until=${encodeURIComponent(second.at)}&limit=2`);
  const pageTwo = await events(`?until=${encodeURIComponent(second.at)}&limit=2&afterSeq=${pageOne.at(-1)!.seq}`);
  t.same([...pageOne, ...pageTwo].map((e) => e.seq), all.filter((e) => e.at < second.at).slice(0, 4).map((e) => e.seq), 'paged');
  const offset = new Date(Date.parse(second.at)).toISOString().replace('Z', '+00:00');
  t.same((await events(`?until=${encodeURIComponent(offset)}&action=auth.login`)).map((e) => e.seq), [first.seq], 'an offset is read as a time');
  const reversed = await auditor.get(`/api/audit?since=${encodeURIComponent(second.at)}&until=${encodeURIComponent(first.at)}`);
  isError(t, reversed, 400, 'SBX_INVALID_REQUEST');
  t.match(reversed.json().message, /until must be later than since/);
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
