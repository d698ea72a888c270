// The statistics aggregates against a hand count: eight reports of 2026 with known labels and
// dates (and two outside the year; statistics-fixtures.ts), every count and duration worked out by hand; the
// first-reply trigger and its backfill; and the query plans (the covering index, never the table).

import { readFileSync } from 'node:fs';
import t from 'tap';
import type { Db } from '../../../db/connection.js';
import { createStatisticsRepository } from '../../../db/repositories/statistics.js';
import { bytes, openTestDb } from '../fixtures.js';
import { loadCases, NOW, YEAR } from './statistics-fixtures.js';

const sortRows = <T>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

t.test('every aggregate matches the hand count', (t) => {
  const test = openTestDb(t);
  loadCases(test);
  const raw = test.repos.statistics.collect(YEAR);
  t.equal(raw.total, 8, 'A B C D E F G J; not H (2025) nor I (2027)');
  t.same(raw.byMonthChannel, [
    { month: '2026-01', channelId: 'staff', n: 2 },
    { month: '2026-02', channelId: 'public', n: 2 },
    { month: '2026-03', channelId: 'public', n: 1 },
    { month: '2026-03', channelId: 'staff', n: 2 },
    { month: '2026-12', channelId: 'staff', n: 1 },
  ]);
  t.same(sortRows(raw.byStatus), sortRows([{ status: 'closed', n: 5 }, { status: 'in_review', n: 1 }, { status: 'new', n: 2 }]));
  t.same(sortRows(raw.byCategoryOutcome), sortRows([
    { category: 'BRIBERY', outcome: 'substantiated', n: 1 },
    { category: 'BRIBERY', outcome: 'unsubstantiated', n: 1 },
    { category: 'EXTORTION', outcome: null, n: 1 },
    { category: 'EXTORTION', outcome: 'substantiated', n: 1 },
    { category: null, outcome: null, n: 2 },
    { category: null, outcome: 'spam', n: 1 },
    { category: null, outcome: 'substantiated', n: 1 },
  ]));
  t.same(sortRows(raw.substantiated), sortRows([
    { office: 'Seaport North', process: 'examination', n: 2 },
    { office: 'Border Post East', process: null, n: 1 },
  ]), 'A and G at Seaport North in examination, J at Border Post East; H is of 2025');
  t.same(raw.acknowledge, { met: 4, late: 1, overdue: 1, pending: 1, closedWithout: 1 }, 'met A C G J, late B, overdue D, pending E, closed without F');
  t.same(raw.feedback, { met: 5, late: 1, overdue: 1, pending: 1 }, 'met A C F G J, late B, overdue D, pending E');
  const days = (values: number[]) => values.map((d) => Math.round(d * 1000) / 1000);
  t.same(days(raw.acknowledgeDays), [1, 1, 1, 2, 10], 'C G J 1 day, A 2, B 10; ascending');
  t.same(days(raw.feedbackDays), [1, 7, 10, 31, 42, 137], 'F 1, C 7 (its early message does not count), A 10, G 31, J 42, B 137');
  t.equal(test.repos.statistics.firstReceivedAt(), '2025-12-31T23:00:00.000Z');
  t.end();
});

t.test('an empty year, and an empty database', (t) => {
  const test = openTestDb(t);
  t.equal(test.repos.statistics.firstReceivedAt(), undefined);
  loadCases(test);
  const raw = test.repos.statistics.collect({ from: '2030-01-01T00:00:00.000Z', to: '2031-01-01T00:00:00.000Z', now: NOW });
  t.same(raw, {
    total: 0, byMonthChannel: [], byStatus: [], byCategoryOutcome: [], substantiated: [],
    acknowledge: { met: 0, late: 0, overdue: 0, pending: 0, closedWithout: 0 }, feedback: { met: 0, late: 0, overdue: 0, pending: 0 },
    acknowledgeDays: [], feedbackDays: [],
  });
  t.end();
});

t.test('the first reply after the acknowledgement is kept by a trigger, and the migration fills it in', (t) => {
  const test = openTestDb(t);
  const ids = loadCases(test);
  const firstReply = (id: string) => test.repos.reports.byId(id)!.firstReplyAt;
  t.equal(firstReply(ids.A!), '2026-01-20T09:00:00.000Z');
  t.equal(firstReply(ids.C!), '2026-02-10T08:00:00.000Z', 'not the message sent before the acknowledgement');
  t.equal(firstReply(ids.B!), null);
  t.equal(firstReply(ids.D!), null);
  test.repos.messages.add({ reportId: ids.A!, author: 'reviewer', createdAt: '2026-02-01T00:00:00.000Z', nonce: bytes(24), ciphertext: bytes(528) });
  t.equal(firstReply(ids.A!), '2026-01-20T09:00:00.000Z', 'a later reply leaves the first one');
  test.repos.messages.add({ reportId: ids.D!, author: 'reviewer', createdAt: '2026-12-01T00:00:00.000Z', nonce: bytes(24), ciphertext: bytes(528) });
  t.equal(firstReply(ids.D!), null, 'a reply to a report never acknowledged is not feedback');

  // The migration's backfill, run on rows that predate the column, gives the same values.
  const migration = readFileSync('db/migrations/0004_statistics_case_export.sql', 'utf8').split('--> statement-breakpoint');
  const backfill = migration.find((s) => s.includes('UPDATE `reports` SET `first_reply_at`'));
  t.ok(backfill, 'the migration fills in existing reports');
  const before = test.db.sqlite.prepare('SELECT id, first_reply_at FROM reports ORDER BY id').all();
  test.db.sqlite.exec('UPDATE reports SET first_reply_at = NULL');
  test.db.sqlite.exec(backfill!);
  t.same(test.db.sqlite.prepare('SELECT id, first_reply_at FROM reports ORDER BY id').all(), before);
  t.end();
});

t.test('every statistics query reads the covering index, never the table', (t) => {
  const test = openTestDb(t);
  loadCases(test);
  const statements: string[] = [];
  const spy = { ...test.db, sqlite: new Proxy(test.db.sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') return (sql: string) => { statements.push(sql); return target.prepare(sql); };
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) } as Db;
  createStatisticsRepository(spy);
  t.equal(statements.length, 8);
  for (const sql of statements) {
    const params = Object.fromEntries(['from', 'to', 'now'].filter((p) => sql.includes(`@${p}`)).map((p) => [p, YEAR[p as keyof typeof YEAR]]));
    const plan = test.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((r) => (r as { detail: string }).detail);
    t.ok(plan.some((d) => d.includes('USING COVERING INDEX reports_statistics_idx')), `${sql.slice(0, 60)}…: ${plan.join(' | ')}`);
    t.notOk(plan.some((d) => /^SCAN reports\b(?! USING COVERING INDEX reports_statistics_idx)/.test(d)), 'no full table scan');
  }
  const periodQueries = statements.filter((s) => s.includes('@from'));
  t.equal(periodQueries.length, 7, 'and every one of a period is a range of it');
  for (const sql of periodQueries) {
    const plan = test.db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(Object.fromEntries(['from', 'to', 'now'].filter((p) => sql.includes(`@${p}`)).map((p) => [p, YEAR[p as keyof typeof YEAR]])));
    t.ok(plan.some((r) => /SEARCH reports USING COVERING INDEX reports_statistics_idx \(received_at>\? AND received_at<\?\)/.test((r as { detail: string }).detail)));
  }
  t.end();
});
