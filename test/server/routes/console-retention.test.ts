// Retention in the console API: the deletion date in the inbox, the report and triage answers;
// extending it with a reason (an encrypted note, a content-free audit event), who may, and every
// refusal changing nothing; the channel's shorter period for spam and duplicates.
import t from 'tap';
import { decryptNote, encryptNote, generateReportKey, randomBytes, toB64u } from '../../../crypto/index.js';
import { DAY_MS, purgeExpired } from '../../../server/retention.js';
import { addMs, iso } from '../../../server/time.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, quietUser, signIn, submitReport, unchanged } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const audrey = addUser(services, 'audrey', ['auditor'], []);
quietUser(services, 'omar', ['reviewer'], ['public']);
let reviewer = await signIn(app, clock, zoe);
let admin = await signIn(app, clock, amal);
let auditor = await signIn(app, clock, audrey);
/** Moves the clock by days; sessions end after 30 idle minutes, so everyone signs in again. */
async function advanceDays(days: number) {
  clock.advance(days * DAY_MS);
  [reviewer, admin, auditor] = [await signIn(app, clock, zoe), await signIn(app, clock, amal), await signIn(app, clock, audrey)];
}

const closedReport = await submitReport(reporterApp, 'staff');
const openReport = await submitReport(reporterApp, 'staff');
const spamReport = await submitReport(reporterApp, 'staff');
const elsewhere = await submitReport(reporterApp, 'public');
const id = closedReport.reportId;
const internalKey = generateReportKey();
const REASON = 'Pending court case 2027/114 at the district court';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const extend = (retainUntil: string, client = reviewer, reportId = id, text = REASON) =>
  client.send('POST', `/api/reports/${reportId}/retention`, { retainUntil, note: encryptNote(internalKey, reportId, text) });

let closedAt = '';
t.test('the deletion date: null while open, a year after closing, 30 days for spam', async (t) => {
  const inbox = (await reviewer.get('/api/reports')).json().reports as Array<{ id: string; deleteAt: string | null }>;
  t.ok(inbox.every((r) => r.deleteAt === null), 'open reports have none');

  const closed = await reviewer.send('PATCH', `/api/reports/${id}`, { status: 'closed', outcome: 'referred' });
  t.equal(closed.statusCode, 200);
  closedAt = closed.json().closedAt;
  const yearOn = iso(addMs(new Date(closedAt), 365 * DAY_MS));
  t.equal(closed.json().deleteAt, yearOn, 'the triage answer has it');
  const spam = (await reviewer.send('PATCH', `/api/reports/${spamReport.reportId}`, { status: 'closed', outcome: 'spam' })).json();
  t.equal(spam.deleteAt, iso(addMs(new Date(spam.closedAt), 30 * DAY_MS)), 'spam: the channel\'s shorter period');

  const rows = (await reviewer.get('/api/reports')).json().reports as Array<{ id: string; deleteAt: string | null }>;
  t.equal(rows.find((r) => r.id === id)!.deleteAt, yearOn, 'the inbox has it');
  t.equal(rows.find((r) => r.id === openReport.reportId)!.deleteAt, null);
  t.equal((await reviewer.get(`/api/reports/${id}`)).json().deleteAt, yearOn, 'the report view has it');
});

