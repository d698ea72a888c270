// The inbox and one report: channel scoping, filters, paging, counts, read markers, and everything
// a reviewer's browser needs to decrypt (checked by decrypting it).
import t from 'tap';
import { decryptMessage, decryptReportContent, openSealedKey, toB64u } from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, quietUser, signIn, submitReport } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const ines = addUser(services, 'ines', ['auditor'], []);
const staff = [await submitReport(reporterApp, 'staff'), await submitReport(reporterApp, 'staff'), await submitReport(reporterApp, 'staff')];
const pub = await submitReport(reporterApp, 'public');
let admin = await signIn(app, clock, amal);
let reviewer = await signIn(app, clock, zoe);
let auditor = await signIn(app, clock, ines);
/** After moving the clock by days: sessions end after 30 idle minutes. */
const signInAgain = async () => {
  [admin, reviewer, auditor] = [await signIn(app, clock, amal), await signIn(app, clock, zoe), await signIn(app, clock, ines)];
};

interface Item { id: string; channelId: string; status: string; unread: boolean; assignees: string[] }
const list = async (query = '', client = reviewer) => {
  const res = await client.get(`/api/reports${query}`);
  if (res.statusCode !== 200) throw new Error(`GET /api/reports${query}: ${res.body}`);
  return res.json() as { reports: Item[]; nextCursor: string | null; counts: Record<string, number> };
};

t.test('the inbox shows only the user\'s channels, newest first, with counts', async (t) => {
  const page = await list();
  t.same(page.reports.map((r) => r.id), staff.map((r) => r.reportId).reverse());
  t.equal(page.nextCursor, null);
  t.same(page.counts, { new: 3, acknowledged: 0, in_review: 0, needs_information: 0, closed: 0 });
  const first = page.reports[0]!;
  t.same(Object.keys(first).sort(), [
    'acknowledgeBy', 'acknowledgedAt', 'assignees', 'category', 'channelId', 'closedAt', 'deleteAt', 'feedbackBy', 'id', 'office', 'outcome',
    'process', 'receivedAt', 'severity', 'status', 'unread',
  ]);
  t.match(first, { channelId: 'staff', status: 'new', unread: true, assignees: [], severity: null, category: null, outcome: null });

  const all = await list('', admin);
  t.equal(all.reports.length, 4, 'a member of both channels sees both');
  t.same(all.counts.new, 4);
  const narrowed = await list('?channel=public', admin);
  t.same(narrowed.reports.map((r) => r.id), [pub.reportId]);
  t.same(narrowed.counts.new, 1, 'counts follow the channel filter');

  const outside = await list('?channel=public');
  t.same(outside.reports, [], 'a channel the user is not in gives nothing');
  t.same(outside.counts.new, 0);
});

t.test('paging with limit and cursor', async (t) => {
  const one = await list('?limit=2');
  t.equal(one.reports.length, 2);
  t.type(one.nextCursor, 'string');
  const two = await list(`?limit=2&cursor=${one.nextCursor}`);
  t.equal(two.reports.length, 1);
  t.equal(two.nextCursor, null);
  t.same([...one.reports, ...two.reports].map((r) => r.id), staff.map((r) => r.reportId).reverse());
});

t.test('filters: status, severity, category, assignee, overdue', async (t) => {
  const [a, b] = [staff[0]!.reportId, staff[1]!.reportId];
  services.repos.reports.updateTriage(a, { status: 'in_review', severity: 'high', category: 'EXTORTION' }, clock.now().toISOString());
  services.repos.reports.setAssignees(b, [zoe.id]);
  t.same((await list('?status=in_review')).reports.map((r) => r.id), [a]);
  t.same((await list('?severity=high')).reports.map((r) => r.id), [a]);
  t.same((await list('?category=EXTORTION')).reports.map((r) => r.id), [a]);
  t.same((await list('?assignee=me')).reports.map((r) => r.id), [b]);
  t.same((await list(`?assignee=${zoe.id}`, admin)).reports.map((r) => r.id), [b]);
  t.same((await list('?assignee=me', admin)).reports, []);
  t.same((await list('?overdue=true')).reports, [], 'nothing is late yet');
  t.equal((await list('?overdue=false')).reports.length, 3, 'overdue=false does not filter');
  clock.advance(8 * 24 * 3600_000);
  await signInAgain();
  t.equal((await list('?overdue=true')).reports.length, 3, 'a week later every unacknowledged report is late');
  services.repos.reports.updateTriage(a, { status: 'new', severity: null, category: null }, clock.now().toISOString());
  services.repos.reports.setAssignees(b, []);
});

