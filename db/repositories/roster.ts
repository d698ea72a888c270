// The roster's entries (PROTOCOL.md §9), in order. Appending is by `seq`: the primary key decides
// between two consoles that sign the next entry at the same moment, so one of them gets "taken".
import { asc, count } from 'drizzle-orm';
import type { SignedEntry } from '../../crypto/roster.js';
import type { Db } from '../connection.js';
import { rosterEntries } from '../schema.js';

export function createRosterRepository({ orm }: Db) {
  const allQuery = orm.select().from(rosterEntries).orderBy(asc(rosterEntries.seq)).prepare();
  const countQuery = orm.select({ n: count() }).from(rosterEntries).prepare();
  return {
    /** How many entries there are: the roster only grows, so this names its version. */
    count(): number {
      return countQuery.get()!.n;
    },

    /** Every entry, seq 0 first, as it travels (`{entry, sig}`). */
    entries(): SignedEntry[] {
      return allQuery.all().map((row) => ({ entry: row.entry, sig: row.sig }));
    },

    /** Stores the entry at its `seq`; false when that seq is already taken. */
    append(item: SignedEntry): boolean {
      return orm.insert(rosterEntries).values({ seq: item.entry.seq, entry: item.entry, sig: item.sig }).onConflictDoNothing().run().changes === 1;
    },
  };
}

export type RosterRepository = ReturnType<typeof createRosterRepository>;
