// The retention purge on a clock moved forward: what goes (every row, files overwritten before they
// are unlinked), what stays (younger, extended, open), the shorter period for spam and duplicates,
// status counts, the one content-free audit event, the dry run, crash leftovers, the hourly job.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import t, { type Test } from 'tap';
import type { Outcome } from '../../db/schema.js';
import { runMaintenance, scheduleMaintenance } from '../../server/maintenance.js';
import { DAY_MS, deleteAtOf, purgeExpired } from '../../server/retention.js';
import { PENDING_BLOBS_SETTING } from '../../domain/settings.js';
import type { Services } from '../../server/services.js';
import { addMs, iso } from '../../server/time.js';
import { envelope, reportInput } from '../db/fixtures.js';
import { makeInstance } from '../helpers/instance.js';
import { waitFor } from '../helpers/wait.js';
import { fingerprint, quietUser, submitReport } from './routes/console-fixtures.js';

const inst = await makeInstance();
t.teardown(() => inst.close());
const { services, clock } = inst;
const { repos, blobs, db } = services;
const reporterApp = await inst.app('reporter');
const amina = quietUser(services, 'amina', ['reviewer'], ['staff', 'public']);

/** A report with a reporter message, a file, a note, an assignee and a read marker. */
async function fullReport(channel = 'staff') {
  const reporter = await submitReport(reporterApp, channel);
  const id = reporter.reportId;
  if ((await reporter.sendMessage('a follow-up')).statusCode !== 201) throw new Error('the message was refused');
  const file = await reporter.declareAttachment('evidence.pdf', 'application/pdf', Buffer.alloc(150_000, 7));
  const put = await reporterApp.inject({
    method: 'PUT', url: `/api/followup/attachments/${file.attachmentId}`,
    headers: { ...reporter.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(file.stream),
  });
  if (put.statusCode !== 204) throw new Error(`the upload was refused: ${put.body}`);
  repos.notes.add({ reportId: id, authorUserId: amina.id, createdAt: iso(clock.now()), nonce: Buffer.alloc(24, 1), ciphertext: Buffer.alloc(528, 2) });
  repos.reports.setAssignees(id, [amina.id]);
  repos.reads.markRead(amina.id, id, repos.reports.byId(id)!.lastReporterSeq);
  return { id, attachmentId: file.attachmentId };
}

const close = (id: string, outcome: Outcome = 'no_action') =>
  repos.reports.updateTriage(id, { status: 'closed', outcome, closedAt: iso(clock.now()) }, iso(clock.now()));

const REPORT_TABLES = ['reports:id', 'report_contents:report_id', 'report_keys:report_id', 'messages:report_id', 'notes:report_id',
  'attachments:report_id', 'report_assignees:report_id', 'report_reads:report_id'];
/** Rows that name the report, per table. */
function rowsOf(id: string): Record<string, number> {
  return Object.fromEntries(REPORT_TABLES.map((spec) => {
    const [table, column] = spec.split(':');
    return [table, (db.sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).get(id) as { n: number }).n];
  }));
}

/** The counts the triggers keep must equal a count of the rows. */
function countsAreRight(t: Test, channel: string) {
  const real = db.sqlite.prepare('SELECT status, count(*) AS n FROM reports WHERE channel_id = ? GROUP BY status').all(channel) as { status: string; n: number }[];
  const kept = repos.reports.countByStatus([channel]);
  for (const [status, n] of Object.entries(kept)) t.equal(n, real.find((r) => r.status === status)?.n ?? 0, `${channel} ${status} count`);
}

/** Reads a whole file through a descriptor opened before it was unlinked. */
function readFd(fd: number): Buffer {
  const out = Buffer.alloc(fstatSync(fd).size);
  readSync(fd, out, 0, out.length, 0);
  return out;
}

const contains = (file: string, needle: Buffer) => existsSync(file) && readFileSync(file).includes(needle);

