// GET /api/reports/:id/history and POST /api/reports/:id/exports: a report's own events from the
// audit trail for the members of its channel (paged, names resolved, nothing that is not about
// the report), and the record of an export.
import t from 'tap';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, submitReport, unchanged } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const pia = addUser(services, 'pia', ['reviewer'], ['public']);
const ines = addUser(services, 'ines', ['auditor'], []);
const reviewer = await signIn(app, clock, zoe);
const other = await signIn(app, clock, pia);
const auditor = await signIn(app, clock, ines);
const report = await submitReport(reporterApp, 'staff');
const id = report.reportId;

interface Event { seq: number; at: string; actor: string; actorName: string | null; action: string; details: unknown }

t.test('the history: the report\'s own events, oldest first, with names', async (t) => {
  await reviewer.get(`/api/reports/${id}`);
  t.equal((await reviewer.send('PATCH', `/api/reports/${id}`, { status: 'in_review' })).statusCode, 200);
  // A failed sign-in names what was typed, which could look like a report id: not part of its history.
  services.audit({ actor: 'anonymous', action: 'auth.login_failed', target: id });
  const res = await reviewer.get(`/api/reports/${id}/history`);
  t.equal(res.statusCode, 200);
  const { events, nextAfterSeq } = res.json() as { events: Event[]; nextAfterSeq: string | null };
  t.same(events.map((e) => e.action), ['report.received', 'report.view', 'report.triage']);
  t.match(events[0], { actor: 'reporter', actorName: null, details: { channelId: 'staff' } });
  t.match(events[2], { actor: `user:${zoe.id}`, actorName: 'zoe', details: { status: ['new', 'in_review'] } });
  t.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq));
  t.equal(nextAfterSeq, null, 'one page');

  const first = (await reviewer.get(`/api/reports/${id}/history?limit=2`)).json();
  t.same(first.events.map((e: Event) => e.action), ['report.received', 'report.view']);
  t.equal(first.nextAfterSeq, String(first.events[1].seq));
  const second = (await reviewer.get(`/api/reports/${id}/history?limit=2&afterSeq=${first.nextAfterSeq}`)).json();
  t.same(second.events.map((e: Event) => e.action), ['report.triage'], 'the failed sign-in is left out of the page');
  t.ok(second.nextAfterSeq, 'the page was full before filtering, so there may be more');
  const third = (await reviewer.get(`/api/reports/${id}/history?limit=2&afterSeq=${second.nextAfterSeq}`)).json();
  t.same(third, { events: [], nextAfterSeq: null });
});

t.test('the history is for the report\'s channel members only', async (t) => {
  isError(t, await other.get(`/api/reports/${id}/history`), 404, 'SBX_NOT_FOUND', 'another channel\'s member');
  isError(t, await auditor.get(`/api/reports/${id}/history`), 403, 'SBX_FORBIDDEN', 'an auditor (who has the whole trail)');
  isError(t, await app.inject({ method: 'GET', url: `/api/reports/${id}/history` }), 401, 'SBX_UNAUTHENTICATED');
  isError(t, await reviewer.get('/api/reports/AAAAAAAAAAAAAAAAAAAAAA/history'), 404, 'SBX_NOT_FOUND');
  for (const q of ['limit=0', 'limit=1001', 'afterSeq=x', 'since=2026']) {
    isError(t, await reviewer.get(`/api/reports/${id}/history?${q}`), 400, 'SBX_INVALID_REQUEST', q);
  }
  isError(t, await reviewer.get('/api/reports/nope/history'), 400, 'SBX_INVALID_REQUEST', 'a malformed id');
});

t.test('an export is recorded', async (t) => {
  const res = await reviewer.send('POST', `/api/reports/${id}/exports`, {});
  t.equal(res.statusCode, 201);
  t.same(res.json(), { at: clock.now().toISOString() });
  const events = auditOf(services, 'report.export');
  t.equal(events.length, 1);
  t.match(events[0], { actor: `user:${zoe.id}`, target: id, details: { via: 'console' } });
  t.match((await reviewer.get(`/api/reports/${id}/history`)).json().events.at(-1), { action: 'report.export', actorName: 'zoe' });

  await unchanged(t, services, 'refused exports', async () => {
    isError(t, await other.send('POST', `/api/reports/${id}/exports`, {}), 404, 'SBX_NOT_FOUND', 'another channel');
    isError(t, await auditor.send('POST', `/api/reports/${id}/exports`, {}), 403, 'SBX_FORBIDDEN', 'an auditor');
    isError(t, await reviewer.send('POST', `/api/reports/${id}/exports`, { files: 3 }), 400, 'SBX_INVALID_REQUEST', 'a body with fields');
    isError(t, await reviewer.send('POST', '/api/reports/AAAAAAAAAAAAAAAAAAAAAA/exports', {}), 404, 'SBX_NOT_FOUND');
  });
  t.equal(auditOf(services, 'report.export').length, 1);
});
