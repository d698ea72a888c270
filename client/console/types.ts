// Shapes of the console API (PROTOCOL.md §6) as the console uses them, and the decrypted views the
// worker hands back to the page. Types and constant lists only: no code from the server or db/.
import type { Outcome, ReportStatus, Role } from '../../db/schema.js';
import type { Questionnaire } from '../../server/questionnaire-default.js';

export type { Outcome, ReportStatus, Role };
export type { Field, LocalText, Questionnaire, Section } from '../../server/questionnaire-default.js';

/** The lists the server validates against. */
export const STATUSES = ['new', 'acknowledged', 'in_review', 'needs_information', 'closed'] as const;
export const OUTCOMES = ['substantiated', 'unsubstantiated', 'referred', 'no_action', 'duplicate', 'spam'] as const;
export const ROLES = ['admin', 'reviewer', 'auditor'] as const;
// Compile-time checks that the lists above match db/schema.ts exactly (no code is imported from it).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const LISTS_MATCH_SCHEMA: [Same<(typeof STATUSES)[number], ReportStatus>, Same<(typeof OUTCOMES)[number], Outcome>, Same<(typeof ROLES)[number], Role>] = [true, true, true];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Sealed {
  nonce: string;
  ciphertext: string;
}

export interface UserInfo {
  id: string;
  username: string;
  roles: Role[];
  channels: string[];
}

/** What the page knows about the signed-in user; the keys themselves stay in the worker. */
export interface SignedInfo {
  user: UserInfo;
  keyId: string;
}

/** One inbox row of GET /api/reports. */
export interface ListItem {
  id: string;
  channelId: string;
  receivedAt: string;
  status: ReportStatus;
  severity: string | null;
  category: string | null;
  office: string | null;
  process: string | null;
  outcome: Outcome | null;
  assignees: string[];
  unread: boolean;
  acknowledgedAt: string | null;
  closedAt: string | null;
  acknowledgeBy: string;
  feedbackBy: string;
  /** When the retention purge deletes the report; null while it is open. */
  deleteAt: string | null;
}

export interface InboxPage {
  reports: ListItem[];
  nextCursor: string | null;
  counts: Partial<Record<ReportStatus, number>>;
}

export interface Member {
  id: string;
  username: string;
  keyId: string;
  boxPublicKey: string;
  hasKey: boolean;
  hasInternalKey: boolean;
}

/** GET /api/reports/{id}. */
export interface ReportDoc extends ListItem {
  content: Sealed;
  sealedKey: string | null;
  sealedInternalKey: string | null;
  reporterPublicKey: string;
  messages: Array<{ id: string; author: 'reporter' | 'reviewer'; createdAt: string } & Sealed>;
  notes: Array<{ id: string; authorUserId: string; createdAt: string } & Sealed>;
  attachments: Array<{ id: string; createdAt: string; size: number; complete: boolean; meta: Sealed }>;
  members: Member[];
}

/** Why the internal notes cannot be read or written yet. */
export type NotesState = 'ready' | 'waiting' | 'no-key';

/** A report as the worker decrypted it. Anything that fails to decrypt is null, never partial. */
export interface ReportView {
  item: ListItem;
  /** False when this user holds no envelope for the report (yet). */
  hasKey: boolean;
  content: { locale: string; questionnaire: string; answers: Record<string, unknown> } | null;
  messages: Array<{ id: string; author: 'reporter' | 'reviewer'; createdAt: string; text: string | null }>;
  notes: Array<{ id: string; authorUserId: string; createdAt: string; text: string | null }>;
  notesState: NotesState;
  attachments: Array<{ id: string; createdAt: string; complete: boolean; encryptedSize: number; meta: { name: string; type: string; size: number } | null }>;
  members: Array<{ id: string; username: string; hasKey: boolean }>;
  /** True when this console made the internal key just now (the first member to open the report). */
  madeInternalKey: boolean;
}

export interface ChannelInfo {
  id: string;
  title: Record<string, string>;
  description: Record<string, string>;
  questionnaire: Questionnaire;
  allowRecipientExclusion: boolean;
  maxAttachmentBytes: number;
  retentionDays: number;
  /** Days a report closed as spam or duplicate is kept. */
  shortRetentionDays: number;
  messagesAfterClose: boolean;
  members: Array<{ id: string; username: string; keyId: string }>;
}

export interface UserRow {
  id: string;
  username: string;
  roles: Role[];
  channels: string[];
  disabled: boolean;
  keyId: string;
  createdAt: string;
}

export interface LinkInfo {
  kind: 'setup' | 'invite' | 'reset';
  role: Role;
  roles: Role[];
  channels: string[];
  username?: string;
  needsRecoveryKey: boolean;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
  hash: string;
}

export type AuditVerify = { ok: true; count: number } | { ok: false; seq: number; reason: string };

export type AttachmentProgress = { received: number; total: number };

/** An error as it crosses from the worker to the page. */
export interface ErrorInfo {
  name: 'ApiError' | 'NetworkError' | 'CryptoError' | 'Error';
  message: string;
  status?: number;
  code?: string;
}
