// The two deadlines of EU Directive 2019/1937, Article 9, stored on each report so that the inbox
// can filter overdue reports with a plain comparison.

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
