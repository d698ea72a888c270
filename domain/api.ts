// The API's response shapes (PROTOCOL.md §5 and §6), once: the server declares them as the
// response schemas of its routes (so nothing else can leak into a response), and both pages take
// their types from them with `z.infer` (a type-only import: no zod code reaches a bundle).
import { z } from 'zod';
import { CATEGORY_CODES } from './categories.js';
import type { Questionnaire } from './questionnaire.js';
import { MESSAGE_AUTHORS, OUTCOMES, REPORT_STATUSES, REPORTER_STATUSES, ROLES, SEVERITIES, TOKEN_KINDS } from './vocabulary.js';
import { id16, keyId, MAX_BUCKET, publicKey, sealedKey, sealedObject } from './wire.js';

/** An encrypted object as it travels: `{"nonce", "ciphertext"}` in base64url. */
export const sealedOut = z.object({ nonce: z.string(), ciphertext: z.string() });
export type Sealed = z.infer<typeof sealedOut>;

/** Text per locale, as the server stores it. */
const localTextOut = z.record(z.string(), z.string());
/**
 * A channel's questionnaire as stored: checked when an administrator sets it (domain/questionnaire.ts),
 * passed on as it is (an instance made by an older version must still be served).
 */
const questionnaireOut = z.custom<Questionnaire>(() => true);

// ---- reporter API ------------------------------------------------------------------------------

/** POST /api/reports: the encrypted report, its envelopes, and whom it leaves out. */
export const reportBody = z.object({
  reportId: id16,
  powNonce: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channelId: z.string().min(1).max(64),
  receiptToken: z.string().max(64),
  reporterPublicKey: publicKey,
  // Checked by the route (a ciphertext over the limit is 413, not 400).
  content: z.unknown(),
  keys: z.array(z.object({ keyId, sealedKey }).strict()).min(1).max(256),
  reporterSealedKey: sealedKey,
  /**
   * The channel members the reporter left out, by user id (content version 2 carries the same
   * list, encrypted). Absent from older pages: then every member not sealed to is left out.
   */
  excluded: z.array(id16).max(256).optional(),
}).strict();
export type ReportBody = z.input<typeof reportBody>;

export const recipientOut = z.object({ userId: z.string(), keyId: z.string(), publicKey: z.string(), label: z.string() });
export type Recipient = z.infer<typeof recipientOut>;

/** What both apps say of a channel. */
const channelOut = z.object({
  id: z.string(),
  title: localTextOut,
  description: localTextOut,
  questionnaire: questionnaireOut,
  allowRecipientExclusion: z.boolean(),
  maxAttachmentBytes: z.number().int(),
});

export const reporterChannelOut = channelOut.extend({ recipients: z.array(recipientOut) });
export type ReporterChannel = z.infer<typeof reporterChannelOut>;

export const channelsOut = z.object({
  channels: z.array(reporterChannelOut),
  recoveryKey: z.object({ keyId: z.string(), publicKey: z.string() }).nullable(),
});
export type ChannelsResponse = z.infer<typeof channelsOut>;

/**
 * POST /api/followup/messages and /api/reports/:id/messages: a message as it is sent. With `id`
 * it is version 2 (PROTOCOL.md §9): the sender chose the id and sealed it into the AD, so the
 * server must store it under that id; without, version 1 (what a page loaded before 1.1 sends).
 */
export const messageIn = sealedObject(MAX_BUCKET.message).extend({ id: id16.optional() });

export const messageOut = z.object({
  id: z.string(), author: z.enum(MESSAGE_AUTHORS), createdAt: z.string(), version: z.union([z.literal(1), z.literal(2)]),
  nonce: z.string(), ciphertext: z.string(),
});
export type MessageDoc = z.infer<typeof messageOut>;
/**
 * A message as a reader's worker opened it: `text` null where it does not open, `missingBefore`
 * where the message names one before it that the server did not hand out (PROTOCOL.md §9).
 */
