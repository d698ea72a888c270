// The database schema: every table the server keeps, with its inferred row types.
//
// Conventions: TypeScript names are camelCase, SQL names snake_case; binary values are BLOBs;
// times are ISO 8601 UTC text (`2026-11-28T16:05:00.000Z`), which sorts and compares correctly as
// text as long as every writer uses `Date.prototype.toISOString()`.
//
// Times of reporter events (report received, reporter message, attachment, and their audit rows)
// have no default on purpose: the caller rounds them down to the hour so that stored times cannot
// be matched against door or network logs. Order among them is kept by `seq` instead.

import { sql, type SQL } from 'drizzle-orm';
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  type SQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import {
  MESSAGE_AUTHORS, type MessageVersion, NOTIFY_MODES, OUTCOMES, REPORT_STATUSES, ROLES, TOKEN_KINDS, type LocalText as LocalizedText, type Role,
} from '../domain/vocabulary.js';
import type { Questionnaire } from '../domain/questionnaire-schema.js';
import type { RosterEntry } from '../crypto/roster.js';

// The enumerations are the domain's (domain/vocabulary.ts); the CHECK constraints below are built from them.
export type { LocalText as LocalizedText, MessageAuthor, NotifyMode, Outcome, ReportStatus, Role, TokenKind } from '../domain/vocabulary.js';
// For the operator CLI until it moves to its own room.
export { ROLES } from '../domain/vocabulary.js';

const now = (): string => new Date().toISOString();

/**
 * CHECK that a BLOB has exactly `bytes` bytes. Keys, hashes and nonces have fixed sizes; a
 * truncated sealed key stored by a bug would make a report unreadable forever, so the database
 * refuses it instead. NULL passes (a CHECK only fails on false), which suits nullable columns.
 */
function byteLength(name: string, column: SQLiteColumn, bytes: number) {
  return check(name, sql`length(${column}) = ${sql.raw(String(bytes))}`);
}

/** CHECK that a text column holds one of `values` (drizzle's `enum` option only types it). */
function oneOf(name: string, column: SQLiteColumn, values: readonly string[]) {
  const list = values.map((value) => `'${value}'`).join(', ');
  return check(name, sql`${column} IN (${sql.raw(list)})` as SQL);
}

/** Instance settings as JSON values: recovery public key, offices, processes, templates, … */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
});
export type Setting = typeof settings.$inferSelect;

export const channels = sqliteTable('channels', {
  id: text('id').primaryKey(),
  title: text('title', { mode: 'json' }).$type<LocalizedText>().notNull(),
  description: text('description', { mode: 'json' }).$type<LocalizedText>().notNull(),
  questionnaire: text('questionnaire', { mode: 'json' }).$type<Questionnaire>().notNull(),
  allowRecipientExclusion: integer('allow_recipient_exclusion', { mode: 'boolean' }).notNull().default(false),
  maxAttachmentBytes: integer('max_attachment_bytes').notNull(),
  /** Days a closed report is kept before automatic deletion (EU 2019/1937 art. 18). */
  retentionDays: integer('retention_days').notNull().default(365),
  /**
   * Days a report closed as `spam` or `duplicate` is kept (server/retention.ts): manifestly
   * irrelevant or redundant reports go sooner (EU 2019/1937 art. 17). At most `retentionDays`.
   */
  shortRetentionDays: integer('short_retention_days').notNull().default(30),
  messagesAfterClose: integer('messages_after_close', { mode: 'boolean' }).notNull().default(false),
  createdAt: text('created_at').notNull().$defaultFn(now),
  updatedAt: text('updated_at').notNull().$defaultFn(now).$onUpdateFn(now),
});
export type Channel = typeof channels.$inferSelect;
export type NewChannel = typeof channels.$inferInsert;

