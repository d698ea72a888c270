// Reports: submission, lookup by receipt, the console inbox, triage, assignees and key envelopes.

import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { acknowledgeBy, feedbackBy } from '../../domain/deadlines.js';
import {
  reportAssignees, reportContents, reportCounts, reportExclusions, reportKeys, reportReads, reports, type NewReport, type Report, type ReportRow, type ReportKey,
} from '../schema.js';
import { REPORT_STATUSES, type ReportStatus } from '../../domain/vocabulary.js';
import { createCountersRepository, SEQ } from './counters.js';

/** What a submission stores; the repository adds the sequence number and the deadlines. */
export type NewReportInput = Pick<
  NewReport,
  'id' | 'channelId' | 'receiptTag' | 'reporterPublicKey' | 'reporterSealedKey' | 'receivedAt'
> & { contentNonce: Buffer; contentCiphertext: Buffer };

/** A report key sealed to one recipient, named by the recipient's key id. */
export interface KeyEnvelope {
  keyId: string;
  sealedKey: Buffer;
  sealedInternalKey?: Buffer | null;
}

export type CreateReportResult = { ok: true; report: Report } | { ok: false; reason: 'receipt-taken' };

export interface InboxQuery {
  /** The user asking: their read markers decide `unread`. */
  viewerId: string;
  /** The channels the viewer may see; nothing outside them is ever returned. */
  channelIds: readonly string[];
  /** Narrows to one of `channelIds` (a channel outside them gives an empty page). */
  channelId?: string;
  status?: ReportStatus;
  assigneeId?: string;
  /** The current time (ISO 8601): only reports past one of their deadlines and not closed. */
  overdue?: string;
  severity?: string;
  category?: string;
  /**
   * `newest` first (the default) or `oldest` first: oldest first is also soonest acknowledgement
   * deadline first, since that deadline is the receipt time plus seven days.
   */
  order?: 'newest' | 'oldest';
  /** Page size, at least 1. */
  limit: number;
  /** `nextCursor` of the previous page. */
  cursor?: number;
}

export interface InboxItem {
  id: string;
  channelId: string;
  receivedAt: string;
  status: ReportStatus;
  severity: string | null;
  category: string | null;
  office: string | null;
  process: string | null;
  outcome: Report['outcome'];
  acknowledgedAt: string | null;
  closedAt: string | null;
  acknowledgeBy: string;
  feedbackBy: string;
  /** Kept at least until then, past the channel's retention (server/retention.ts). */
  retainUntil: string | null;
  seq: number;
  assignees: string[];
  /** The reporter wrote (or submitted) after the viewer last read the report, or it was never read. */
  unread: boolean;
}

export interface InboxPage {
  /** Newest first (by `seq`). */
  reports: InboxItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: number | null;
}

/** The triage fields reviewers set; the repository keeps `feedbackBy` and `updatedAt` in step. */
export type TriagePatch = Partial<
  Pick<
    NewReport,
    'status' | 'severity' | 'category' | 'office' | 'process' | 'outcome' | 'acknowledgedAt' | 'closedAt' | 'retainUntil'
  >
>;