t.test('extending: the report is kept until the day, the reason is an encrypted note, the audit says only when', async (t) => {
  const target = day(Date.parse(closedAt) + 500 * DAY_MS);
  const before = services.repos.reports.byId(id)!;
  clock.advance(60_000);
  const res = await extend(target);
  t.equal(res.statusCode, 200, res.body);
  const { report, note } = res.json();
  t.equal(report.deleteAt, `${target}T00:00:00.000Z`);
  t.match(note, { id: /^[A-Za-z0-9_-]{22}$/, createdAt: iso(clock.now()) });
  t.equal(services.repos.reports.byId(id)!.retainUntil, `${target}T00:00:00.000Z`);

  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  const stored = doc.notes.find((n: { id: string }) => n.id === note.id);
  t.match(stored, { authorUserId: zoe.id, createdAt: note.createdAt });
  t.equal(decryptNote(internalKey, id, stored), REASON, 'the reason reads back from the notes, under the internal key');

  const events = auditOf(services, 'report.retention_extended');
  t.equal(events.length, 1);
  t.match(events[0], { actor: `user:${zoe.id}`, target: id });
  t.same(events[0]!.details, { channelId: 'staff', from: iso(addMs(new Date(before.closedAt!), 365 * DAY_MS)), to: `${target}T00:00:00.000Z`, noteId: note.id });
  const trail = JSON.stringify(services.repos.audit.list({ limit: 100_000 }));
  t.notMatch(trail, 'court', 'nothing of the reason is in the audit trail');

  await advanceDays(400);
  await purgeExpired(services);
  t.ok(services.repos.reports.byId(id), 'kept past its year');
  t.equal((await reviewer.get(`/api/reports/${id}`)).json().deleteAt, `${target}T00:00:00.000Z`);

  const further = day(Date.parse(target) + 100 * DAY_MS);
  const byAdmin = await extend(further, admin);
  t.equal(byAdmin.statusCode, 200, 'an administrator who is a member of the channel may extend too');
  t.equal(byAdmin.json().report.deleteAt, `${further}T00:00:00.000Z`);
  t.match(auditOf(services, 'report.retention_extended').at(-1), { actor: `user:${amal.id}`, details: { from: `${target}T00:00:00.000Z` } });
});