export const users = sqliteTable(
  'users',
  {
    /** base64url of 16 random bytes. */
    id: text('id').primaryKey(),
    username: text('username').notNull().unique(),
    roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull(),
    salt: blob('salt', { mode: 'buffer' }).notNull(),
    opslimit: integer('opslimit').notNull(),
    memlimit: integer('memlimit').notNull(),
    /** HMAC-SHA256(serverSecret, authKey): the server never holds anything that logs in by itself. */
    authVerifier: blob('auth_verifier', { mode: 'buffer' }).notNull(),
    boxPublicKey: blob('box_public_key', { mode: 'buffer' }).notNull(),
    signPublicKey: blob('sign_public_key', { mode: 'buffer' }).notNull(),
    /** base64url(BLAKE2b-128(boxPublicKey)); names the user's envelopes in report_keys. */
    keyId: text('key_id').notNull(),
    keyBundleNonce: blob('key_bundle_nonce', { mode: 'buffer' }).notNull(),
    keyBundleCiphertext: blob('key_bundle_ciphertext', { mode: 'buffer' }).notNull(),
    /** The TOTP secret, encrypted with a key derived from the server secret. */
    totpSecretNonce: blob('totp_secret_nonce', { mode: 'buffer' }).notNull(),
    totpSecretCiphertext: blob('totp_secret_ciphertext', { mode: 'buffer' }).notNull(),
    /** The last accepted TOTP time step; a code is accepted once (replay protection). */
    lastTotpStep: integer('last_totp_step'),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: text('locked_until'),
    disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
    // Notification e-mails (content-free): where to, how often, and in which language. The mode is
    // checked by the API (an added CHECK would make SQLite rebuild the table).
    email: text('email'),
    notify: text('notify', { enum: NOTIFY_MODES }).notNull().default('digest'),
    notifyLocale: text('notify_locale').notNull().default('en'),
    createdAt: text('created_at').notNull().$defaultFn(now),
  },
  (t) => [
    index('users_key_id_idx').on(t.keyId),
    byteLength('users_salt_length', t.salt, 16),
    byteLength('users_auth_verifier_length', t.authVerifier, 32),
    byteLength('users_box_public_key_length', t.boxPublicKey, 32),
    byteLength('users_sign_public_key_length', t.signPublicKey, 32),
    byteLength('users_key_bundle_nonce_length', t.keyBundleNonce, 24),
  ],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

export const channelMembers = sqliteTable(
  'channel_members',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] }), index('channel_members_user_idx').on(t.userId)],
);
export type ChannelMemberRow = typeof channelMembers.$inferSelect;