t.test('bad queries are 400', async (t) => {
  for (const q of ['limit=0', 'limit=201', 'limit=x', 'status=open', 'severity=huge', 'category=bribery', 'overdue=yes', 'cursor=-1', 'cursor=abc', 'assignee=bob', 'channel=', 'colour=red']) {
    isError(t, await reviewer.get(`/api/reports?${q}`), 400, 'SBX_INVALID_REQUEST', q);
  }
  t.equal((await reviewer.get('/api/reports?limit=200')).statusCode, 200, 'the largest page');
});

t.test('one report: the reviewer decrypts everything, and it is marked read', async (t) => {
  const r = staff[2]!;
  t.equal((await r.sendMessage('a reporter message')).statusCode, 201);
  const res = await reviewer.get(`/api/reports/${r.reportId}`);
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.match(doc, { id: r.reportId, channelId: 'staff', status: 'new', unread: false, sealedInternalKey: null, notes: [], attachments: [] });
  const key = openSealedKey(doc.sealedKey, zoe.secrets.box);
  t.same(key, r.reportKey, 'the envelope is sealed to the caller');
  t.match(decryptReportContent(key, r.reportId, doc.content).answers, { description: 'a payment was asked for' });
  t.equal(doc.messages.length, 1);
  t.match(doc.messages[0], { author: 'reporter' });
  t.equal(decryptMessage(key, r.reportId, 'reporter', doc.messages[0]), 'a reporter message');
  t.equal(doc.reporterPublicKey, toB64u(r.keys.reporterPublicKey));
  t.same(doc.members.map((m: { username: string; hasKey: boolean }) => [m.username, m.hasKey]), [['amal', true], ['zoe', true]]);
  t.match(auditOf(services, 'report.view').at(-1), { actor: `user:${zoe.id}`, target: r.reportId });

  const item = (await list()).reports.find((i) => i.id === r.reportId)!;
  t.equal(item.unread, false, 'read by zoe');
  t.equal((await list('', admin)).reports.find((i) => i.id === r.reportId)!.unread, true, 'but not by amal');
  await r.sendMessage('another one');
  t.equal((await list()).reports.find((i) => i.id === r.reportId)!.unread, true, 'a new reporter message makes it unread again');
});

t.test('a member who joined later shows without a key, and a caller without an envelope gets null', async (t) => {
  const r = staff[0]!;
  const omar = quietUser(services, 'omar', ['reviewer'], ['staff']);
  services.repos.channels.setChannelsOf(zoe.id, ['staff']);
  const doc = (await reviewer.get(`/api/reports/${r.reportId}`)).json();
  const members = doc.members as { id: string; username: string; keyId: string; boxPublicKey: string; hasKey: boolean }[];
  t.match(members.find((m) => m.username === 'omar'), { id: omar.id, keyId: omar.keyId, hasKey: false, boxPublicKey: toB64u(omar.secrets.box.publicKey) });
  services.repos.users.update(omar.id, { disabled: true });

  // amal sees public's report, whose envelope we remove to stand for a key lost in a reset.
  services.db.sqlite.prepare('DELETE FROM report_keys WHERE report_id = ? AND key_id = ?').run(pub.reportId, amal.keyId);
  const pubDoc = (await admin.get(`/api/reports/${pub.reportId}`)).json();
  t.equal(pubDoc.sealedKey, null);
  t.equal(pubDoc.members.find((m: { username: string }) => m.username === 'amal').hasKey, false);
});

t.test('a reviewer asking for another channel\'s report gets the answer for a report that does not exist', async (t) => {
  const other = await reviewer.get(`/api/reports/${pub.reportId}`);
  const body = isError(t, other, 404, 'SBX_NOT_FOUND');
  t.same((await reviewer.get('/api/reports/AAAAAAAAAAAAAAAAAAAAAA')).json(), body, 'the same as an unknown id');
  isError(t, await reviewer.get('/api/reports/short'), 400, 'SBX_INVALID_REQUEST', 'a malformed id');
  const views = auditOf(services, 'report.view').filter((e) => e.target === pub.reportId && e.actor === `user:${zoe.id}`);
  t.same(views, [], 'no view recorded');
});

t.test('auditors see no report content; nobody unsigned sees anything', async (t) => {
  const r = staff[0]!.reportId;
  for (const url of ['/api/reports', `/api/reports/${r}`, `/api/reports/${r}/attachments/AAAAAAAAAAAAAAAAAAAAAA`]) {
    isError(t, await auditor.get(url), 403, 'SBX_FORBIDDEN', `auditor: GET ${url}`);
    isError(t, await app.inject({ method: 'GET', url }), 401, 'SBX_UNAUTHENTICATED', `no session: GET ${url}`);
  }
  for (const [method, url] of [['PATCH', `/api/reports/${r}`], ['POST', `/api/reports/${r}/messages`], ['POST', `/api/reports/${r}/notes`], ['POST', `/api/reports/${r}/keys`]] as const) {
    isError(t, await auditor.send(method, url, {}), 403, 'SBX_FORBIDDEN', `auditor: ${method} ${url}`);
  }
});
