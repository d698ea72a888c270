// Proof-of-work challenges handed out before a submission; each may be used once.

import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { challenges, type Challenge, type NewChallenge } from '../schema.js';

export function createChallengesRepository({ orm }: Db) {
  return {
    create(challenge: NewChallenge): Challenge {
      return orm.insert(challenges).values(challenge).returning().get();
    },

    get(reportId: string): Challenge | undefined {
      return orm.select().from(challenges).where(eq(challenges.reportId, reportId)).get();
    },

    /**
     * Marks the challenge used and says whether this call did it. One conditional UPDATE, so of
     * two submissions racing with the same solved challenge exactly one gets `true`.
     */
    markUsed(reportId: string): boolean {
      const result = orm
        .update(challenges)
        .set({ used: true })
        .where(and(eq(challenges.reportId, reportId), eq(challenges.used, false)))
        .run();
      return result.changes === 1;
    },

    /** Deletes one challenge (a used one, whose expiry time would date its submission). */
    delete(reportId: string): boolean {
      return orm.delete(challenges).where(eq(challenges.reportId, reportId)).run().changes === 1;
    },

    /** Deletes challenges that expired before `now` (ISO 8601); returns how many. */
    deleteExpired(now: string): number {
      return orm.delete(challenges).where(lt(challenges.expiresAt, now)).run().changes;
    },
  };
}

export type ChallengesRepository = ReturnType<typeof createChallengesRepository>;