t.test('deleteAtOf: the period by outcome, retainUntil only ever later, nothing while open', async (t) => {
  const rules = { retentionDays: 365, shortRetentionDays: 30 };
  const closedAt = '2027-01-01T10:00:00.000Z';
  t.equal(deleteAtOf({ status: 'closed', closedAt, outcome: 'referred', retainUntil: null }, rules), '2028-01-01T10:00:00.000Z');
  t.equal(deleteAtOf({ status: 'closed', closedAt, outcome: 'spam', retainUntil: null }, rules), '2027-01-31T10:00:00.000Z');
  t.equal(deleteAtOf({ status: 'closed', closedAt, outcome: 'duplicate', retainUntil: null }, rules), '2027-01-31T10:00:00.000Z');
  t.equal(deleteAtOf({ status: 'closed', closedAt, outcome: 'spam', retainUntil: '2027-01-05T00:00:00.000Z' }, rules), '2027-01-31T10:00:00.000Z', 'an earlier retainUntil does not shorten');
  t.equal(deleteAtOf({ status: 'closed', closedAt, outcome: 'spam', retainUntil: '2029-01-01T00:00:00.000Z' }, rules), '2029-01-01T00:00:00.000Z');
  t.equal(deleteAtOf({ status: 'in_review', closedAt: null, outcome: null, retainUntil: '2027-01-05T00:00:00.000Z' }, rules), null);
  t.equal(deleteAtOf({ status: 'closed', closedAt: null, outcome: 'spam', retainUntil: null }, rules), null, 'no closing date, no deletion');
});

t.test('a year on: the report closed 366 days ago goes, with its rows and overwritten files; the rest stays', async (t) => {
  const old = await fullReport('staff');
  const neverClosed = await fullReport('staff');
  close(old.id);
  clock.advance(2 * DAY_MS);
  const recent = await fullReport('staff');
  close(recent.id);
  const kept = await fullReport('public');
  close(kept.id, 'spam');
  repos.reports.updateTriage(kept.id, { retainUntil: iso(addMs(clock.now(), 400 * DAY_MS)) }, iso(clock.now()));
  const reopened = await fullReport('staff');
  close(reopened.id);
  repos.reports.updateTriage(reopened.id, { status: 'in_review', outcome: null, closedAt: null }, iso(clock.now()));

  clock.advance(364 * DAY_MS);
  t.same(rowsOf(old.id), { reports: 1, report_contents: 1, report_keys: 2, messages: 1, notes: 1, attachments: 1, report_assignees: 1, report_reads: 1 },
    'the old report had a row in every table');
  const stored = repos.reports.byId(old.id)!;
  const contentTrace = stored.contentCiphertext.subarray(40, 72);
  const blobFile = blobs.path(old.attachmentId);
  const original = readFileSync(blobFile);
  // Held open across the purge: after the unlink, this descriptor still reads the file's last bytes.
  const fd = openSync(blobFile, 'r');
  t.teardown(() => closeSync(fd));
  const auditBefore = repos.audit.list({ limit: 100_000 }).length;

  const result = await purgeExpired(services);
  t.same(result.reports.map((r) => r.id), [old.id], 'only the report closed 366 days ago');
  t.match(result, { dryRun: false, at: iso(clock.now()), counts: { reports: 1, attachments: 1, blobs: 1 } });
  t.match(result.reports[0], { channelId: 'staff', attachments: 1, deleteAt: iso(addMs(new Date(stored.closedAt!), 365 * DAY_MS)) });

  t.same(rowsOf(old.id), Object.fromEntries(REPORT_TABLES.map((s) => [s.split(':')[0], 0])), 'no row of it is left in any table');
  t.notOk(existsSync(blobFile), 'its file is unlinked');
  const last = readFd(fd);
  t.equal(last.length, original.length, 'the file kept its length');
  t.ok(last.every((b) => b === 0), 'and was overwritten with zeros before the unlink');
  t.notOk(original.every((b) => b === 0), '(it held ciphertext before)');
  t.notOk(contains(services.paths.database, contentTrace), 'the content ciphertext is not in the database file');
  t.notOk(contains(`${services.paths.database}-wal`, contentTrace), 'nor in its write-ahead log');

  for (const r of [recent, neverClosed, kept, reopened]) {
    t.equal(rowsOf(r.id).reports, 1, 'younger, open, extended and reopened reports stay');
    t.ok(existsSync(blobs.path(r.attachmentId)));
  }
  countsAreRight(t, 'staff');
  countsAreRight(t, 'public');

  const events = repos.audit.list({ afterSeq: 0, limit: 100_000 }).slice(auditBefore);
  t.same(events.map((e) => [e.actor, e.action, e.target, e.details]), [['system', 'report.purged', old.id, { channelId: 'staff' }]],
    'one audit event, naming the report and its channel only');
  t.ok(repos.audit.verify().ok, 'the audit chain still verifies');

  t.same((await purgeExpired(services)).reports, [], 'a second run has nothing to do');

  clock.advance(2 * DAY_MS);
  t.same((await purgeExpired(services)).reports.map((r) => r.id), [recent.id], 'two days later the next one goes');
  t.ok(repos.reports.byId(kept.id), 'the extended spam report stays until its retainUntil');
  clock.advance(40 * DAY_MS);
  t.same((await purgeExpired(services)).reports.map((r) => r.id), [kept.id], 'then it goes');

  clock.advance(3650 * DAY_MS);
  await purgeExpired(services);
  t.ok(repos.reports.byId(neverClosed.id), 'an open report is never deleted, however old');
  t.ok(repos.reports.byId(reopened.id), 'nor a reopened one');
  t.ok(repos.audit.verify().ok);
});