t.test('refusals change nothing', async (t) => {
  const current = services.repos.reports.byId(id)!.retainUntil!;
  const later = day(Date.parse(current) + 30 * DAY_MS);
  const url = `/api/reports/${id}/retention`;
  const note = encryptNote(internalKey, id, REASON);
  await unchanged(t, services, 'refused extensions', async () => {
    isError(t, await reviewer.send('POST', url, { retainUntil: later }), 400, 'SBX_INVALID_REQUEST', 'no reason');
    isError(t, await reviewer.send('POST', url, { retainUntil: later, note: 'pending court case' }), 400, 'SBX_INVALID_REQUEST', 'a reason in plain text');
    isError(t, await reviewer.send('POST', url, { retainUntil: later, note: { nonce: note.nonce, ciphertext: 'AAAA' } }), 400, 'SBX_INVALID_REQUEST', 'not a padded ciphertext');
    const huge = { nonce: note.nonce, ciphertext: toB64u(randomBytes((1 << 17) + 16)) };
    isError(t, await reviewer.send('POST', url, { retainUntil: later, note: huge }), 413, 'SBX_TOO_LARGE', 'a note past 64 KiB');
    isError(t, await reviewer.send('POST', url, { note }), 400, 'SBX_INVALID_REQUEST', 'no date');
    isError(t, await reviewer.send('POST', url, { retainUntil: '2031-1-1', note }), 400, 'SBX_INVALID_REQUEST', 'not YYYY-MM-DD');
    isError(t, await reviewer.send('POST', url, { retainUntil: `${later}T10:00:00Z`, note }), 400, 'SBX_INVALID_REQUEST', 'a time, not a day');
    isError(t, await reviewer.send('POST', url, { retainUntil: '2031-02-30', note }), 400, 'SBX_INVALID_REQUEST', 'a day that does not exist');
    isError(t, await reviewer.send('POST', url, { retainUntil: '2031-13-01', note }), 400, 'SBX_INVALID_REQUEST', 'a month that does not exist');
    isError(t, await reviewer.send('POST', url, { retainUntil: later, note, extra: 1 }), 400, 'SBX_INVALID_REQUEST', 'an unknown field');
    isError(t, await extend(current.slice(0, 10)), 400, 'SBX_INVALID_REQUEST', 'the current date itself');
    isError(t, await extend(day(Date.parse(current) - 10 * DAY_MS)), 400, 'SBX_INVALID_REQUEST', 'an earlier date');
    isError(t, await extend(day(clock.now().getTime() + 3651 * DAY_MS)), 400, 'SBX_INVALID_REQUEST', 'more than ten years ahead');
    isError(t, await extend(later, reviewer, openReport.reportId), 409, 'SBX_NOT_CLOSED', 'an open report');
    isError(t, await extend(later, reviewer, elsewhere.reportId), 404, 'SBX_NOT_FOUND', 'another channel\'s report');
    isError(t, await extend(later, reviewer, 'AAAAAAAAAAAAAAAAAAAAAA'), 404, 'SBX_NOT_FOUND', 'no such report');
    isError(t, await extend(later, reviewer, 'nope'), 400, 'SBX_INVALID_REQUEST', 'not a report id');
    isError(t, await extend(later, auditor), 403, 'SBX_FORBIDDEN', 'an auditor');
    isError(t, await app.inject({ method: 'POST', url, payload: { retainUntil: later, note } }), 401, 'SBX_UNAUTHENTICATED', 'no session');
    isError(t, await reviewer.send('POST', url, { retainUntil: later, note }, { origin: 'https://evil.example' }), 403, 'SBX_CSRF', 'another site');
    isError(t, await reviewer.send('POST', url, `retainUntil=${later}`, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'a form');
  });
  t.equal((await extend(day(clock.now().getTime() + 3650 * DAY_MS - DAY_MS))).statusCode, 200, 'ten years ahead is allowed');
});

t.test('a report past its deletion date but not yet purged can still be kept', async (t) => {
  const late = await submitReport(reporterApp, 'staff');
  await reviewer.send('PATCH', `/api/reports/${late.reportId}`, { status: 'closed', outcome: 'spam' });
  await advanceDays(31);
  const item = (await reviewer.get(`/api/reports/${late.reportId}`)).json();
  t.ok(item.deleteAt < iso(clock.now()), 'due, the hourly job has not run');
  isError(t, await extend(day(clock.now().getTime() - DAY_MS), reviewer, late.reportId), 400, 'SBX_INVALID_REQUEST', 'a day already past');
  t.equal((await extend(day(clock.now().getTime() + 2 * DAY_MS), reviewer, late.reportId)).statusCode, 200);
  await purgeExpired(services);
  t.ok(services.repos.reports.byId(late.reportId), 'kept');
});

t.test('channels: the shorter period for spam and duplicates is an administrator\'s setting', async (t) => {
  const channels = (await admin.get('/api/channels')).json().channels as Array<{ id: string; shortRetentionDays: number; retentionDays: number }>;
  t.match(channels.find((c) => c.id === 'staff'), { retentionDays: 365, shortRetentionDays: 30 });
  const res = await admin.send('PATCH', '/api/channels/staff', { shortRetentionDays: 7 });
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().shortRetentionDays, 7);
  t.same(auditOf(services, 'channel.update').at(-1)!.details, { shortRetentionDays: [30, 7] });
  const duplicate = await submitReport(reporterApp, 'staff');
  const closed = (await reviewer.send('PATCH', `/api/reports/${duplicate.reportId}`, { status: 'closed', outcome: 'duplicate' })).json();
  t.equal(closed.deleteAt, iso(addMs(new Date(closed.closedAt), 7 * DAY_MS)), 'a duplicate follows the new setting');

  const patch = (body: unknown) => admin.send('PATCH', '/api/channels/staff', body);
  await unchanged(t, services, 'refused settings', async () => {
    isError(t, await patch({ shortRetentionDays: 0 }), 400, 'SBX_INVALID_REQUEST', 'zero days');
    isError(t, await patch({ shortRetentionDays: 1.5 }), 400, 'SBX_INVALID_REQUEST', 'not whole days');
    isError(t, await patch({ shortRetentionDays: 400 }), 400, 'SBX_INVALID_REQUEST', 'longer than the full period');
    isError(t, await patch({ retentionDays: 5 }), 400, 'SBX_INVALID_REQUEST', 'a full period below the short one');
    isError(t, await reviewer.send('PATCH', '/api/channels/staff', { shortRetentionDays: 3 }), 403, 'SBX_FORBIDDEN', 'a reviewer');
  });
  t.equal((await patch({ retentionDays: 60, shortRetentionDays: 60 })).statusCode, 200, 'both at once, equal');
  t.equal((await patch({ retentionDays: 365, shortRetentionDays: 30 })).statusCode, 200);
});
