// GET /api/statistics and /api/statistics.csv: administrators and auditors only; a year of 21
// reports counted by hand, with every count from 1 to 4 (and the cells that would give one away)
// withheld before the response leaves the server; the CSV with the same values, audited, and
// without a report id, a receipt tag or a ciphertext in it.
import t from 'tap';
import type { TriagePatch } from '../../../db/repositories/reports.js';
import { statisticsOut } from '../../../server/routes/console/statistics.js';
import { reportInput } from '../../db/fixtures.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, unchanged } from './console-fixtures.js';

const { app, services, clock } = await consoleSetup(t);
const { repos } = services;
const amal = addUser(services, 'amal', ['admin'], ['staff', 'public']);
const ines = addUser(services, 'ines', ['auditor'], []);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff', 'public']);
const admin = await signIn(app, clock, amal);
const auditor = await signIn(app, clock, ines);
const reviewer = await signIn(app, clock, zoe);
repos.settings.set('offices', ['Seaport North', 'Border Post East']);

const DAY = 86_400_000;
const plus = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();
const stored: { id: string; receiptTag: Buffer; content: Buffer }[] = [];
function file(n: number, channel: string, received: string, triage: (received: string) => TriagePatch | undefined) {
  for (let i = 0; i < n; i++) {
    const input = reportInput(channel, { receivedAt: received });
    const created = repos.reports.create(input, []);
    if (!created.ok) throw new Error('expected a report');
    stored.push({ id: input.id, receiptTag: input.receiptTag, content: input.contentCiphertext });
    const patch = triage(received);
    if (patch) repos.reports.updateTriage(input.id, patch, clock.now().toISOString());
  }
}
const closed = (ackDays: number, closeDays: number, office: string, process: string) => (r: string): TriagePatch => ({
  status: 'closed', outcome: 'substantiated', category: 'BRIBERY', office, process, acknowledgedAt: plus(r, ackDays), closedAt: plus(r, closeDays),
});
// January: 7 staff reports acknowledged after 1 day and closed substantiated after 30 (Seaport North,
// examination); 2 public ones acknowledged after 3 days, closed substantiated after 40 (Border Post
// East, release). February: 5 staff reports never acknowledged. March: 1 staff report acknowledged
// after 9 days (late), 6 public ones never acknowledged. One report of 2025.
file(7, 'staff', '2026-01-05T10:00:00.000Z', closed(1, 30, 'Seaport North', 'examination'));
file(2, 'public', '2026-01-20T10:00:00.000Z', closed(3, 40, 'Border Post East', 'release'));
file(5, 'staff', '2026-02-10T00:00:00.000Z', () => undefined);
file(1, 'staff', '2026-03-03T00:00:00.000Z', (r) => ({ status: 'acknowledged', acknowledgedAt: plus(r, 9) }));
file(6, 'public', '2026-03-15T00:00:00.000Z', () => undefined);
file(1, 'public', '2025-06-01T00:00:00.000Z', () => undefined);

const S = '<5';
const H = 'hidden';

t.test('administrators and auditors read the statistics; reviewers do not', async (t) => {
  for (const client of [admin, auditor]) {
    const res = await client.get('/api/statistics');
    t.equal(res.statusCode, 200, client.user.username);
    t.equal(res.json().year, 2026, 'this year by default');
  }
  isError(t, await reviewer.get('/api/statistics'), 403, 'SBX_FORBIDDEN', 'a reviewer');
  isError(t, await reviewer.get('/api/statistics.csv'), 403, 'SBX_FORBIDDEN', 'nor its CSV');
  isError(t, await app.inject({ method: 'GET', url: '/api/statistics' }), 401, 'SBX_UNAUTHENTICATED');
  isError(t, await app.inject({ method: 'GET', url: '/api/statistics.csv' }), 401, 'SBX_UNAUTHENTICATED');
  for (const q of ['year=26', 'year=abcd', 'year=1969', 'year=20266', 'year=', 'channel=staff']) {
    await unchanged(t, services, q, async () => isError(t, await auditor.get(`/api/statistics?${q}`), 400, 'SBX_INVALID_REQUEST', q));
    isError(t, await auditor.get(`/api/statistics.csv?${q}`), 400, 'SBX_INVALID_REQUEST', `csv ${q}`);
  }
});

