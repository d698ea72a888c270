// What every language of the notification e-mails shares: the shapes of their inputs and texts,
// and the two helpers that lay out counts per channel. The texts are in messages.ts (English,
// French) and messages-es.ts, messages-ar.ts.

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

export const total = (counts: ChannelCounts) => counts.reduce((sum, c) => sum + c.n, 0);
export const lines = (counts: ChannelCounts, none: string) => (counts.length === 0 ? `  ${none}` : counts.map((c) => `  ${c.channelId}: ${c.n}`).join('\n'));

/** One language's e-mails. */
export interface MailCatalogue {
  newReport(channelId: string, inboxUrl: string): MailText;
  digest(d: DigestInput): MailText;
  reminder(r: ReminderInput): MailText;
}
