// Attachment records: declared size, bytes received so far, completion, encrypted metadata.
// The encrypted stream itself is a file in data/blobs/, handled by the server.

import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { attachments, reports, type Attachment, type NewAttachment } from '../schema.js';
import { createCountersRepository, SEQ } from './counters.js';

/** `id` is the client's; `createdAt` is rounded down to the hour by the caller. */
export type NewAttachmentInput = Omit<NewAttachment, 'seq' | 'received' | 'complete'>;

export function createAttachmentsRepository(db: Db) {
  const { orm, transaction } = db;
  const counters = createCountersRepository(db);

  const byIdQuery = orm.select().from(attachments).where(eq(attachments.id, sql.placeholder('id'))).prepare();
  const forReportQuery = orm
    .select()
    .from(attachments)
    .where(eq(attachments.reportId, sql.placeholder('reportId')))
    .orderBy(asc(attachments.seq))
    .prepare();

  return {
    /**
     * Records a new attachment with the next global `seq`, as the report's latest reporter event.
     * Returns undefined when the id is already taken (the client chose it). The report must exist.
     */
    create(input: NewAttachmentInput): Attachment | undefined {
      return transaction(() => {
        const seq = counters.next(SEQ);
        const attachment = orm
          .insert(attachments)
          .values({ ...input, seq })
          .onConflictDoNothing({ target: attachments.id })
          .returning()
          .get();
        if (attachment !== undefined) {
          orm.update(reports).set({ lastReporterSeq: seq }).where(eq(reports.id, attachment.reportId)).run();
        }
        return attachment;
      });
    },

    get(id: string): Attachment | undefined {
      return byIdQuery.get({ id });
    },

    /**
     * Counts `bytes` more as received and returns the new total. Returns undefined, changing
     * nothing, when the attachment is missing, already complete, or would pass its declared size:
     * the check and the addition are one statement, so concurrent pieces cannot overshoot.
     */
    addReceived(id: string, bytes: number): number | undefined {
      return orm
        .update(attachments)
        .set({ received: sql`${attachments.received} + ${bytes}` })
        .where(
          and(
            eq(attachments.id, id),
            eq(attachments.complete, false),
            sql`${attachments.received} + ${bytes} <= ${attachments.size}`,
          ),
        )
        .returning({ received: attachments.received })
        .get()?.received;
    },

    /** Marks the attachment complete if every declared byte arrived; says whether it did. */
    markComplete(id: string): boolean {
      const result = orm
        .update(attachments)
        .set({ complete: true })
        .where(
          and(eq(attachments.id, id), eq(attachments.complete, false), eq(attachments.received, attachments.size)),
        )
        .run();
      return result.changes === 1;
    },

    listForReport(reportId: string): Attachment[] {
      return forReportQuery.all({ reportId });
    },

    /** Uploads never completed and created before `before` (ISO 8601): to purge after 24 hours. */
    listIncompleteOlderThan(before: string): Attachment[] {
      return orm
        .select()
        .from(attachments)
        .where(and(eq(attachments.complete, false), lt(attachments.createdAt, before)))
        .orderBy(asc(attachments.seq))
        .all();
    },

    /**
     * Attachments with bytes on disk, in id order, `limit` at a time after `afterId` ('' first):
     * what a backup copies from data/blobs.
     */
    listStored(afterId: string, limit: number): Array<Pick<Attachment, 'id' | 'size' | 'received' | 'complete'>> {
      return orm
        .select({ id: attachments.id, size: attachments.size, received: attachments.received, complete: attachments.complete })
        .from(attachments)
        .where(and(gt(attachments.id, afterId), gt(attachments.received, 0)))
        .orderBy(asc(attachments.id))
        .limit(limit)
        .all();
    },

    delete(id: string): boolean {
      return orm.delete(attachments).where(eq(attachments.id, id)).run().changes === 1;
    },
  };
}

export type AttachmentsRepository = ReturnType<typeof createAttachmentsRepository>;