export function createReportsRepository(db: Db) {
  const { orm, transaction } = db;
  const counters = createCountersRepository(db);

  // Hot paths (every follow-up, every console view) run as prepared statements: building the
  // query with drizzle costs more than running it.
  const withContent = {
    ...getTableColumns(reports),
    contentNonce: reportContents.nonce,
    contentCiphertext: reportContents.ciphertext,
  };
  const byIdQuery = orm
    .select(withContent)
    .from(reports)
    .innerJoin(reportContents, eq(reportContents.reportId, reports.id))
    .where(eq(reports.id, sql.placeholder('id')))
    .prepare();
  const byTagQuery = orm
    .select(withContent)
    .from(reports)
    .innerJoin(reportContents, eq(reportContents.reportId, reports.id))
    .where(eq(reports.receiptTag, sql.placeholder('tag')))
    .prepare();
  const countsQuery = orm.select().from(reportCounts).prepare();
  const keysQuery = orm.select().from(reportKeys).where(eq(reportKeys.reportId, sql.placeholder('reportId'))).orderBy(asc(reportKeys.keyId)).prepare();
  const keyQuery = orm
    .select()
    .from(reportKeys)
    .where(and(eq(reportKeys.reportId, sql.placeholder('reportId')), eq(reportKeys.keyId, sql.placeholder('keyId'))))
    .prepare();
  const byId = (id: string): Report | undefined => byIdQuery.get({ id });
  const excludesQuery = orm
    .select({ userId: reportExclusions.userId })
    .from(reportExclusions)
    .where(and(eq(reportExclusions.reportId, sql.placeholder('reportId')), eq(reportExclusions.userId, sql.placeholder('userId'))))
    .prepare();
  const excludedQuery = orm
    .select({ userId: reportExclusions.userId })
    .from(reportExclusions)
    .where(eq(reportExclusions.reportId, sql.placeholder('reportId')))
    .orderBy(asc(reportExclusions.userId))
    .prepare();
  // Per status, the reports of `channels` that leave the viewer out: subtracted from the channel counts.
  const excludedCounts = (userId: string, channelIds: readonly string[]) => orm
    .select({ status: reports.status, n: sql<number>`count(*)` })
    .from(reportExclusions)
    .innerJoin(reports, eq(reports.id, reportExclusions.reportId))
    .where(and(eq(reportExclusions.userId, userId), inArray(reports.channelId, [...channelIds])))
    .groupBy(reports.status)
    .all();

  // The submission's inserts, prepared: every column is a placeholder (drizzle fills a prepared
  // statement's values as given, so the caller passes driver values: Buffers, strings, numbers).
  const p = (name: string) => sql.placeholder(name);
  const insertReportQuery = orm
    .insert(reports)
    .values({
      id: p('id'), channelId: p('channelId'), receiptTag: p('receiptTag'), reporterPublicKey: p('reporterPublicKey'),
      reporterSealedKey: p('reporterSealedKey'), status: p('status'), receivedAt: p('receivedAt'), seq: p('seq'),
      acknowledgeBy: p('acknowledgeBy'), feedbackBy: p('feedbackBy'), lastReporterSeq: p('lastReporterSeq'), updatedAt: p('updatedAt'),
    })
    .onConflictDoNothing({ target: reports.receiptTag })
    .prepare();
  const insertContentQuery = orm
    .insert(reportContents)
    .values({ reportId: p('reportId'), nonce: p('nonce'), ciphertext: p('ciphertext') })
    .prepare();
  const insertExclusionQuery = orm
    .insert(reportExclusions)
    .values({ reportId: p('reportId'), userId: p('userId') })
    .prepare();
  const insertKeyQuery = orm
    .insert(reportKeys)
    .values({ reportId: p('reportId'), keyId: p('keyId'), sealedKey: p('sealedKey'), sealedInternalKey: p('sealedInternalKey') })
    .prepare();

  function assigneesOf(reportIds: readonly string[]): Map<string, string[]> {
    const byReport = new Map<string, string[]>();
    if (reportIds.length === 0) return byReport;
    const rows = orm
      .select()
      .from(reportAssignees)
      .where(inArray(reportAssignees.reportId, [...reportIds]))
      .orderBy(asc(reportAssignees.userId))
      .all();
    for (const { reportId, userId } of rows) {
      byReport.set(reportId, [...(byReport.get(reportId) ?? []), userId]);
    }
    return byReport;
  }

  return {
    /**
     * Stores a submission, its key envelopes and whom it leaves out in one transaction, with the
     * next global `seq`. A receipt tag already in use is refused (the reporter's page draws a new
     * receipt); the tag's unique index decides, so two racing submissions cannot both take it.
     */
    create(input: NewReportInput, keys: readonly KeyEnvelope[], excluded: readonly string[] = []): CreateReportResult {
      return transaction(() => {
        const seq = counters.next(SEQ);
        const { contentNonce, contentCiphertext, ...fields } = input;
        const values = {
          ...fields,
          status: 'new' as const,
          seq,
          lastReporterSeq: seq,
          acknowledgeBy: acknowledgeBy(input.receivedAt),
          feedbackBy: feedbackBy(input.receivedAt, null),
          updatedAt: input.receivedAt,
        };
        if (insertReportQuery.run(values).changes === 0) return { ok: false, reason: 'receipt-taken' };
        insertContentQuery.run({ reportId: input.id, nonce: contentNonce, ciphertext: contentCiphertext });
        for (const key of keys) {
          insertKeyQuery.run({ reportId: input.id, keyId: key.keyId, sealedKey: key.sealedKey, sealedInternalKey: key.sealedInternalKey ?? null });
        }
        for (const userId of new Set(excluded)) insertExclusionQuery.run({ reportId: input.id, userId });
        const report: Report = {
          ...values,
          severity: null,
          category: null,
          office: null,
          process: null,
          outcome: null,
          acknowledgedAt: null,
          closedAt: null,
          firstReplyAt: null,
          retainUntil: null,
          contentNonce,
          contentCiphertext,
        };
        return { ok: true, report };
      });
    },

    byId,

    /** True when the reporter left `userId` out of the report: they may never see or read it. */
    excludes(reportId: string, userId: string): boolean {
      return excludesQuery.get({ reportId, userId }) !== undefined;
    },

    /** The users the reporter left out of the report, by id. */
    excluded(reportId: string): string[] {
      return excludedQuery.all({ reportId }).map((row) => row.userId);
    },

    /** The report a reporter's receipt token leads to (by its keyed hash, never the token). */
    byReceiptTag(receiptTag: Buffer): Report | undefined {
      return byTagQuery.get({ tag: receiptTag });
    },

    /** One page of the console inbox, newest first, paged by `seq` (keyset: stable while reports arrive). */
    list(query: InboxQuery): InboxPage {
      if (!Number.isInteger(query.limit) || query.limit < 1) {
        throw new RangeError('inbox limit must be a positive integer');
      }
      const channelIds =
        query.channelId === undefined ? [...query.channelIds] : query.channelIds.filter((id) => id === query.channelId);
      const conditions: SQL[] = [
        inArray(reports.channelId, channelIds),
        // A report that leaves the viewer out is not theirs to see (PROTOCOL.md §9).
        sql`NOT EXISTS (SELECT 1 FROM ${reportExclusions} WHERE ${reportExclusions.reportId} = ${reports.id} AND ${reportExclusions.userId} = ${query.viewerId})`,
      ];
      if (query.status !== undefined) conditions.push(eq(reports.status, query.status));
      if (query.severity !== undefined) conditions.push(eq(reports.severity, query.severity));
      if (query.category !== undefined) conditions.push(eq(reports.category, query.category));
      // "Assigned to": walk the user's assignments newest first (see report_assignees.seq).
      const assigned = query.assigneeId !== undefined;
      if (assigned) conditions.push(eq(reportAssignees.userId, query.assigneeId!));
      if (query.overdue !== undefined) {
        // Open, and either not acknowledged by its acknowledgement deadline or past its feedback
        // deadline. At the deadline itself a report is not overdue yet.
        const now = query.overdue;
        conditions.push(
          and(
            ne(reports.status, 'closed'),
            or(and(isNull(reports.acknowledgedAt), lt(reports.acknowledgeBy, now)), lt(reports.feedbackBy, now)),
          )!,
        );
      }
      const order = assigned ? reportAssignees.seq : reports.seq;
      const oldest = query.order === 'oldest';
      if (query.cursor !== undefined) conditions.push(oldest ? gt(order, query.cursor) : lt(order, query.cursor));

      const select = orm
        .select({
          id: reports.id,
          channelId: reports.channelId,
          receivedAt: reports.receivedAt,
          status: reports.status,
          severity: reports.severity,
          category: reports.category,
          office: reports.office,
          process: reports.process,
          outcome: reports.outcome,
          acknowledgedAt: reports.acknowledgedAt,
          closedAt: reports.closedAt,
          acknowledgeBy: reports.acknowledgeBy,
          feedbackBy: reports.feedbackBy,
          retainUntil: reports.retainUntil,
          seq: reports.seq,
          unread: sql<boolean>`(${reportReads.lastSeq} IS NULL OR ${reports.lastReporterSeq} > ${reportReads.lastSeq})`
            // SQLite answers 0 or 1.
            .mapWith(Boolean),
        })
        .from(assigned ? reportAssignees : reports);
      const joined = assigned ? select.innerJoin(reports, eq(reports.id, reportAssignees.reportId)) : select;
      const rows = joined
        .leftJoin(reportReads, and(eq(reportReads.reportId, reports.id), eq(reportReads.userId, query.viewerId)))
        .where(and(...conditions))
        // Either way the (filter, seq) indexes give the order: SQLite walks them in either direction.
        .orderBy(oldest ? asc(order) : desc(order))
        // One row more than asked says whether another page follows, without a COUNT.
        .limit(query.limit + 1)
        .all();

      const page = rows.slice(0, query.limit);
      const assignees = assigneesOf(page.map((row) => row.id));
      return {
        reports: page.map((row) => ({ ...row, assignees: assignees.get(row.id) ?? [] })),
        nextCursor: rows.length > query.limit ? page[page.length - 1]!.seq : null,
      };
    },

    /**
     * How many reports of the given channels are in each status (every status present, 0 if none);
     * with `viewerId`, less the reports that leave that user out.
     */
    countByStatus(channelIds: readonly string[], viewerId?: string): Record<ReportStatus, number> {
      const counts = Object.fromEntries(REPORT_STATUSES.map((status) => [status, 0])) as Record<ReportStatus, number>;
      const wanted = new Set(channelIds);
      // report_counts is kept by triggers: a handful of rows whatever the number of reports.
      for (const { channelId, status, n } of countsQuery.all()) if (wanted.has(channelId)) counts[status] += n;
      if (viewerId !== undefined && channelIds.length > 0) {
        for (const { status, n } of excludedCounts(viewerId, channelIds)) counts[status] -= n;
      }
      return counts;
    },

    /**
     * Applies a reviewer's triage change at time `now`. The feedback deadline follows the
     * acknowledgement, so it is recomputed here rather than trusted from the caller.
     */
    updateTriage(id: string, patch: TriagePatch, now: string): ReportRow | undefined {
      return transaction(() => {
        const current = byId(id);
        if (current === undefined) return undefined;
        const acknowledgedAt = patch.acknowledgedAt === undefined ? current.acknowledgedAt : patch.acknowledgedAt;
        return orm
          .update(reports)
          .set({ ...patch, feedbackBy: feedbackBy(current.receivedAt, acknowledgedAt), updatedAt: now })
          .where(eq(reports.id, id))
          .returning()
          .get();
      });
    },

    assignees(reportId: string): string[] {
      return assigneesOf([reportId]).get(reportId) ?? [];
    },

    setAssignees(reportId: string, userIds: readonly string[]): void {
      transaction(() => {
        orm.delete(reportAssignees).where(eq(reportAssignees.reportId, reportId)).run();
        const report = byId(reportId);
        if (userIds.length > 0 && report) {
          orm
            .insert(reportAssignees)
            .values(userIds.map((userId) => ({ reportId, userId, seq: report.seq })))
            .run();
        }
      });
    },

    keys(reportId: string): ReportKey[] {
      return keysQuery.all({ reportId });
    },

    key(reportId: string, keyId: string): ReportKey | undefined {
      return keyQuery.get({ reportId, keyId });
    },

    /**
     * Adds envelopes (granting access), or adds the internal-key envelope to an existing one. An
     * existing sealed key is never replaced, nor an existing sealed internal key: a key id names one
     * public key, so a second envelope adds nothing, and letting one reviewer overwrite another's
     * `Ki` envelope would lock that reviewer out of the notes.
     */
    addKeys(reportId: string, keys: readonly KeyEnvelope[]): void {
      if (keys.length === 0) return;
      orm
        .insert(reportKeys)
        .values(keys.map((key) => ({ ...key, reportId })))
        .onConflictDoUpdate({
          target: [reportKeys.reportId, reportKeys.keyId],
          set: {
            sealedInternalKey: sql`coalesce(${reportKeys.sealedInternalKey}, excluded.${sql.identifier(
              reportKeys.sealedInternalKey.name,
            )})`,
          },
        })
        .run();
    },

    /** Deletes one envelope (its holder's, when it does not open); false when there was none. */
    dropKey(reportId: string, keyId: string): boolean {
      return orm.delete(reportKeys).where(and(eq(reportKeys.reportId, reportId), eq(reportKeys.keyId, keyId))).run().changes === 1;
    },

    /** Deletes the report and, by cascade, its keys, messages, notes, attachments, assignees and reads. */
    delete(id: string): boolean {
      return orm.delete(reports).where(eq(reports.id, id)).run().changes === 1;
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;
