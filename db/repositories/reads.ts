// Read markers: how far each console user has read each report.

import { sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { reportReads } from '../schema.js';

export function createReadsRepository({ orm }: Db) {
  return {
    /**
     * Records that `userId` has read `reportId` up to `seq` (the report's `lastReporterSeq` when it
     * was shown). The marker only moves forward: a page loaded earlier but saved later must not
     * make newer reporter messages look read.
     */
    markRead(userId: string, reportId: string, seq: number): void {
      orm
        .insert(reportReads)
        .values({ userId, reportId, lastSeq: seq })
        .onConflictDoUpdate({
          target: [reportReads.userId, reportReads.reportId],
          set: { lastSeq: sql`max(${reportReads.lastSeq}, excluded.${sql.identifier(reportReads.lastSeq.name)})` },
        })
        .run();
    },
  };
}

export type ReadsRepository = ReturnType<typeof createReadsRepository>;
