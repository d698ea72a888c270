// Proof-of-work challenges handed out before a submission; each may be used once.

import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { challenges, type Challenge, type NewChallenge } from '../schema.js';

export function createChallengesRepository({ orm, sqlite }: Db) {
  // Every submission runs these: prepared once.
  const id = sql.placeholder('reportId');
  const getQuery = orm.select().from(challenges).where(eq(challenges.reportId, id)).prepare();
  const markUsedQuery = orm
    .update(challenges)
    .set({ used: true })
    .where(and(eq(challenges.reportId, id), eq(challenges.used, false)))
    .prepare();
  const deleteQuery = orm.delete(challenges).where(eq(challenges.reportId, id)).prepare();
  const p = (name: string) => sql.placeholder(name);
  const insertQuery = orm
    .insert(challenges)
    .values({ reportId: p('reportId'), channelId: p('channelId'), salt: p('salt'), bits: p('bits'), expiresAt: p('expiresAt'), used: p('used') })
    .prepare();
  const syncNormal = sqlite.prepare('PRAGMA synchronous = NORMAL');
  const syncFull = sqlite.prepare('PRAGMA synchronous = FULL');
  // Prepared statements take driver values: the boolean column is 0 or 1.
  const insert = (c: NewChallenge): Challenge => {
    const row = { ...c, used: c.used ?? false };
    insertQuery.run({ ...row, used: row.used ? 1 : 0 });
    return row;
  };
  return {
    /**
     * Stores a new challenge without waiting for the disk: a challenge lost in a crash only makes
     * its reporter ask for another, so its commit need not be fsynced (synchronous=NORMAL for
     * this one statement; the next FULL commit syncs the WAL, this frame included). That halves
     * the fsyncs of a submission.
     */
    create(challenge: NewChallenge): Challenge {
      // Inside a caller's transaction the commit is the caller's, and the level cannot change.
      if (sqlite.inTransaction) return insert(challenge);
      syncNormal.run();
      try {
        return insert(challenge);
      } finally {
        syncFull.run();
      }
    },

    get(reportId: string): Challenge | undefined {
      return getQuery.get({ reportId });
    },

    /**
     * Marks the challenge used and says whether this call did it. One conditional UPDATE, so of
     * two submissions racing with the same solved challenge exactly one gets `true`.
     */
    markUsed(reportId: string): boolean {
      return markUsedQuery.run({ reportId }).changes === 1;
    },

    /** Deletes one challenge (a used one, whose expiry time would date its submission). */
    delete(reportId: string): boolean {
      return deleteQuery.run({ reportId }).changes === 1;
    },

    /** Deletes challenges that expired before `now` (ISO 8601); returns how many. */
    deleteExpired(now: string): number {
      return orm.delete(challenges).where(lt(challenges.expiresAt, now)).run().changes;
    },
  };
}

export type ChallengesRepository = ReturnType<typeof createChallengesRepository>;
