// Key distribution: the reports a reviewer can hand on. A member who joined a channel, or was
// reset (new keys), has no envelope for the channel's earlier reports; any member who holds the
// report key can seal it to them. This finds, for one such holder, the reports where that is due.

import { sql } from 'drizzle-orm';
import type { Db } from '../connection.js';

export interface PendingGrantQuery {
  /** The holder: their own user id and key id (their envelope must exist). */
  userId: string;
  keyId: string;
  /** The channels the holder belongs to. */
  channelIds: readonly string[];
  /**
   * Who may be handed keys at all, per channel: the members the roster names with their current
   * keys (PROTOCOL.md §9). A member awaiting approval is not waiting for keys: nobody may give them
   * any yet, so their reports are not listed for them.
   */
  readers: ReadonlyArray<{ channelId: string; keyId: string }>;
  limit: number;
  /** `nextCursor` of the previous page (a `seq`: pages go newest first). */
  cursor?: number;
}

export interface PendingGrant {
  reportId: string;
  channelId: string;
  seq: number;
  /** The holder's envelopes. */
  sealedKey: Buffer;
  sealedInternalKey: Buffer | null;
}

export function createKeyGrantsRepository({ orm }: Db) {
  return {
    /**
     * Reports in `channelIds` for which the holder has an envelope and some other enabled member
     * of the report's channel, named in `readers`, whom the reporter did not leave out lacks one, or lacks the internal key that the holder has. Newest
     * first, keyset-paged on `seq`; the reports' index on (channel, seq) gives the order.
     */
    pending(query: PendingGrantQuery): { grants: PendingGrant[]; nextCursor: number | null } {
      if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError('limit must be a positive integer');
      if (query.channelIds.length === 0) return { grants: [], nextCursor: null };
      const channels = sql.join(query.channelIds.map((id) => sql`${id}`), sql`, `);
      // Channel ids and key ids hold no line break, so "channel\nkeyId" names a pair.
      const readers = JSON.stringify(query.readers.map((r) => `${r.channelId}\n${r.keyId}`));
      const before = query.cursor === undefined ? sql`` : sql`AND r.seq < ${query.cursor}`;
      const rows = orm.all<{ reportId: string; channelId: string; seq: number; sealedKey: Buffer; sealedInternalKey: Buffer | null }>(sql`
        SELECT r.id AS reportId, r.channel_id AS channelId, r.seq AS seq,
               mine.sealed_key AS sealedKey, mine.sealed_internal_key AS sealedInternalKey
        FROM reports r
        JOIN report_keys mine ON mine.report_id = r.id AND mine.key_id = ${query.keyId}
        WHERE r.channel_id IN (${channels}) ${before}
          AND NOT EXISTS (SELECT 1 FROM report_exclusions x WHERE x.report_id = r.id AND x.user_id = ${query.userId})
          AND EXISTS (
            SELECT 1 FROM channel_members cm JOIN users u ON u.id = cm.user_id
            WHERE cm.channel_id = r.channel_id AND u.disabled = 0 AND u.id <> ${query.userId}
              AND (r.channel_id || char(10) || u.key_id) IN (SELECT value FROM json_each(${readers}))
              -- Nobody hands keys to a member the reporter left out (PROTOCOL.md §9).
              AND NOT EXISTS (SELECT 1 FROM report_exclusions x WHERE x.report_id = r.id AND x.user_id = u.id)
              AND NOT EXISTS (
                SELECT 1 FROM report_keys k
                WHERE k.report_id = r.id AND k.key_id = u.key_id
                  AND (k.sealed_internal_key IS NOT NULL OR mine.sealed_internal_key IS NULL)))
        ORDER BY r.seq DESC
        LIMIT ${query.limit + 1}`);
      const grants = rows.slice(0, query.limit);
      return { grants, nextCursor: rows.length > query.limit ? grants.at(-1)!.seq : null };
    },
  };
}

export type KeyGrantsRepository = ReturnType<typeof createKeyGrantsRepository>;