export const reports = sqliteTable(
  'reports',
  {
    /** base64url of 16 random bytes, handed out with the proof-of-work challenge. */
    id: text('id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id),
    /** HMAC-SHA256(serverSecret, receiptToken): the only way a reporter's request finds the report. */
    receiptTag: blob('receipt_tag', { mode: 'buffer' }).notNull().unique(),
    reporterPublicKey: blob('reporter_public_key', { mode: 'buffer' }).notNull(),
    reporterSealedKey: blob('reporter_sealed_key', { mode: 'buffer' }).notNull(),
    status: text('status', { enum: REPORT_STATUSES }).notNull().default('new'),
    // Reviewer-set triage labels are plaintext on purpose: they drive the inbox and statistics.
    severity: text('severity'),
    category: text('category'),
    office: text('office'),
    process: text('process'),
    outcome: text('outcome', { enum: OUTCOMES }),
    /** Rounded down to the hour by the caller. */
    receivedAt: text('received_at').notNull(),
    /** Global ordering number (see the counters table); the inbox pages on it. */
    seq: integer('seq').notNull().unique(),
    acknowledgedAt: text('acknowledged_at'),
    closedAt: text('closed_at'),
    // The two legal deadlines (see db/deadlines.ts), stored so that the overdue filter is a plain
    // comparison the inbox query can run, rather than date arithmetic per row.
    acknowledgeBy: text('acknowledge_by').notNull(),
    feedbackBy: text('feedback_by').notNull(),
    /**
     * When a reviewer first wrote to the reporter after the acknowledgement: the statistics count
     * feedback as given then, or at closing if that came first. Kept by a trigger on messages
     * (migration 0004), so that no code path (console, bulk loading, restore) can forget it.
     */
    firstReplyAt: text('first_reply_at'),
    /** `seq` of the latest reporter event (the report itself, a message, an attachment). */
    lastReporterSeq: integer('last_reporter_seq').notNull(),
    /** Set when a report must be kept past its channel's retention (e.g. a pending case). */
    retainUntil: text('retain_until'),
    // Changed by console actions only: a reporter event must not leave an exact time here.
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    // Each inbox filter has an index that also yields the newest-first order, so a page is read
    // in index order and stops when full instead of sorting every match.
    index('reports_inbox_idx').on(t.channelId, t.status, t.seq),
    index('reports_channel_seq_idx').on(t.channelId, t.seq),
    index('reports_status_seq_idx').on(t.status, t.seq),
    index('reports_category_seq_idx').on(t.category, t.seq),
    index('reports_severity_seq_idx').on(t.severity, t.seq),
    // The hourly retention purge reads a channel's reports closed before a cutoff (open reports
    // have no closed_at and sit outside the range).
    index('reports_retention_idx').on(t.channelId, t.closedAt),
    // The statistics (db/repositories/statistics.ts) read a year of reports by `received_at` and
    // only these columns: a covering index lets them walk narrow index pages instead of the table.
    index('reports_statistics_idx').on(
      t.receivedAt, t.channelId, t.status, t.category, t.outcome, t.office, t.process,
      t.acknowledgedAt, t.closedAt, t.acknowledgeBy, t.feedbackBy, t.firstReplyAt,
    ),
    oneOf('reports_status_valid', t.status, REPORT_STATUSES),
    oneOf('reports_outcome_valid', t.outcome, OUTCOMES),
    byteLength('reports_receipt_tag_length', t.receiptTag, 32),
    byteLength('reports_reporter_public_key_length', t.reporterPublicKey, 32),
    byteLength('reports_reporter_sealed_key_length', t.reporterSealedKey, 80),
  ],
);
export type ReportRow = typeof reports.$inferSelect;
export type NewReport = typeof reports.$inferInsert;

/**
 * The encrypted report content, in a table of its own: the inbox reads thousands of report rows,
 * and kilobytes of ciphertext inside each would make every one of those reads cost pages.
 */
export const reportContents = sqliteTable(
  'report_contents',
  {
    reportId: text('report_id')
      .primaryKey()
      .references(() => reports.id, { onDelete: 'cascade' }),
    nonce: blob('nonce', { mode: 'buffer' }).notNull(),
    ciphertext: blob('ciphertext', { mode: 'buffer' }).notNull(),
  },
  (t) => [byteLength('report_contents_nonce_length', t.nonce, 24)],
);

/** A report with its content, as the repositories return it. */
export type Report = ReportRow & { contentNonce: Buffer; contentCiphertext: Buffer };

/**
 * Reports per channel and status, kept by triggers (migration 0001) so that the inbox's counts
 * are a read of a few rows, not a scan of every report.
 */
export const reportCounts = sqliteTable(
  'report_counts',
  {
    channelId: text('channel_id').notNull(),
    status: text('status', { enum: REPORT_STATUSES }).notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.status] })],
);

export const reportAssignees = sqliteTable(
  'report_assignees',
  {
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /**
     * The report's `seq`, copied: "assigned to me", newest first, is then one walk down
     * (user_id, seq) that stops when the page is full, however many reports the user holds.
     */
    seq: integer('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.userId] }), index('report_assignees_user_seq_idx').on(t.userId, t.seq)],
);
export type ReportAssignee = typeof reportAssignees.$inferSelect;

/**
 * Whom the reporter left out of a report (PROTOCOL.md §9, "Exclusion"). Such a user never sees the
 * report (inbox, views, counts, exports, notifications) and no envelope may be stored for them,
 * whatever their roles, channels or keys become: the rows outlive every change to the account.
 */
export const reportExclusions = sqliteTable(
  'report_exclusions',
  {
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.userId] }), index('report_exclusions_user_idx').on(t.userId)],
);
export type ReportExclusion = typeof reportExclusions.$inferSelect;