t.test('the hand count, with small counts withheld on the server', async (t) => {
  const res = await auditor.get('/api/statistics?year=2026');
  const s = res.json();
  t.equal(s.total, 21);
  t.same(s.years, [2025, 2026]);
  t.same(s.monthChannel.columns, ['public', 'staff']);
  // Jan: public 2, staff 7 → the 7 is hidden with the "<5" beside it; Feb: 0, 5; Mar: 6, 1 → the 6 is hidden.
  t.same(s.monthChannel.cells.slice(0, 4), [[S, H], [0, 5], [H, S], [0, 0]]);
  // new 11, acknowledged 1, closed 9 → the 9 goes with the 1.
  t.same(s.status.cells, [[11], [S], [0], [0], [H]]);
  const co = s.categoryOutcome;
  t.same(co.cells[co.rows.indexOf('BRIBERY')], [9, 0, 0, 0, 0, 0, 0]);
  t.same(co.cells[co.rows.indexOf(null)], [0, 0, 0, 0, 0, 0, 12]);
  // Acknowledged in time 9, late 1, overdue 11 → the 9 goes with the 1.
  t.same(s.acknowledgement.cells, [[H], [S], [11], [0], [0]]);
  // Feedback (closing) in time 9; overdue 12: the March report acknowledged, and the 11 never acknowledged.
  t.same(s.feedback.cells, [[9], [0], [12], [0]]);
  // To acknowledge: 1 ×7, 3, 3, 9 → median 1, p90 3 + 0.1 × 6; to feedback: 30 ×7, 40 ×2.
  t.same(s.durations, { acknowledge: { medianDays: 1, p90Days: 3.6 }, feedback: { medianDays: 30, p90Days: 40 } });
  // Substantiated: Seaport North × examination 7, Border Post East × release 2. The year's total
  // (9) would give the 2 away, so the 7 is hidden; alone beside zeros, it takes zeros with it.
  t.same(s.riskMap.rows, ['Seaport North', 'Border Post East']);
  t.same(s.riskMap.columns.slice(0, 4), ['declaration', 'valuation_classification', 'examination', 'release']);
  t.same(s.riskMap.cells.map((row: unknown[]) => row.slice(0, 4)), [[H, 0, H, 0], [H, 0, H, S]]);
  t.ok(s.riskMap.cells.every((row: unknown[]) => row.slice(4).every((v) => v === 0)));

  const numbers = JSON.stringify([s.total, s.monthChannel, s.status, s.categoryOutcome, s.acknowledgement, s.feedback, s.riskMap]);
  t.notMatch(numbers, /(?<![\d.])[1-4](?![\d.])/, 'the response holds no count from 1 to 4');
  const last = (await auditor.get('/api/statistics?year=2025')).json();
  t.equal(last.total, S, 'the one report of 2025');
});

t.test('the response schema itself refuses a small count', async (t) => {
  const ok = (await auditor.get('/api/statistics')).json();
  t.ok(statisticsOut.safeParse(ok).success);
  t.notOk(statisticsOut.safeParse({ ...ok, total: 3 }).success, 'a total of 3');
  t.notOk(statisticsOut.safeParse({ ...ok, status: { ...ok.status, cells: [[1]] } }).success, 'a cell of 1');
  t.ok(statisticsOut.safeParse({ ...ok, status: { ...ok.status, cells: [[0], [5]] } }).success, '0 and 5 pass');
});

t.test('the CSV: the same values, audited, and nothing from a report itself', async (t) => {
  const res = await admin.get('/api/statistics.csv?year=2026');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.equal(res.headers['content-disposition'], 'attachment; filename="sealbox-statistics-2026.csv"');
  const csv = res.body;
  const lines = csv.split('\r\n');
  t.equal(lines[0], 'year,table,row,column,value');
  for (const line of [
    '2026,reports_total,,,21',
    '2026,reports_by_month_and_channel,2026-01,public,<5',
    '2026,reports_by_month_and_channel,2026-01,staff,hidden',
    '2026,reports_by_month_and_channel,2026-02,staff,5',
    '2026,reports_by_status,new,reports,11',
    '2026,reports_by_category_and_outcome,,open,12',
    '2026,acknowledgement_deadline,overdue,reports,11',
    '2026,days_to_acknowledge,p90,days,3.6',
    '2026,days_to_feedback,median,days,30',
    '2026,substantiated_by_office_and_process,Border Post East,release,<5',
    '2026,substantiated_by_office_and_process,Seaport North,examination,hidden',
  ]) t.ok(lines.includes(line), line);
  t.notOk(lines.some((l) => !l.includes(',days,') && /,[1-4]$/.test(l)), 'no count from 1 to 4');
  for (const r of stored) {
    for (const text of [r.id, r.receiptTag.toString('hex'), r.receiptTag.toString('base64url'), r.content.toString('base64url').slice(0, 24), r.content.toString('hex').slice(0, 24)]) {
      if (csv.includes(text)) t.fail(`the CSV holds ${text}`);
    }
  }
  t.notMatch(csv, /T\d\d:\d\d|\d{4}-\d\d-\d\d/, 'nothing finer than the month');
  const events = auditOf(services, 'statistics.export');
  t.equal(events.length, 1, 'the JSON is not audited; the file is');
  t.match(events[0], { actor: `user:${amal.id}`, target: null, details: { year: 2026 } });

  const auditorCsv = await auditor.get('/api/statistics.csv?year=2025');
  t.match(auditorCsv.body, /^year,table,row,column,value\r\n2025,reports_total,,,<5\r\n/, 'auditors too, any year');
  t.equal(auditOf(services, 'statistics.export').length, 2);
});
