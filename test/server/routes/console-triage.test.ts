// PATCH /api/reports/:id: the status and its dates, outcomes, labels from the administrator's
// lists, assignees, and the audit of every change.
import t from 'tap';
import { feedbackBy } from '../../../domain/deadlines.js';
import { OFFICES_SETTING } from '../../../domain/settings.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, quietUser, signIn, submitReport, unchanged } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const omar = quietUser(services, 'omar', ['reviewer'], ['public']);
const report = await submitReport(reporterApp, 'staff');
const elsewhere = await submitReport(reporterApp, 'public');
const reviewer = await signIn(app, clock, zoe);
const id = report.reportId;
const patch = (body: unknown, url = `/api/reports/${id}`) => reviewer.send('PATCH', url, body);
const lastTriage = () => auditOf(services, 'report.triage').at(-1);

t.test('acknowledging sets acknowledgedAt once and moves the feedback deadline', async (t) => {
  const received = services.repos.reports.byId(id)!;
  const res = await patch({ status: 'acknowledged' });
  t.equal(res.statusCode, 200);
  const item = res.json();
  const at = clock.now().toISOString();
  t.match(item, { id, status: 'acknowledged', acknowledgedAt: at, closedAt: null, unread: true });
  t.equal(item.feedbackBy, feedbackBy(received.receivedAt, at), 'three months from the acknowledgement');
  t.same(Object.keys(item).sort(), [
    'acknowledgeBy', 'acknowledgedAt', 'assignees', 'category', 'channelId', 'closedAt', 'deleteAt', 'feedbackBy', 'id', 'office', 'outcome',
    'process', 'receivedAt', 'severity', 'status', 'unread',
  ]);
  t.match(lastTriage(), { actor: `user:${zoe.id}`, target: id, details: { status: ['new', 'acknowledged'] } });

  clock.advance(60_000);
  t.equal((await patch({ status: 'in_review' })).json().acknowledgedAt, at);
  t.equal((await patch({ status: 'acknowledged' })).json().acknowledgedAt, at, 'acknowledging again keeps the first date');
  await patch({ status: 'in_review' });
});

t.test('closing needs an outcome; reopening clears it and the closing date', async (t) => {
  await unchanged(t, services, 'refused closings', async () => {
    isError(t, await patch({ status: 'closed' }), 400, 'SBX_INVALID_REQUEST', 'no outcome');
    isError(t, await patch({ outcome: 'spam' }), 400, 'SBX_INVALID_REQUEST', 'an outcome on an open report');
    isError(t, await patch({ status: 'closed', outcome: 'lost' }), 400, 'SBX_INVALID_REQUEST', 'not an outcome');
  });
  const closed = (await patch({ status: 'closed', outcome: 'referred' })).json();
  t.match(closed, { status: 'closed', outcome: 'referred', closedAt: clock.now().toISOString() });
  t.same(lastTriage()!.details, { status: ['in_review', 'closed'], outcome: [null, 'referred'] });
  t.equal((await report.followup()).json().status, 'closed', 'the reporter sees it');

  clock.advance(60_000);
  const changed = (await patch({ outcome: 'substantiated' })).json();
  t.match(changed, { status: 'closed', outcome: 'substantiated', closedAt: closed.closedAt }, 'the outcome changes, the date stays');
  t.equal((await patch({ severity: 'low' })).statusCode, 200, 'other fields change on a closed report');

  const reopened = (await patch({ status: 'needs_information' })).json();
  t.match(reopened, { status: 'needs_information', outcome: null, closedAt: null });
  t.same(lastTriage()!.details, { status: ['closed', 'needs_information'], outcome: ['substantiated', null] });
});