/** Envelopes of a report's keys: `K` sealed to each recipient, and `Ki` once a reviewer made it. */
export const reportKeys = sqliteTable(
  'report_keys',
  {
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    keyId: text('key_id').notNull(),
    sealedKey: blob('sealed_key', { mode: 'buffer' }).notNull(),
    sealedInternalKey: blob('sealed_internal_key', { mode: 'buffer' }),
  },
  (t) => [
    primaryKey({ columns: [t.reportId, t.keyId] }),
    byteLength('report_keys_sealed_key_length', t.sealedKey, 80),
    byteLength('report_keys_sealed_internal_key_length', t.sealedInternalKey, 80),
  ],
);
export type ReportKey = typeof reportKeys.$inferSelect;
export type NewReportKey = typeof reportKeys.$inferInsert;

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    author: text('author', { enum: MESSAGE_AUTHORS }).notNull(),
    authorUserId: text('author_user_id').references(() => users.id),
    /** Rounded down to the hour by the caller for reporter messages. */
    createdAt: text('created_at').notNull(),
    seq: integer('seq').notNull(),
    /**
     * 1: the id is the server's and not in the AD; 2: the sender chose the id and sealed it into the
     * AD (PROTOCOL.md §9), so the server can store a version 2 message only under its own id.
     */
    version: integer('version').$type<MessageVersion>().notNull().default(1),
    nonce: blob('nonce', { mode: 'buffer' }).notNull(),
    ciphertext: blob('ciphertext', { mode: 'buffer' }).notNull(),
  },
  (t) => [
    index('messages_report_seq_idx').on(t.reportId, t.seq),
    oneOf('messages_author_valid', t.author, MESSAGE_AUTHORS),
    byteLength('messages_nonce_length', t.nonce, 24),
  ],
);
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Reviewers' internal notes, encrypted with the internal key `Ki`, never shown to the reporter. */
export const notes = sqliteTable(
  'notes',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    authorUserId: text('author_user_id')
      .notNull()
      .references(() => users.id),
    createdAt: text('created_at').notNull().$defaultFn(now),
    seq: integer('seq').notNull(),
    nonce: blob('nonce', { mode: 'buffer' }).notNull(),
    ciphertext: blob('ciphertext', { mode: 'buffer' }).notNull(),
  },
  (t) => [index('notes_report_seq_idx').on(t.reportId, t.seq), byteLength('notes_nonce_length', t.nonce, 24)],
);
export type Note = typeof notes.$inferSelect;
export type NewNote = typeof notes.$inferInsert;