export interface ShownMessage {
  id: string;
  author: MessageDoc['author'];
  createdAt: string;
  text: string | null;
  missingBefore: boolean;
}
export const attachmentOut = z.object({ id: z.string(), createdAt: z.string(), size: z.number().int(), complete: z.boolean(), meta: sealedOut });

export const followupOut = z.object({
  reportId: z.string(),
  channelId: z.string(),
  status: z.enum(REPORTER_STATUSES),
  receivedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  content: sealedOut,
  reporterSealedKey: z.string(),
  messages: z.array(messageOut),
  attachments: z.array(attachmentOut),
});
export type FollowupDoc = z.infer<typeof followupOut>;

/** GET /api/page-settings: the texts the unit sets for its own reporting page. */
export const pageSettingsOut = z.object({ emergencyContacts: z.record(z.string(), z.string()) });
export type PageSettings = z.infer<typeof pageSettingsOut>;

/** GET /api/roster (both apps): every entry, seq 0 first; each verifier checks it from the start. */
export const rosterOut = z.object({ entries: z.array(z.object({ entry: z.record(z.string(), z.unknown()), sig: z.string() })) });

/** What approving a member signs: `add` for a member the roster lacks in the channel, `rekey` for new keys after a reset. */
export const APPROVAL_OPS = ['add', 'rekey'] as const;
export type ApprovalOp = (typeof APPROVAL_OPS)[number];

/**
 * One channel member the roster does not name with their current keys (PROTOCOL.md §9): their
 * public keys as the server holds them, from which each approver's worker computes the
 * fingerprint it shows (never a text of the server's). `approvers`: how many members the roster
 * names in the channel besides them (0: only the recovery secret can approve them).
 */
export const awaitingMemberOut = z.object({
  channelId: z.string(),
  userId: z.string(),
  username: z.string(),
  boxPublicKey: z.string(),
  signPublicKey: z.string(),
  op: z.enum(APPROVAL_OPS),
  approvers: z.number().int(),
});
export type AwaitingMember = z.infer<typeof awaitingMemberOut>;

/**
 * GET /api/roster/awaiting (console): `awaiting`, the members awaiting approval in the caller's
 * channels (others only; with `scope=all`, for administrators, in every channel, the caller
 * included: the recovery secret may approve anyone); `mine`, the channels where the caller awaits.
 */
export const awaitingOut = z.object({
  awaiting: z.array(awaitingMemberOut),
  mine: z.array(z.object({ channelId: z.string(), op: z.enum(APPROVAL_OPS) })),
});
export type AwaitingList = z.infer<typeof awaitingOut>;

// ---- console API -------------------------------------------------------------------------------

/** GET /api/setup/{token}: what a setup, invitation or reset link enrols. */
export const linkInfoOut = z.object({
  kind: z.enum(TOKEN_KINDS),
  role: z.enum(ROLES),
  roles: z.array(z.enum(ROLES)),
  channels: z.array(z.string()),
  username: z.string().optional(),
  needsRecoveryKey: z.boolean(),
});
export type LinkInfo = z.infer<typeof linkInfoOut>;

export const userOut = z.object({ id: z.string(), username: z.string(), roles: z.array(z.enum(ROLES)), channels: z.array(z.string()) });
export type UserInfo = z.infer<typeof userOut>;

/** What login and the end of enrolment answer: enough for the console to open the key bundle. */
export const loginOut = z.object({ user: userOut, keyBundle: sealedOut, boxPublicKey: z.string() });
export type LoginResponse = z.infer<typeof loginOut>;

/** One inbox row of GET /api/reports. */
export const listItemOut = z.object({
  id: z.string(),
  channelId: z.string(),
  receivedAt: z.string(),
  status: z.enum(REPORT_STATUSES),
  severity: z.string().nullable(),
  category: z.string().nullable(),
  office: z.string().nullable(),
  process: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  assignees: z.array(z.string()),
  unread: z.boolean(),
  acknowledgedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  acknowledgeBy: z.string(),
  feedbackBy: z.string(),
  /** When the retention purge deletes the report; null while it is open. */
  deleteAt: z.string().nullable(),
});
export type ListItem = z.infer<typeof listItemOut>;

