// When the console warns of a report's deletion, and which days an extension may name; the
// server's rules are in server/retention.ts.
import type { ListItem } from './types.js';

/** The warning window: 72 hours before the deletion. */
export const DELETION_WARNING_MS = 72 * 60 * 60 * 1000;
const DAY = 86_400_000;

/** The report is deleted within 72 hours (or is already due, and the hourly job has not run yet). */
export const deletionSoon = (item: Pick<ListItem, 'deleteAt'>, now: number): boolean =>
  item.deleteAt !== null && Date.parse(item.deleteAt) - now <= DELETION_WARNING_MS;

/**
 * The first day (YYYY-MM-DD, UTC) an extension may name: the server keeps a report until the
 * named day begins (UTC), which must come after the current deletion time.
 */
export function firstExtensionDay(deleteAt: string): string {
  return new Date(Date.parse(`${deleteAt.slice(0, 10)}T00:00:00.000Z`) + DAY).toISOString().slice(0, 10);
}