t.test('spam and duplicates go after the channel\'s shorter period', async (t) => {
  repos.channels.update('public', { shortRetentionDays: 10 });
  t.teardown(() => repos.channels.update('public', { shortRetentionDays: 30 }));
  const spam = await submitReport(reporterApp, 'public');
  const duplicate = await submitReport(reporterApp, 'public');
  const unfounded = await submitReport(reporterApp, 'public');
  close(spam.reportId, 'spam');
  close(duplicate.reportId, 'duplicate');
  close(unfounded.reportId, 'unsubstantiated');
  clock.advance(9 * DAY_MS);
  t.same((await purgeExpired(services)).reports, [], 'not after 9 days');
  clock.advance(DAY_MS + 1);
  const gone = (await purgeExpired(services)).reports.map((r) => r.id).sort();
  t.same(gone, [spam.reportId, duplicate.reportId].sort(), 'after 10 days; the unsubstantiated report keeps the full period');
  t.ok(repos.reports.byId(unfounded.reportId));
  countsAreRight(t, 'public');
});

t.test('a dry run lists what is due and changes nothing', async (t) => {
  const due = await fullReport('staff');
  close(due.id);
  clock.advance(366 * DAY_MS);
  const before = fingerprint(services);
  const result = await purgeExpired(services, { dryRun: true });
  t.equal(fingerprint(services), before, 'nothing changed');
  t.ok(result.reports.some((r) => r.id === due.id));
  t.match(result, { dryRun: true, counts: { reports: result.reports.length } });
  t.equal(result.counts.attachments, result.reports.reduce((n, r) => n + r.attachments, 0));
  t.ok((await purgeExpired(services)).reports.some((r) => r.id === due.id), 'the real run deletes it');
});

