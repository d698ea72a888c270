// The published statistics of the hand-counted set (test/db/repositories/statistics-fixtures.ts):
// tables with their rows and columns, suppression applied, percentiles by linear interpolation,
// and the CSV with the same values (escaped against spreadsheet formulas, never a report id).
import t from 'tap';
import { csvField, statisticsCsv } from '../../../server/statistics/csv.js';
import { buildStatistics, durations, months, percentile } from '../../../server/statistics/report.js';
import { openTestDb } from '../../db/fixtures.js';
import { loadCases, NOW } from '../../db/repositories/statistics-fixtures.js';

const S = '<5';

t.test('percentiles interpolate between closest ranks', async (t) => {
  t.equal(percentile([1, 2, 3, 4], 0.5), 2.5);
  t.equal(percentile([1, 1, 1, 2, 10], 0.5), 1);
  t.ok(Math.abs(percentile([1, 1, 1, 2, 10], 0.9) - 6.8) < 1e-9, 'h = 3.6: 2 + 0.6 × (10 − 2)');
  t.equal(percentile([7], 0.9), 7);
  t.throws(() => percentile([], 0.5), RangeError);
  t.same(durations([1, 2, 3, 4]), { medianDays: null, p90Days: null }, 'fewer than five reports: no figure');
  t.same(durations([0.04, 1.25, 2.5, 3, 100]), { medianDays: 2.5, p90Days: 61.2 }, 'one decimal');
});

t.test('the hand-counted year as published', async (t) => {
  const test = openTestDb(t);
  loadCases(test);
  test.repos.settings.set('offices', ['Seaport North', 'Border Post East', 'Airport']);
  test.repos.settings.set('processes', ['declaration', 'examination', 'release']);
  const report = buildStatistics(test.repos, 2026, new Date(NOW));

  t.equal(report.year, 2026);
  t.same(report.years, [2025, 2026], 'from the oldest report kept');
  t.equal(report.generatedAt, NOW);
  t.equal(report.threshold, 5);
  t.equal(report.total, 8);
  t.same(report.channels.map((c) => c.id), ['public', 'staff']);

  // Jan: staff 2; Feb: public 2; Mar: public 1, staff 2; Dec: staff 1. Each "<5" beside a 0 stands alone.
  t.same(report.monthChannel.rows, months(2026));
  t.same(report.monthChannel.columns, ['public', 'staff']);
  const zero = [0, 0];
  t.same(report.monthChannel.cells, [[0, S], [S, 0], [S, S], zero, zero, zero, zero, zero, zero, zero, zero, [0, S]]);

  // new 2, acknowledged 0, in review 1, needs information 0, closed 5.
  t.same(report.status, { rows: ['new', 'acknowledged', 'in_review', 'needs_information', 'closed'], columns: ['reports'], cells: [[S], [0], [S], [0], [5]] });

  const co = report.categoryOutcome;
  t.same(co.columns, ['substantiated', 'unsubstantiated', 'referred', 'no_action', 'duplicate', 'spam', 'open']);
  t.equal(co.rows.length, 18, 'every category, then "not set"');
  t.equal(co.rows.at(-1), null);
  const row = (key: string | null) => co.cells[co.rows.indexOf(key)];
  t.same(row('BRIBERY'), [S, S, 0, 0, 0, 0, 0]);
  t.same(row('EXTORTION'), [S, 0, 0, 0, 0, 0, S]);
  t.same(row(null), [S, 0, 0, 0, 0, S, S]);
  t.same(row('OTHER'), [0, 0, 0, 0, 0, 0, 0]);

  // Acknowledged in time 4 (A C G J), late 1 (B), overdue 1 (D), pending 1 (E), closed without 1 (F).
  t.same(report.acknowledgement.cells, [[S], [S], [S], [S], [S]]);
  t.same(report.acknowledgement.rows, ['met', 'late', 'overdue', 'pending', 'closedWithout']);
  // Feedback in time 5 (A C F G J), late 1, overdue 1, pending 1.
  t.same(report.feedback.cells, [[5], [S], [S], [S]]);
  // To acknowledge: 1 1 1 2 10 days; to feedback: 1 7 10 31 42 137.
  t.same(report.durations, { acknowledge: { medianDays: 1, p90Days: 6.8 }, feedback: { medianDays: 20.5, p90Days: 89.5 } });

  // Substantiated: A and G at Seaport North in examination; J at Border Post East, no process.
  t.same(report.riskMap.rows, ['Seaport North', 'Border Post East', 'Airport']);
  t.same(report.riskMap.columns, ['declaration', 'examination', 'release', null]);
  t.same(report.riskMap.cells, [[0, S, 0, 0], [0, 0, 0, S], [0, 0, 0, 0]]);

  const other = buildStatistics(test.repos, 2025, new Date(NOW));
  t.equal(other.total, S, 'H alone in 2025');
  t.same(other.riskMap.cells[0], [0, S, 0], 'no column for a process no report of that year lacks');
  t.same(other.durations.acknowledge, { medianDays: null, p90Days: null });
  const empty = buildStatistics(test.repos, 2030, new Date(NOW));
  t.same(empty.years, [2025, 2026, 2027, 2028, 2029, 2030], 'a year asked for is always listed');
  t.equal(empty.total, 0);
});

