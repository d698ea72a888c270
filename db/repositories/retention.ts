// The queries of the retention purge (server/retention.ts): closed reports that may be due, and
// the checkpoint that moves deletions out of the write-ahead log.

import { and, asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { reports, type ReportRow } from '../schema.js';

/** What deciding a report's deletion date needs. */
export type RetentionFields = Pick<ReportRow, 'id' | 'channelId' | 'status' | 'closedAt' | 'outcome' | 'retainUntil'>;

export function createRetentionRepository({ orm, sqlite }: Db) {
  return {
    /**
     * A channel's closed reports closed at or before `until` (ISO 8601), oldest first: the
     * candidates for deletion, read along reports_retention_idx. Their outcome and `retainUntil`
     * still decide.
     */
    closedUpTo(channelId: string, until: string): RetentionFields[] {
      return orm
        .select({
          id: reports.id,
          channelId: reports.channelId,
          status: reports.status,
          closedAt: reports.closedAt,
          outcome: reports.outcome,
          retainUntil: reports.retainUntil,
        })
        .from(reports)
        .where(and(eq(reports.channelId, channelId), lte(reports.closedAt, until), eq(reports.status, 'closed')))
        .orderBy(asc(reports.closedAt))
        .all();
    },

    /**
     * Copies the write-ahead log into the database file and truncates it. secure_delete zeroes
     * deleted rows in the pages it writes, but the older page images, with the rows in them,
     * stay in the -wal file until it is reset. Another connection's reader or writer (the CLI
     * beside the server) is waited for up to the busy timeout; then `busy` is true and the next
     * checkpoint finishes the job.
     */
    checkpoint(): { busy: boolean } {
      const [row] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
      return { busy: row?.busy === 1 };
    },
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
