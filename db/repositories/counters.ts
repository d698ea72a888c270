// Named counters that hand out increasing numbers.
//
// `seq` is the global sequence shared by reports, messages, notes and attachments. Stored times of
// reporter events are rounded to the hour, so they cannot order events; one sequence across all
// tables can, and it is what the inbox pages on and what unread markers compare.

import { sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { counters } from '../schema.js';

export const SEQ = 'seq';

export function createCountersRepository({ orm }: Db) {
  const nextQuery = orm
    .insert(counters)
    .values({ name: sql.placeholder('name'), value: 1 })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1` } })
    .returning({ value: counters.value })
    .prepare();
  return {
    /** The next value of counter `name` (1 for a new counter), in one atomic statement. */
    next(name: string): number {
      return nextQuery.get({ name })!.value;
    },
  };
}

export type CountersRepository = ReturnType<typeof createCountersRepository>;