t.test('labels the lists no longer hold still count, after the listed ones', async (t) => {
  const test = openTestDb(t);
  loadCases(test);
  test.repos.settings.set('offices', ['Airport']);
  const report = buildStatistics(test.repos, 2026, new Date(NOW));
  t.same(report.riskMap.rows, ['Airport', 'Border Post East', 'Seaport North']);
  t.same(report.riskMap.columns, ['examination', null], 'no process list: only what the data holds');
});

t.test('the CSV holds the published cells, one a line', async (t) => {
  const test = openTestDb(t);
  const ids = loadCases(test);
  const report = buildStatistics(test.repos, 2026, new Date(NOW));
  const csv = statisticsCsv(report);
  const lines = csv.split('\r\n');
  t.equal(lines.at(-1), '', 'CRLF after every line');
  t.equal(lines[0], 'year,table,row,column,value');
  for (const line of [
    '2026,reports_total,,,8',
    '2026,reports_by_month_and_channel,2026-01,staff,<5',
    '2026,reports_by_month_and_channel,2026-01,public,0',
    '2026,reports_by_status,closed,reports,5',
    '2026,reports_by_category_and_outcome,,spam,<5',
    '2026,acknowledgement_deadline,closedWithout,reports,<5',
    '2026,feedback_deadline,met,reports,5',
    '2026,days_to_acknowledge,median,days,1',
    '2026,days_to_acknowledge,p90,days,6.8',
    '2026,days_to_feedback,median,days,20.5',
    '2026,substantiated_by_office_and_process,Seaport North,examination,<5',
    '2026,substantiated_by_office_and_process,Border Post East,,<5',
  ]) t.ok(lines.includes(line), line);
  const cells = (tbl: { rows: unknown[]; columns: unknown[] }) => tbl.rows.length * tbl.columns.length;
  t.equal(lines.length - 2, 1 + cells(report.monthChannel) + cells(report.status) + cells(report.categoryOutcome)
    + cells(report.acknowledgement) + cells(report.feedback) + 4 + cells(report.riskMap), 'one line per cell, nothing else');
  t.notOk(lines.slice(1).some((l) => !l.includes(',days,') && /,[1-4]$/.test(l)), 'no count from 1 to 4 (the days are not counts)');
  for (const id of Object.values(ids)) t.notOk(csv.includes(id), 'no report id');
  t.notMatch(csv, /T\d\d:\d\d/, 'no time of day');

  t.equal(csvField(null), '');
  t.equal(csvField(12), '12');
  t.equal(csvField('Seaport North'), 'Seaport North');
  t.equal(csvField('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"', 'a formula is defused and quoted');
  t.equal(csvField('+1'), "'+1");
  t.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
  t.equal(csvField('-2'), "'-2");
  t.equal(csvField('a,b'), '"a,b"');
  t.equal(csvField('two\nlines'), '"two\nlines"');
  t.equal(csvField(' padded'), '" padded"');
  t.equal(csvField('<5'), '<5');
});