t.test('labels: severity, category, and office and process from the administrator\'s lists', async (t) => {
  await unchanged(t, services, 'refused labels', async () => {
    isError(t, await patch({ severity: 'urgent' }), 400, 'SBX_INVALID_REQUEST', 'severity');
    isError(t, await patch({ category: 'bribery' }), 400, 'SBX_INVALID_REQUEST', 'category codes are upper case');
    isError(t, await patch({ office: 'Port A' }), 400, 'SBX_INVALID_REQUEST', 'an office not on the list');
    isError(t, await patch({ process: 'smuggling' }), 400, 'SBX_INVALID_REQUEST', 'a process not on the list');
    isError(t, await patch({ office: '' }), 400, 'SBX_INVALID_REQUEST', 'empty');
  });
  services.repos.settings.set(OFFICES_SETTING, ['Port A', 'Airport B']);
  const res = (await patch({ severity: 'critical', category: 'BRIBERY', office: 'Port A', process: 'release' })).json();
  t.match(res, { severity: 'critical', category: 'BRIBERY', office: 'Port A', process: 'release' });
  t.same(lastTriage()!.details, { severity: ['low', 'critical'], category: [null, 'BRIBERY'], office: [null, 'Port A'], process: [null, 'release'] });
  t.same((await reviewer.get('/api/reports?category=BRIBERY')).json().reports.map((r: { id: string }) => r.id), [id]);

  services.db.sqlite.prepare("DELETE FROM settings WHERE key = 'processes'").run();
  isError(t, await patch({ process: 'examination' }), 400, 'SBX_INVALID_REQUEST', 'no list kept: no process allowed');

  const cleared = (await patch({ severity: null, office: null })).json();
  t.match(cleared, { severity: null, office: null, category: 'BRIBERY' });
  t.same(lastTriage()!.details, { severity: ['critical', null], office: ['Port A', null] });
});

t.test('assignees are members of the report\'s channel', async (t) => {
  await unchanged(t, services, 'refused assignees', async () => {
    isError(t, await patch({ assignees: [omar.id] }), 400, 'SBX_INVALID_REQUEST', 'a member of another channel');
    isError(t, await patch({ assignees: ['AAAAAAAAAAAAAAAAAAAAAA'] }), 400, 'SBX_INVALID_REQUEST', 'nobody');
    isError(t, await patch({ assignees: ['short'] }), 400, 'SBX_INVALID_REQUEST', 'not an id');
  });
  const res = (await patch({ assignees: [zoe.id, amal.id, zoe.id] })).json();
  t.same(res.assignees, [amal.id, zoe.id].sort(), 'once each');
  t.same(lastTriage()!.details, { assignees: [[], [amal.id, zoe.id].sort()] });
  t.same((await reviewer.get('/api/reports?assignee=me')).json().reports.map((r: { id: string }) => r.id), [id]);
  t.same((await patch({ assignees: [] })).json().assignees, []);
});

t.test('a change to nothing records nothing', async (t) => {
  const before = auditOf(services, 'report.triage').length;
  const current = services.repos.reports.byId(id)!;
  t.equal((await patch({})).statusCode, 200);
  t.equal((await patch({ status: current.status, category: current.category, assignees: [] })).statusCode, 200);
  t.equal(auditOf(services, 'report.triage').length, before);
  t.equal(services.repos.reports.byId(id)!.updatedAt, current.updatedAt);
});

t.test('bad requests, other channels and unknown reports', async (t) => {
  await unchanged(t, services, 'refused patches', async () => {
    isError(t, await patch({ status: 'open' }), 400, 'SBX_INVALID_REQUEST', 'status');
    isError(t, await patch({ colour: 'red' }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
    isError(t, await patch([]), 400, 'SBX_INVALID_REQUEST', 'not an object');
    isError(t, await reviewer.send('PATCH', `/api/reports/${id}`, '{"status":', { 'content-type': 'application/json' }), 400, 'SBX_INVALID_JSON');
    isError(t, await patch({ status: 'closed', outcome: 'spam' }, `/api/reports/${elsewhere.reportId}`), 404, 'SBX_NOT_FOUND', 'another channel\'s report');
    isError(t, await patch({ status: 'closed', outcome: 'spam' }, '/api/reports/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'SBX_NOT_FOUND', 'no report');
    isError(t, await patch({ assignees: Array.from({ length: 51 }, () => zoe.id) }), 400, 'SBX_INVALID_REQUEST', 'too many assignees');
  });
});