t.test('files a failure left behind are removed by the next run', async (t) => {
  const due = await fullReport('staff');
  close(due.id);
  clock.advance(366 * DAY_MS);
  const failing = { ...services, blobs: { remove: async () => { throw Object.assign(new Error('I/O error'), { code: 'EIO' }); } } } as unknown as Services;
  await t.rejects(purgeExpired(failing), { code: 'EIO' });
  t.notOk(repos.reports.byId(due.id), 'the rows went first');
  t.same(repos.settings.get(PENDING_BLOBS_SETTING), [due.attachmentId], 'the file is remembered');
  t.ok(existsSync(blobs.path(due.attachmentId)));

  const dry = await purgeExpired(services, { dryRun: true });
  t.equal(dry.counts.blobs, 1, 'a dry run counts it');
  const result = await purgeExpired(services);
  t.match(result.counts, { reports: 0, blobs: 1 });
  t.notOk(existsSync(blobs.path(due.attachmentId)), 'and the next run removes it');
  t.same(repos.settings.get(PENDING_BLOBS_SETTING), []);

  // A file another process (sealbox purge beside the server) removed first is not an error.
  repos.settings.set(PENDING_BLOBS_SETTING, [due.attachmentId]);
  const raced = { ...services, blobs: { remove: async () => { throw Object.assign(new Error('gone'), { code: 'ENOENT' }); } } } as unknown as Services;
  t.equal((await purgeExpired(raced)).counts.blobs, 1);
  t.same(repos.settings.get(PENDING_BLOBS_SETTING), []);
});

t.test('a report extended or reopened after it was found due is left alone', async (t) => {
  const due = await submitReport(reporterApp, 'staff');
  close(due.reportId);
  clock.advance(366 * DAY_MS);
  // Between finding it due and deleting it, the report changed: the transaction decides again.
  const raced = { ...services, repos: { ...repos, reports: { ...repos.reports, byId: () => undefined } } } as unknown as Services;
  t.same((await purgeExpired(raced)).reports, []);
  t.ok(repos.reports.byId(due.reportId));
  await purgeExpired(services);
});

t.test('many reports: deleted in batches, with the event loop free between them', async (t) => {
  const ids: string[] = [];
  for (let i = 0; i < 250; i++) {
    const input = reportInput('public', { id: `bulk-${String(i).padStart(4, '0')}-${'x'.repeat(8)}`, receivedAt: iso(clock.now()) });
    const created = repos.reports.create(input, [envelope(amina.keyId)]);
    if (!created.ok) throw new Error('not created');
    ids.push(input.id);
    close(input.id, 'duplicate');
  }
  clock.advance(31 * DAY_MS);
  let ticks = 0;
  let done = false;
  const tick = () => {
    ticks++;
    if (!done) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  const result = await purgeExpired(services);
  done = true;
  t.comment(`purged 250 reports in ${Math.round(performance.now() - started)} ms`);
  t.equal(result.counts.reports, 250);
  t.ok(ticks >= 2, `other work ran during the purge (${ticks} turns of the event loop)`);
  t.ok(ids.every((id) => !repos.reports.byId(id)));
  countsAreRight(t, 'public');
  t.ok(repos.audit.verify().ok);
});

t.test('the hourly maintenance runs the purge', async (t) => {
  const due = await submitReport(reporterApp, 'staff');
  close(due.reportId);
  clock.advance(366 * DAY_MS);
  t.equal((await runMaintenance(services)).reports, 1);
  t.notOk(repos.reports.byId(due.reportId));

  const next = await submitReport(reporterApp, 'staff');
  close(next.reportId);
  clock.advance(366 * DAY_MS);
  const errors: unknown[] = [];
  const stop = scheduleMaintenance(services, (e) => errors.push(e), 60 * 60 * 1000);
  t.teardown(stop);
  // The schedule runs once at once, then hourly. (A failure ends the wait: the assertion below then names it.)
  await waitFor(() => !repos.reports.byId(next.reportId) || errors.length > 0, { what: 'the scheduled run to purge the due report' });
  t.same(errors, []);
  t.equal(repos.audit.list({ action: 'report.purged', limit: 1000 }).at(-1)!.target, next.reportId);
});
