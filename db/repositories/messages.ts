// Messages between the reporter and the reviewers, encrypted with the report key.

import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { randomId } from '../ids.js';
import { messages, reports, type Message, type NewMessage } from '../schema.js';
import { createCountersRepository, SEQ } from './counters.js';

/**
 * `createdAt` is rounded down to the hour by the caller when the reporter wrote. A version 2
 * message comes with the id its sender sealed into the AD; a version 1 message gets a random one.
 */
export type NewMessageInput = Omit<NewMessage, 'id' | 'seq' | 'version'> & { id?: string };

export function createMessagesRepository(db: Db) {
  const { orm, transaction } = db;
  const counters = createCountersRepository(db);

  const idQuery = orm.select({ id: messages.id }).from(messages).where(eq(messages.id, sql.placeholder('id'))).prepare();
  const forReportQuery = orm.select().from(messages).where(eq(messages.reportId, sql.placeholder('reportId'))).orderBy(asc(messages.seq)).prepare();

  return {
    /**
     * Stores a message with the next global `seq`; undefined when a version 2 id is already taken. A reporter's message also becomes the report's
     * latest reporter event, which marks the report unread for reviewers. The report must exist.
     */
    add(input: NewMessageInput): Message | undefined {
      return transaction(() => {
        const { id, ...rest } = input;
        // The sender's id is taken (a resend, or a guess): nothing is stored and no seq is drawn.
        if (id !== undefined && idQuery.get({ id }) !== undefined) return undefined;
        const seq = counters.next(SEQ);
        const message = orm
          .insert(messages)
          .values({ ...rest, id: id ?? randomId(), version: id === undefined ? 1 : 2, seq })
          .returning()
          .get();
        if (message.author === 'reporter') {
          orm.update(reports).set({ lastReporterSeq: seq }).where(eq(reports.id, message.reportId)).run();
        }
        return message;
      });
    },

    /** A report's messages in the order they were written. */
    listForReport(reportId: string): Message[] {
      return forReportQuery.all({ reportId });
    },
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
