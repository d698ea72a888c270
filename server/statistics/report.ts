// The statistics of one calendar year as the console and the CSV show them: tables of counts with
// small counts withheld (./suppression.ts), and the median and 90th percentile of the days from
// receipt to acknowledgement and to feedback. Built on the server, so that the browser never
// receives a count below 5.

import type { StatisticsRepository } from '../../db/repositories/statistics.js';
import { OUTCOMES, REPORT_STATUSES } from '../../domain/vocabulary.js';
import type { Repositories } from '../../db/repositories/index.js';
import { OFFICES_SETTING, PROCESSES_SETTING } from '../../domain/settings.js';
import { CATEGORY_CODES } from '../../domain/categories.js';
import { ACKNOWLEDGE_STATES, FEEDBACK_STATES, MIN_COUNT, OPEN, REPORTS, type Durations, type StatisticsReport, type Table } from '../../domain/statistics.js';
import { shown, suppressTable } from './suppression.js';

export { ACKNOWLEDGE_STATES, FEEDBACK_STATES, OPEN, REPORTS, type Durations, type StatisticsReport, type Table } from '../../domain/statistics.js';

/**
 * The p-th percentile (0..1) of ascending values by linear interpolation between closest ranks
 * (what spreadsheets call PERCENTILE.INC): the median of 1, 2, 3, 4 is 2.5.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low]! + (h - low) * (sorted[high]! - sorted[low]!);
}

const oneDecimal = (days: number): number => Math.round(days * 10) / 10;

export function durations(sorted: readonly number[]): Durations {
  // A median of four reports is nearly one reporter's own date.
  if (sorted.length < MIN_COUNT) return { medianDays: null, p90Days: null };
  return { medianDays: oneDecimal(percentile(sorted, 0.5)), p90Days: oneDecimal(percentile(sorted, 0.9)) };
}

/** The listed keys in order, then any others the data holds (sorted, "not set" last). */
function keysOf(listed: readonly string[], present: Iterable<string | null>): (string | null)[] {
  const extra = new Set<string | null>();
  for (const key of present) if (key === null || !listed.includes(key)) extra.add(key);
  const others = [...extra].filter((k): k is string => k !== null).sort();
  return [...listed, ...others, ...(extra.has(null) ? [null] : [])];
}

/** Builds a suppressed table from rows of (row key, column key, n). */
function table<R>(rowKeys: (string | null)[], columnKeys: (string | null)[], data: readonly R[],
  key: (r: R) => [string | null, string | null, number]): Table {
  const cells = rowKeys.map(() => columnKeys.map(() => 0));
  for (const item of data) {
    const [row, column, n] = key(item);
    const r = rowKeys.indexOf(row);
    const c = columnKeys.indexOf(column);
    if (r >= 0 && c >= 0) cells[r]![c]! += n;
  }
  return { rows: rowKeys, columns: columnKeys, cells: suppressTable(cells) };
}

const list = (keys: readonly string[], counts: Record<string, number>): Table =>
  table([...keys], [REPORTS], keys.map((k) => [k, counts[k] ?? 0] as const), ([k, n]) => [k, REPORTS, n]);

export const months = (year: number): string[] => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/** The statistics of reports received in calendar `year` (UTC), as of `now`. */
export function buildStatistics(repos: Pick<Repositories, 'channels' | 'settings'> & { statistics: StatisticsRepository },
  year: number, now: Date): StatisticsReport {
  const from = `${String(year).padStart(4, '0')}-01-01T00:00:00.000Z`;
  const to = `${String(year + 1).padStart(4, '0')}-01-01T00:00:00.000Z`;
  const raw = repos.statistics.collect({ from, to, now: now.toISOString() });
  const channels = repos.channels.list().map((c) => ({ id: c.id, title: c.title }));

  const first = repos.statistics.firstReceivedAt();
  const firstYear = Math.min(first ? Number(first.slice(0, 4)) : year, year, now.getUTCFullYear());
  const lastYear = Math.max(year, now.getUTCFullYear());
  const years = Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);

  const channelKeys = keysOf(channels.map((c) => c.id), raw.byMonthChannel.map((r) => r.channelId));
  const categoryKeys = keysOf(CATEGORY_CODES, raw.byCategoryOutcome.map((r) => r.category));
  const officeKeys = keysOf(repos.settings.get(OFFICES_SETTING) ?? [], raw.substantiated.map((r) => r.office));
  const processKeys = keysOf(repos.settings.get(PROCESSES_SETTING) ?? [], raw.substantiated.map((r) => r.process));
  const statusCounts = Object.fromEntries(raw.byStatus.map((r) => [r.status, r.n]));

  return {
    year,
    years,
    generatedAt: now.toISOString(),
    threshold: MIN_COUNT,
    total: shown(raw.total),
    channels,
    monthChannel: table(months(year), channelKeys, raw.byMonthChannel, (r) => [r.month, r.channelId, r.n]),
    status: list(REPORT_STATUSES, statusCounts),
    categoryOutcome: table(categoryKeys, [...OUTCOMES, OPEN], raw.byCategoryOutcome, (r) => [r.category, r.outcome ?? OPEN, r.n]),
    acknowledgement: list(ACKNOWLEDGE_STATES, { ...raw.acknowledge }),
    feedback: list(FEEDBACK_STATES, { ...raw.feedback }),
    durations: { acknowledge: durations(raw.acknowledgeDays), feedback: durations(raw.feedbackDays) },
    riskMap: table(officeKeys, processKeys, raw.substantiated, (r) => [r.office, r.process, r.n]),
  };
}
