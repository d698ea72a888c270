// Console sessions, stored under the SHA-256 of the cookie's random id.

import { eq, lt } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { sessions, type NewSession, type Session } from '../schema.js';

export function createSessionsRepository({ orm }: Db) {
  return {
    create(session: NewSession): Session {
      // One clock reading for both: a session is last seen when it is made (two column defaults
      // read the clock twice and could differ by a millisecond).
      const at = session.createdAt ?? new Date().toISOString();
      return orm.insert(sessions).values({ ...session, createdAt: at, lastSeenAt: session.lastSeenAt ?? at }).returning().get();
    },

    get(idHash: Buffer): Session | undefined {
      return orm.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
    },

    /** Records activity at `now` (ISO 8601), which restarts the idle timeout. */
    touch(idHash: Buffer, now: string): boolean {
      return orm.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash)).run().changes === 1;
    },

    delete(idHash: Buffer): boolean {
      return orm.delete(sessions).where(eq(sessions.idHash, idHash)).run().changes === 1;
    },

    /** Ends every session of a user (disabled, keys reset); returns how many. */
    deleteForUser(userId: string): number {
      return orm.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
    },

    /** Ends sessions idle since before `before` (ISO 8601); returns how many. */
    deleteIdleBefore(before: string): number {
      return orm.delete(sessions).where(lt(sessions.lastSeenAt, before)).run().changes;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
