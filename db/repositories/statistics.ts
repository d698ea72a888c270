// Aggregates over the reviewer-set labels and the dates of the reports received in a period, for
// the statistics page and its CSV (server/statistics/). Counts only: no report id, no content.
//
// Every query reads `reports_statistics_idx`, a covering index that starts with `received_at`:
// a period is one range of it and no table row is read (test/db/repositories/statistics.test.ts
// checks the plans). `INDEXED BY` makes SQLite refuse to run a query rather than fall back to
// reading the whole table, should the index ever go.
//
// Definitions (the README's "Statistics" section says the same in words):
// - A report belongs to the month (and year) it was received in, in UTC.
// - Feedback is given at the first message a reviewer sends after the acknowledgement
//   (`first_reply_at`, kept by a trigger), or at closing if that comes first.
// - Deadlines: acknowledged by `acknowledge_by`, feedback by `feedback_by` (db/deadlines.ts).
//   Exactly at the deadline is still in time, as in the inbox's overdue filter.

import type { Db } from '../connection.js';
import type { Outcome, ReportStatus } from '../schema.js';

export interface StatisticsPeriod {
  /** First instant of the period (ISO 8601 UTC), included. */
  from: string;
  /** First instant after the period, excluded. */
  to: string;
  /** The current time: what is overdue, and what is still pending, is decided against it. */
  now: string;
}

export interface AcknowledgeStates {
  /** Acknowledged by the deadline. */
  met: number;
  /** Acknowledged after it. */
  late: number;
  /** Not acknowledged, open, and past the deadline now. */
  overdue: number;
  /** Not acknowledged, open, and not yet due. */
  pending: number;
  /** Closed without ever being acknowledged (spam, duplicates). */
  closedWithout: number;
}

export interface FeedbackStates {
  met: number;
  late: number;
  overdue: number;
  pending: number;
}

export interface RawStatistics {
  total: number;
  byMonthChannel: { month: string; channelId: string; n: number }[];
  byStatus: { status: ReportStatus; n: number }[];
  byCategoryOutcome: { category: string | null; outcome: Outcome | null; n: number }[];
  /** Reports closed as substantiated, per customs office and process. */
  substantiated: { office: string | null; process: string | null; n: number }[];
  acknowledge: AcknowledgeStates;
  feedback: FeedbackStates;
  /** Days from receipt to acknowledgement, one per acknowledged report, ascending. */
  acknowledgeDays: number[];
  /** Days from receipt to feedback, one per report that had feedback, ascending. */
  feedbackDays: number[];
}

const FROM = 'reports INDEXED BY reports_statistics_idx';
const PERIOD = 'received_at >= @from AND received_at < @to';
/** When feedback was given: the first reply after the acknowledgement, or closing if earlier. */
const FEEDBACK_AT = `(CASE WHEN first_reply_at IS NULL THEN closed_at WHEN closed_at IS NULL THEN first_reply_at
  ELSE min(first_reply_at, closed_at) END)`;

export function createStatisticsRepository({ sqlite }: Db) {
  const monthChannel = sqlite.prepare(`SELECT substr(received_at, 1, 7) AS month, channel_id AS channelId, count(*) AS n
    FROM ${FROM} WHERE ${PERIOD} GROUP BY month, channel_id ORDER BY month, channel_id`);
  const status = sqlite.prepare(`SELECT status, count(*) AS n FROM ${FROM} WHERE ${PERIOD} GROUP BY status`);
  const categoryOutcome = sqlite.prepare(`SELECT category, outcome, count(*) AS n FROM ${FROM} WHERE ${PERIOD}
    GROUP BY category, outcome`);
  const substantiated = sqlite.prepare(`SELECT office, process, count(*) AS n FROM ${FROM}
    WHERE ${PERIOD} AND outcome = 'substantiated' GROUP BY office, process`);
  const deadlines = sqlite.prepare(`SELECT
      count(*) AS total,
      coalesce(sum(acknowledged_at <= acknowledge_by), 0) AS ackMet,
      coalesce(sum(acknowledged_at > acknowledge_by), 0) AS ackLate,
      coalesce(sum(acknowledged_at IS NULL AND status <> 'closed' AND acknowledge_by < @now), 0) AS ackOverdue,
      coalesce(sum(acknowledged_at IS NULL AND status <> 'closed' AND acknowledge_by >= @now), 0) AS ackPending,
      coalesce(sum(acknowledged_at IS NULL AND status = 'closed'), 0) AS ackClosedWithout,
      coalesce(sum(${FEEDBACK_AT} <= feedback_by), 0) AS fbMet,
      coalesce(sum(${FEEDBACK_AT} > feedback_by), 0) AS fbLate,
      coalesce(sum(${FEEDBACK_AT} IS NULL AND feedback_by < @now), 0) AS fbOverdue,
      coalesce(sum(${FEEDBACK_AT} IS NULL AND feedback_by >= @now), 0) AS fbPending
    FROM ${FROM} WHERE ${PERIOD}`);
  const acknowledgeDays = sqlite.prepare(`SELECT julianday(acknowledged_at) - julianday(received_at) FROM ${FROM}
    WHERE ${PERIOD} AND acknowledged_at IS NOT NULL`).pluck();
  const feedbackDays = sqlite.prepare(`SELECT julianday(${FEEDBACK_AT}) - julianday(received_at) FROM ${FROM}
    WHERE ${PERIOD} AND ${FEEDBACK_AT} IS NOT NULL`).pluck();
  const firstReceived = sqlite.prepare(`SELECT min(received_at) FROM ${FROM}`).pluck();

  // A typed array sorts numerically (a plain array's sort compares text).
  const ascending = (values: unknown[]): number[] => Array.from(Float64Array.from(values as number[]).sort());

  return {
    /** Every aggregate of the reports received in `[from, to)`, as exact counts (suppression is the caller's). */
    collect(period: StatisticsPeriod): RawStatistics {
      const range = { from: period.from, to: period.to };
      const d = deadlines.get({ ...range, now: period.now }) as Record<string, number>;
      return {
        total: d.total!,
        byMonthChannel: monthChannel.all(range) as RawStatistics['byMonthChannel'],
        byStatus: status.all(range) as RawStatistics['byStatus'],
        byCategoryOutcome: categoryOutcome.all(range) as RawStatistics['byCategoryOutcome'],
        substantiated: substantiated.all(range) as RawStatistics['substantiated'],
        acknowledge: { met: d.ackMet!, late: d.ackLate!, overdue: d.ackOverdue!, pending: d.ackPending!, closedWithout: d.ackClosedWithout! },
        feedback: { met: d.fbMet!, late: d.fbLate!, overdue: d.fbOverdue!, pending: d.fbPending! },
        acknowledgeDays: ascending(acknowledgeDays.all(range)),
        feedbackDays: ascending(feedbackDays.all(range)),
      };
    },

    /** When the oldest report still kept arrived (ISO 8601), or undefined when there is none. */
    firstReceivedAt(): string | undefined {
      return (firstReceived.get() as string | null) ?? undefined;
    },
  };
}

export type StatisticsRepository = ReturnType<typeof createStatisticsRepository>;
