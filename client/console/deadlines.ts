// The legal deadlines as the inbox shows them (EU Directive 2019/1937, Art. 9): the server gives
// "acknowledge by" and "feedback by"; this says which one has passed, the same way the server's
// `overdue` filter does (at the deadline itself a report is not overdue yet).
import type { ListItem } from './types.js';

export interface Overdue {
  acknowledge: boolean;
  feedback: boolean;
}

export function overdueOf(item: Pick<ListItem, 'status' | 'acknowledgedAt' | 'acknowledgeBy' | 'feedbackBy'>, now: number): Overdue {
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

const DAY = 86_400_000;

/** Due within the next `days` days and not yet passed: worth a warning. */
export const dueSoon = (deadline: string, now: number, days = 2): boolean => {
  const at = Date.parse(deadline);
  return at >= now && at - now <= days * DAY;
};
