// EXPLAIN QUERY PLAN for the inbox and the receipt lookup: each must reach reports through an
// index, never by reading the whole table, or the inbox and the reporter API slow down as
// reports accumulate.

import { drizzle } from 'drizzle-orm/better-sqlite3';
import t, { type Test } from 'tap';
import type { Db } from '../../../db/connection.js';
import { createReportsRepository, type InboxQuery } from '../../../db/repositories/reports.js';
import * as schema from '../../../db/schema.js';
import { bytes, makeChannel, makeUser, openTestDb, reportInput } from '../fixtures.js';

interface Plan {
  sql: string;
  details: string[];
}

/** The plans of every statement that `run` sends, through a drizzle instance that logs them. */
function plansOf(db: Db, run: (repos: ReturnType<typeof createReportsRepository>) => void): Plan[] {
  const queries: { sql: string; params: unknown[] }[] = [];
  const orm = drizzle({
    client: db.sqlite,
    schema,
    logger: { logQuery: (sql, params) => queries.push({ sql, params }) },
  });
  run(createReportsRepository({ ...db, orm }));
  return queries.map(({ sql, params }) => ({
    sql,
    details: db.sqlite
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => (row as { detail: string }).detail),
  }));
}

/**
 * Steps that read a whole table or index. The one scan allowed is walking reports by `seq`
 * through its index: a newest-first page with a LIMIT stops as soon as the page is full.
 */
const fullScans = (plans: Plan[]): string[] =>
  plans.flatMap((plan) =>
    plan.details.filter(
      (detail) => detail.startsWith('SCAN ') && !detail.startsWith('SCAN reports USING INDEX reports_seq_unique'),
    ),
  );

const NOW = '2026-12-31T00:00:00.000Z';

function seed(t: Test) {
  const { db, repos } = openTestDb(t);
  makeChannel(repos, 'staff');
  makeChannel(repos, 'public');
  const reviewers = ['amal', 'zoe', 'yusuf', 'ines', 'li', 'olga', 'sam', 'teo'].map((name) => makeUser(repos, name));
  const viewer = reviewers[0]!;
  // Enough rows, spread over channels, labels and assignees, that the planner's choice is not an
  // artefact of an empty or lopsided table, and that every filter below matches some rows.
  db.transaction(() => {
    for (let i = 0; i < 400; i += 1) {
      const created = repos.reports.create(reportInput(i % 2 ? 'staff' : 'public'), []);
      if (!created.ok) throw new Error('expected a report');
      const id = created.report.id;
      if (i % 5 === 0) repos.reports.updateTriage(id, { severity: 'high', category: 'BRIBERY' }, NOW);
      repos.reports.setAssignees(id, [(i % 3 === 0 ? viewer : reviewers[i % reviewers.length]!).id]);
    }
  });
  return { db, viewer };
}

const cases = (assigneeId: string): [string, Partial<InboxQuery>][] => [
  ['no filter', {}],
  ['one channel', { channelId: 'staff' }],
  ['status', { status: 'new' }],
  ['severity', { severity: 'high' }],
  ['category', { category: 'BRIBERY' }],
  ['assignee', { assigneeId }],
  ['overdue', { overdue: NOW }],
  ['cursor', { cursor: 100 }],
  [
    'every filter',
    { channelId: 'staff', status: 'new', severity: 'high', category: 'BRIBERY', assigneeId, overdue: NOW, cursor: 100 },
  ],
];

// Checked without statistics (a new instance) and with them (after ANALYZE or PRAGMA optimize),
// since statistics can change the planner's mind.
for (const analyzed of [false, true]) {
  t.test(`inbox queries and the receipt lookup use indexes (${analyzed ? 'with' : 'without'} statistics)`, (t) => {
    const { db, viewer } = seed(t);
    if (analyzed) db.sqlite.exec('ANALYZE');
    const base: InboxQuery = { viewerId: viewer.id, channelIds: ['staff', 'public'], limit: 25 };

    for (const [name, filter] of cases(viewer.id)) {
      let found = 0;
      const plans = plansOf(db, (reports) => {
        found = reports.list({ ...base, ...filter }).reports.length;
      });
      t.ok(found > 0, `${name}: finds reports`);
      t.equal(plans.length, 2, `${name}: the page and its assignees`);
      const described = plans.map((plan) => plan.details.join('; ')).join(' | ');
      t.same(fullScans(plans), [], `${name}: no full scan (${described})`);
      t.ok(
        plans[0]!.details.some((detail) => /^(SEARCH|SCAN) (reports|report_assignees) USING (COVERING )?INDEX/.test(detail)),
        `${name}: reports through an index`,
      );
    }

    const counting = plansOf(db, (reports) => reports.countByStatus(['staff']));
    t.same(counting.flatMap((p) => p.details), ['SCAN report_counts'], 'counts per status read report_counts, a row per channel and status');

    const receipt = plansOf(db, (reports) => reports.byReceiptTag(bytes(32)));
    t.same(receipt[0]!.details, [
      'SEARCH reports USING INDEX reports_receipt_tag_unique (receipt_tag=?)',
      'SEARCH report_contents USING INDEX sqlite_autoindex_report_contents_1 (report_id=?)',
    ]);
    t.end();
  });
}
