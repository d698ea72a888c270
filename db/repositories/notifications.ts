// Who is told of what by e-mail: the readers of a new report who want to hear at once, and the
// counts behind daily digests and deadline reminders. A user counts a report only if they are a
// member of its channel, the report's key is sealed to them and the reporter did not leave them
// out: someone the reporter left out of a report must not learn from an e-mail that it exists.

import { and, eq, gt, gte, isNotNull, isNull, lt, lte, max, ne, count, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { channelMembers, reportExclusions, reportKeys, reports, users, type NotifyMode } from '../schema.js';

export interface ImmediateRecipient {
  userId: string;
  email: string;
  locale: string;
  channelId: string;
}

export interface Subscriber {
  id: string;
  email: string;
  notify: NotifyMode;
  locale: string;
  roles: string[];
}

/** Reports per reader and channel. */
export interface ReaderCount {
  userId: string;
  channelId: string;
  n: number;
}

/** The reporter did not leave the user out (PROTOCOL.md §9); an envelope alone would already say so, but a mail must not depend on that. */
const notExcluded = sql`NOT EXISTS (SELECT 1 FROM ${reportExclusions} WHERE ${reportExclusions.reportId} = ${reports.id} AND ${reportExclusions.userId} = ${users.id})`;

export function createNotificationsRepository({ orm }: Db) {
  /** Reports joined to the users who may read them and want mail, narrowed by `where`. */
  const readerCounts = (where: SQL | undefined): ReaderCount[] =>
    orm
      .select({ userId: users.id, channelId: reports.channelId, n: count() })
      .from(reports)
      .innerJoin(reportKeys, eq(reportKeys.reportId, reports.id))
      .innerJoin(users, eq(users.keyId, reportKeys.keyId))
      .innerJoin(channelMembers, and(eq(channelMembers.userId, users.id), eq(channelMembers.channelId, reports.channelId)))
      .where(and(where, isNotNull(users.email), ne(users.notify, 'none'), eq(users.disabled, false), notExcluded))
      .groupBy(users.id, reports.channelId)
      .all();

  const immediateQuery = orm
    .select({ userId: users.id, email: sql<string>`${users.email}`, locale: users.notifyLocale, channelId: reports.channelId })
    .from(reports)
    .innerJoin(reportKeys, eq(reportKeys.reportId, reports.id))
    .innerJoin(users, eq(users.keyId, reportKeys.keyId))
    .innerJoin(channelMembers, and(eq(channelMembers.userId, users.id), eq(channelMembers.channelId, reports.channelId)))
    .where(and(eq(reports.id, sql.placeholder('reportId')), eq(users.notify, 'immediate'), isNotNull(users.email), eq(users.disabled, false), notExcluded))
    .prepare();

  return {
    /** Readers of this report who asked to hear of each new report at once. */
    immediateRecipients(reportId: string): ImmediateRecipient[] {
      return immediateQuery.all({ reportId });
    },

    /** Enabled users with an address and a mode other than `none`. */
    subscribers(): Subscriber[] {
      return orm
        .select({ id: users.id, email: sql<string>`${users.email}`, notify: users.notify, locale: users.notifyLocale, roles: users.roles })
        .from(users)
        .where(and(isNotNull(users.email), ne(users.notify, 'none'), eq(users.disabled, false)))
        .all();
    },

    /** Reports with `afterSeq < seq <= upToSeq`, per reader and channel. */
    receivedBetween(afterSeq: number, upToSeq: number): ReaderCount[] {
      return readerCounts(and(gt(reports.seq, afterSeq), lte(reports.seq, upToSeq)));
    },

    /** Open, unacknowledged reports whose acknowledgement falls due in `[from, to)`, per reader and channel. */
    acknowledgementDue(from: string, to: string): ReaderCount[] {
      return readerCounts(and(
        isNull(reports.acknowledgedAt), ne(reports.status, 'closed'), gte(reports.acknowledgeBy, from), lt(reports.acknowledgeBy, to),
      ));
    },

    /** The highest report `seq` (0 with no reports), optionally among reports received before `receivedBefore`. */
    lastReportSeq(receivedBefore?: string): number {
      const row = orm
        .select({ seq: max(reports.seq) })
        .from(reports)
        .where(receivedBefore === undefined ? undefined : lt(reports.receivedAt, receivedBefore))
        .get();
      return row!.seq ?? 0;
    },
  };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