export const inboxOut = z.object({
  reports: z.array(listItemOut),
  nextCursor: z.string().nullable(),
  counts: z.record(z.enum(REPORT_STATUSES), z.number().int()),
});
export type InboxPage = z.infer<typeof inboxOut>;

/** A reader of a report's channel, and whether they hold its keys (whom the reporter left out is never listed). */
export const memberOut = z.object({
  id: z.string(), username: z.string(), keyId: z.string(), boxPublicKey: z.string(), hasKey: z.boolean(), hasInternalKey: z.boolean(),
});
export type Member = z.infer<typeof memberOut>;

export const noteOut = z.object({ id: z.string(), authorUserId: z.string(), createdAt: z.string(), nonce: z.string(), ciphertext: z.string() });

/** GET /api/reports/{id}. */
export const reportDocOut = listItemOut.extend({
  content: sealedOut,
  sealedKey: z.string().nullable(),
  sealedInternalKey: z.string().nullable(),
  reporterPublicKey: z.string(),
  messages: z.array(messageOut),
  notes: z.array(noteOut),
  attachments: z.array(attachmentOut),
  members: z.array(memberOut),
});
export type ReportDoc = z.infer<typeof reportDocOut>;

/** GET /api/key-distribution: reports the caller can hand keys on for, a page at a time. */
export const keyDistributionOut = z.object({
  reports: z.array(z.object({
    id: z.string(), channelId: z.string(), sealedKey: z.string(), sealedInternalKey: z.string().nullable(), members: z.array(memberOut),
    // The console reads whom the reporter left out from the content itself, never from the server.
    content: sealedOut,
  })),
  nextCursor: z.string().nullable(),
});
export type KeyDistributionPage = z.infer<typeof keyDistributionOut>;

/** POST /api/reports/{id}/keys: envelopes of K (and Ki) for readers of the report who lack them. */
export const keysBody = z.object({
  keys: z.array(z.object({ keyId, sealedKey, sealedInternalKey: sealedKey.optional() }).strict()).min(1).max(256),
}).strict();
export type KeysBody = z.input<typeof keysBody>;

/** A user id as the server makes them (base64url of 16 bytes). */
export const userId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'user id must be 22 characters of base64url');
const label = z.string().min(1).max(200);

/** PATCH /api/reports/{id}: any subset of the triage fields (the rules are domain/triage.ts's). */
export const triageBody = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  severity: z.enum(SEVERITIES).nullable().optional(),
  category: z.enum(CATEGORY_CODES).nullable().optional(),
  office: label.nullable().optional(),
  process: label.nullable().optional(),
  outcome: z.enum(OUTCOMES).optional(),
  assignees: z.array(userId).max(50).optional(),
}).strict();
export type TriageBody = z.input<typeof triageBody>;

/** A channel as administrators edit it. */
export const consoleChannelOut = channelOut.extend({
  retentionDays: z.number().int(),
  /** Days a report closed as spam or duplicate is kept. */
  shortRetentionDays: z.number().int(),
  messagesAfterClose: z.boolean(),
  members: z.array(z.object({ id: z.string(), username: z.string(), keyId: z.string() })),
});
export type ChannelInfo = z.infer<typeof consoleChannelOut>;

export const userRowOut = z.object({
  id: z.string(),
  username: z.string(),
  roles: z.array(z.enum(ROLES)),
  channels: z.array(z.string()),
  disabled: z.boolean(),
  keyId: z.string(),
  createdAt: z.string(),
});
export type UserRow = z.infer<typeof userRowOut>;

export const auditEventOut = z.object({
  seq: z.number().int(), at: z.string(), actor: z.string(), action: z.string(), target: z.string().nullable(), details: z.unknown(), hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventOut>;

export const auditVerifyOut = z.union([
  z.object({ ok: z.literal(true), count: z.number().int() }),
  z.object({ ok: z.literal(false), seq: z.number().int(), reason: z.string() }),
]);
export type AuditVerify = z.infer<typeof auditVerifyOut>;
