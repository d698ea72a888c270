// Reviewers' internal notes on a report, encrypted with the internal key `Ki`.

import { asc, eq } from 'drizzle-orm';
import type { Db } from '../connection.js';
import { randomId } from '../ids.js';
import { notes, type NewNote, type Note } from '../schema.js';
import { createCountersRepository, SEQ } from './counters.js';

export type NewNoteInput = Omit<NewNote, 'id' | 'seq'>;

export function createNotesRepository(db: Db) {
  const { orm, transaction } = db;
  const counters = createCountersRepository(db);

  return {
    /** Stores a note with the next global `seq`. The report must exist. */
    add(input: NewNoteInput): Note {
      return transaction(() =>
        orm
          .insert(notes)
          .values({ ...input, id: randomId(), seq: counters.next(SEQ) })
          .returning()
          .get(),
      );
    },

    listForReport(reportId: string): Note[] {
      return orm.select().from(notes).where(eq(notes.reportId, reportId)).orderBy(asc(notes.seq)).all();
    },
  };
}

export type NotesRepository = ReturnType<typeof createNotesRepository>;
