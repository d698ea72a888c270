// Scale: the inbox query with each filter and the follow-up lookup at 10k, 100k and 1M seeded
// reports (npm run seed), p50/p99 against the 50 ms target, and the query plans' use of indexes.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../server/config.js';
import { createServices, type Services } from '../server/services.js';
import { seed } from '../scripts/seed.js';
import type { Row, Section } from './table.js';

const SIZES = (process.env.SEALBOX_BENCH_SCALE ?? '10000,100000,1000000').split(',').map(Number);
const RUNS = 200;

function p(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function time(fn: (i: number) => unknown): { p50: number; p99: number } {
  for (let i = 0; i < 10; i++) fn(i);
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn(i);
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  return { p50: p(xs, 0.5), p99: p(xs, 0.99) };
}

function measure(services: Services) {
  const { repos, clock } = services;
  const channelIds = ['public', 'staff'];
  const reviewer = repos.channels.members('public')[0]!.id;
  const base = { viewerId: reviewer, channelIds, limit: 50 };
  const first = repos.reports.list(base);
  const tags = first.reports.slice(0, 50).map((r) => repos.reports.byId(r.id)!.receiptTag);
  const now = clock.now().toISOString();
  const queries: [string, (i: number) => unknown][] = [
    ['inbox, no filter', () => repos.reports.list(base)],
    ['inbox, status=in_review', () => repos.reports.list({ ...base, status: 'in_review' })],
    ['inbox, channel=staff', () => repos.reports.list({ ...base, channelId: 'staff' })],
    ['inbox, assignee', () => repos.reports.list({ ...base, assigneeId: reviewer })],
    ['inbox, overdue', () => repos.reports.list({ ...base, overdue: now })],
    ['inbox, severity=critical', () => repos.reports.list({ ...base, severity: 'critical' })],
    ['inbox, category=BRIBERY', () => repos.reports.list({ ...base, category: 'BRIBERY' })],
    ['inbox, page 2 (cursor)', () => repos.reports.list({ ...base, cursor: first.nextCursor! })],
    ['counts per status', () => repos.reports.countByStatus(channelIds)],
    ['follow-up lookup (report + messages + files)', (i) => {
      const r = repos.reports.byReceiptTag(tags[i % tags.length]!)!;
      repos.messages.listForReport(r.id);
      repos.attachments.listForReport(r.id);
    }],
  ];
  return queries.map(([name, fn]) => ({ name, ...time(fn) }));
}

export async function run(): Promise<Section> {
  const results = new Map<number, { name: string; p50: number; p99: number }[]>();
  const meta: string[] = [];
  for (const size of SIZES) {
    const dir = join(mkdtempSync(join(tmpdir(), 'sealbox-scale-')), 'data');
    try {
      const t0 = performance.now();
      await seed(dir, size);
      const seconds = (performance.now() - t0) / 1000;
      const services = createServices(loadConfig({ SEALBOX_DATA_DIR: dir, SEALBOX_LOG_LEVEL: 'silent' }));
      try {
        results.set(size, measure(services));
      } finally {
        services.close();
      }
      meta.push(`${size.toLocaleString('en')} reports: seeded in ${seconds.toFixed(0)} s, database ${(statSync(join(dir, 'sealbox.db')).size / 2 ** 20).toFixed(0)} MiB`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const names = results.get(SIZES[0]!)!.map((r) => r.name);
  const rows: Row[] = names.map((name) => {
    const cells = SIZES.map((size) => results.get(size)!.find((r) => r.name === name)!);
    const worst = Math.max(...cells.map((c) => c.p99));
    return {
      operation: name,
      sealbox: cells.map((c) => `${c.p50.toFixed(2)}/${c.p99.toFixed(2)}`).join('  '),
      baseline: '50 ms',
      ratio: `${(worst / 50).toFixed(3)}× ${worst < 50 ? 'ok' : 'OVER'}`,
    };
  });
  return {
    title: `Scale: query latency at ${SIZES.map((s) => s.toLocaleString('en')).join(' / ')} reports (p50/p99 ms, ${RUNS} runs each)`,
    intro: 'ratio = worst p99 across the sizes ÷ the 50 ms target (below 1 meets it). Queries through the repositories, in process.',
    headers: { sealbox: `p50/p99 ms at ${SIZES.map((s) => (s >= 1e6 ? `${s / 1e6}M` : `${s / 1e3}k`)).join(', ')}`, baseline: 'target p99' },
    rows,
    notes: [...meta, 'Query plans: test/db/repositories/reports-query-plan.test.ts checks in npm test that no inbox query or receipt lookup scans a table.'],
  };
}