/** An attachment's record; the encrypted stream itself lives in `data/blobs/`. */
export const attachments = sqliteTable(
  'attachments',
  {
    /** Chosen by the client (base64url of 16 random bytes) so that an upload can be resumed. */
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    /** Declared size of the encrypted stream, enforced byte for byte. */
    size: integer('size').notNull(),
    received: integer('received').notNull().default(0),
    complete: integer('complete', { mode: 'boolean' }).notNull().default(false),
    metaNonce: blob('meta_nonce', { mode: 'buffer' }).notNull(),
    metaCiphertext: blob('meta_ciphertext', { mode: 'buffer' }).notNull(),
    /** Rounded down to the hour by the caller. */
    createdAt: text('created_at').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [
    index('attachments_report_idx').on(t.reportId),
    // Finds uploads that never completed, to purge them after 24 hours.
    index('attachments_purge_idx').on(t.complete, t.createdAt),
    check('attachments_received_within_size', sql`${t.received} BETWEEN 0 AND ${t.size}`),
    byteLength('attachments_meta_nonce_length', t.metaNonce, 24),
  ],
);
export type Attachment = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;

/**
 * The append-only audit trail. Each row's `hash` chains to the previous row's (see
 * db/repositories/audit.ts for the exact input), so a changed, removed or inserted row shows.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    seq: integer('seq').primaryKey(),
    at: text('at').notNull(),
    /** `user:{id}`, `reporter` or `system`; never a receipt token or an address. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    // Plain text rather than drizzle's JSON mode: `verify()` must read a tampered value without
    // throwing, and the stored text is exactly the canonical JSON that was hashed.
    details: text('details').notNull(),
    prevHash: blob('prev_hash', { mode: 'buffer' }).notNull(),
    hash: blob('hash', { mode: 'buffer' }).notNull(),
  },
  (t) => [
    index('audit_events_at_idx').on(t.at),
    index('audit_events_actor_idx').on(t.actor),
    index('audit_events_action_idx').on(t.action),
    // A report's history (its case export) reads the events naming it.
    index('audit_events_target_idx').on(t.target),
    byteLength('audit_events_prev_hash_length', t.prevHash, 32),
    byteLength('audit_events_hash_length', t.hash, 32),
  ],
);
export type AuditEventRow = typeof auditEvents.$inferSelect;

/**
 * The roster (PROTOCOL.md §9): who may read each channel, as signed entries in a hash chain. The
 * server stores and serves it and checks each new entry against the rules, but cannot add a
 * recipient itself: every entry is signed by the unit's root or by a member of the channel.
 */
export const rosterEntries = sqliteTable('roster_entries', {
  seq: integer('seq').primaryKey(),
  /** The entry as signed (JSON text); its canonical form is what the signature covers. */
  entry: text('entry', { mode: 'json' }).$type<RosterEntry>().notNull(),
  /** base64url of the 64-byte Ed25519 signature. */
  sig: text('sig').notNull(),
});
export type RosterEntryRow = typeof rosterEntries.$inferSelect;

/** Proof-of-work challenges; the report id is handed out with one and used once. */
export const challenges = sqliteTable(
  'challenges',
  {
    reportId: text('report_id').primaryKey(),
    channelId: text('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    salt: blob('salt', { mode: 'buffer' }).notNull(),
    bits: integer('bits').notNull(),
    expiresAt: text('expires_at').notNull(),
    used: integer('used', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('challenges_expires_idx').on(t.expiresAt), byteLength('challenges_salt_length', t.salt, 16)],
);
export type Challenge = typeof challenges.$inferSelect;
export type NewChallenge = typeof challenges.$inferInsert;

/** Console sessions. Only a hash of the cookie's id is stored, so a database copy logs no one in. */
export const sessions = sqliteTable(
  'sessions',
  {
    /** SHA-256 of the random 32-byte cookie id. */
    idHash: blob('id_hash', { mode: 'buffer' }).primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull().$defaultFn(now),
    lastSeenAt: text('last_seen_at').notNull().$defaultFn(now),
  },
  (t) => [
    index('sessions_user_idx').on(t.userId),
    index('sessions_last_seen_idx').on(t.lastSeenAt),
    byteLength('sessions_id_hash_length', t.idHash, 32),
  ],
);
export type Session = typeof sessions.$inferSelect;
export type NewSession = typeof sessions.$inferInsert;

/** Setup, invitation and reset links. Only a hash of the token is stored. */
export const oneTimeTokens = sqliteTable(
  'one_time_tokens',
  {
    tokenHash: blob('token_hash', { mode: 'buffer' }).primaryKey(),
    kind: text('kind', { enum: TOKEN_KINDS }).notNull(),
    role: text('role', { enum: ROLES }),
    channels: text('channels', { mode: 'json' }).$type<string[]>(),
    username: text('username'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull().$defaultFn(now),
    expiresAt: text('expires_at').notNull(),
    usedAt: text('used_at'),
  },
  (t) => [
    oneOf('one_time_tokens_kind_valid', t.kind, TOKEN_KINDS),
    byteLength('one_time_tokens_token_hash_length', t.tokenHash, 32),
  ],
);
export type OneTimeToken = typeof oneTimeTokens.$inferSelect;
export type NewOneTimeToken = typeof oneTimeTokens.$inferInsert;

/** How far each user has read each report, for the inbox's unread markers. */
export const reportReads = sqliteTable(
  'report_reads',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reportId: text('report_id')
      .notNull()
      .references(() => reports.id, { onDelete: 'cascade' }),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.reportId] }), index('report_reads_report_idx').on(t.reportId)],
);
export type ReportRead = typeof reportReads.$inferSelect;

/** Named counters; `seq` hands out the global sequence numbers (see repositories/counters.ts). */
export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});
export type Counter = typeof counters.$inferSelect;
