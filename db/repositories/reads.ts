// Read markers: how far each console user has read each report.

import { and, eq, sql } from 'drizzle-orm';
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

    /** How far `userId` has read `reportId`, or undefined when they never opened it. */
    lastSeq(userId: string, reportId: string): number | undefined {
      return orm
        .select({ lastSeq: reportReads.lastSeq })
        .from(reportReads)
        .where(and(eq(reportReads.userId, userId), eq(reportReads.reportId, reportId)))
        .get()?.lastSeq;
    },
  };
}

export type ReadsRepository = ReturnType<typeof createReadsRepository>;
