// What every language of the notification e-mails shares: the shapes of their inputs, the words
// each language gives (messages.ts for English and French, messages-es.ts, messages-ar.ts), and
// the one layout that builds every mail from them, so that each language says the same facts in
// the same order: channel ids, counts, days and the console's address, never anything else.
import { format } from '../../domain/text.js';

export interface MailText {
  subject: string;
  text: string;
}

/** Reports per channel, for every channel the reader belongs to (zeros included). */
export type ChannelCounts = ReadonlyArray<{ channelId: string; n: number }>;

export interface DigestInput {
  /** The day of the digest, `YYYY-MM-DD` (UTC). */
  day: string;
  /** New reports since the previous digest. */
  received: ChannelCounts;
  /** Unacknowledged reports whose acknowledgement deadline falls on `dueDay`. */
  due: ChannelCounts;
  dueDay: string;
  inboxUrl: string;
}

export interface ReminderInput {
  due: ChannelCounts;
  dueDay: string;
  inboxUrl: string;
}

/** One language's words; `{channel}`, `{day}`, `{dueDay}` and `{n}` are filled in by the layout. */
export interface MailWords {
  newReport: { subject: string; arrived: string; open: string; why: string };
  digest: { subject: string; title: string; received: string; due: string; noChannel: string; open: string; why: string };
  reminder: { subjectOne: string; subjectMany: string; due: string; none: string; open: string; why: string };
  /** `{channel}`: one channel id, or several joined by commas. */
  awaitingApproval: { subject: string; waiting: string; open: string; why: string };
}

/** One language's e-mails. */
export interface MailCatalogue {
  newReport(channelId: string, inboxUrl: string): MailText;
  digest(d: DigestInput): MailText;
  reminder(r: ReminderInput): MailText;
  awaitingApproval(channelIds: readonly string[], approvalsUrl: string): MailText;
}

const total = (counts: ChannelCounts) => counts.reduce((sum, c) => sum + c.n, 0);
const lines = (counts: ChannelCounts, none: string) => (counts.length === 0 ? `  ${none}` : counts.map((c) => `  ${c.channelId}: ${c.n}`).join('\n'));

/** The e-mails of one language, laid out from its words. */
export function mailCatalogue(w: MailWords): MailCatalogue {
  return {
    newReport: (channel, inboxUrl) => ({
      subject: format(w.newReport.subject, { channel }),
      text: [format(w.newReport.arrived, { channel }), '', w.newReport.open, inboxUrl, '', w.newReport.why].join('\n'),
    }),
    digest: (d) => ({
      subject: w.digest.subject,
      text: [
        format(w.digest.title, { day: d.day }),
        '',
        format(w.digest.received, { n: total(d.received) }),
        lines(d.received, w.digest.noChannel),
        '',
        format(w.digest.due, { dueDay: d.dueDay, n: total(d.due) }),
        lines(d.due, w.digest.noChannel),
        '',
        w.digest.open,
        d.inboxUrl,
        '',
        w.digest.why,
      ].join('\n'),
    }),
    reminder: (r) => {
      const n = total(r.due);
      return {
        subject: n === 1 ? w.reminder.subjectOne : format(w.reminder.subjectMany, { n }),
        text: [
          format(w.reminder.due, { dueDay: r.dueDay, n }),
          lines(r.due.filter((c) => c.n > 0), w.reminder.none),
          '',
          w.reminder.open,
          r.inboxUrl,
          '',
          w.reminder.why,
        ].join('\n'),
      };
    },
    awaitingApproval: (channelIds, approvalsUrl) => {
      const channel = channelIds.join(', ');
      return {
        subject: format(w.awaitingApproval.subject, { channel }),
        text: [format(w.awaitingApproval.waiting, { channel }), '', w.awaitingApproval.open, approvalsUrl, '', w.awaitingApproval.why].join('\n'),
      };
    },
  };
}
