// The two deadlines of EU Directive 2019/1937, Article 9: when they fall (stored on each report so
// that the inbox can filter overdue reports with a plain comparison) and when a report is past
// one (the console shows it the same way the server's `overdue` filter selects it).
import type { ReportStatus } from './vocabulary.js';

/** Receipt must be acknowledged to the reporter within 7 days (art. 9(1)(b)). */
export const ACKNOWLEDGE_WITHIN_DAYS = 7;
/** Feedback is due within 3 months of the acknowledgement, or of the 7-day mark (art. 9(1)(f)). */
export const FEEDBACK_WITHIN_MONTHS = 3;

const DAY_MS = 24 * 60 * 60 * 1000;

/** When acknowledging a report received at `receivedAt` (ISO 8601 UTC) falls due. */
export function acknowledgeBy(receivedAt: string): string {
  return new Date(Date.parse(receivedAt) + ACKNOWLEDGE_WITHIN_DAYS * DAY_MS).toISOString();
}

/**
 * When feedback falls due: three months after the acknowledgement, or after the acknowledgement
 * deadline when none was sent (an unacknowledged report does not get more time).
 */
export function feedbackBy(receivedAt: string, acknowledgedAt: string | null): string {
  return addMonths(acknowledgedAt ?? acknowledgeBy(receivedAt), FEEDBACK_WITHIN_MONTHS);
}

/**
 * Calendar months, clamped to the end of a shorter month: 30 November + 3 months is 28 (or 29)
 * February, not 2 March as `setUTCMonth` alone would give.
 */
function addMonths(iso: string, months: number): string {
  const date = new Date(iso);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date.toISOString();
}

export interface Overdue {
  acknowledge: boolean;
  feedback: boolean;
}

/** Whether a report is past its deadlines at `now` (ms): at the deadline itself it is not overdue yet; a closed report never is. */
export function overdueOf(item: { status: ReportStatus; acknowledgedAt: string | null; acknowledgeBy: string; feedbackBy: string }, now: number): Overdue {
  if (item.status === 'closed') return { acknowledge: false, feedback: false };
  return {
    acknowledge: item.acknowledgedAt === null && Date.parse(item.acknowledgeBy) < now,
    feedback: Date.parse(item.feedbackBy) < now,
  };
}

export const isOverdue = (item: Parameters<typeof overdueOf>[0], now: number): boolean => {
  const o = overdueOf(item, now);
  return o.acknowledge || o.feedback;
};

/** Due within the next `days` days and not yet passed: worth a warning. */
export const dueSoon = (deadline: string, now: number, days = 2): boolean => {
  const at = Date.parse(deadline);
  return at >= now && at - now <= days * DAY_MS;
};
