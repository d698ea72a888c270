// Shapes of the console API (PROTOCOL.md §6) as the console uses them, and the decrypted views the
// worker hands back to the page. Types and constant lists only: no code from the server or db/.
import type { ListItem, ShownMessage, UserInfo } from '../../domain/api.js';
import type { Outcome, ReportStatus, Role } from '../../domain/vocabulary.js';

export type {
  AuditEvent, AuditVerify, AwaitingList, AwaitingMember, ChannelInfo, InboxPage, LinkInfo, ListItem, Member, ReportDoc, Sealed, UserInfo, UserRow,
} from '../../domain/api.js';

export type { Outcome, ReportStatus, Role };
export type { Field, Questionnaire, Section } from '../../domain/questionnaire.js';
export type { LocalText } from '../../domain/vocabulary.js';

/** The lists the server validates against, from the one home of the domain's words. */
export { OUTCOMES, REPORT_STATUSES as STATUSES, ROLES, SEVERITIES, type Severity } from '../../domain/vocabulary.js';

/** What the page knows about the signed-in user; the keys themselves stay in the worker. */
export interface SignedInfo {
  user: UserInfo;
  keyId: string;
}

/** Why the internal notes cannot be read or written yet. */
export type NotesState = 'ready' | 'waiting' | 'no-key';

/** A report as the worker decrypted it. Anything that fails to decrypt is null, never partial. */
export interface ReportView {
  item: ListItem;
  /** False when this user holds no envelope for the report (yet). */
  hasKey: boolean;
  content: { locale: string; questionnaire: string; answers: Record<string, unknown> } | null;
  messages: ShownMessage[];
  notes: Array<{ id: string; authorUserId: string; createdAt: string; text: string | null }>;
  notesState: NotesState;
  attachments: Array<{ id: string; createdAt: string; complete: boolean; encryptedSize: number; meta: { name: string; type: string; size: number } | null }>;
  members: Array<{ id: string; username: string; hasKey: boolean }>;
  /** True when this console made the internal key just now (the first member to open the report). */
  madeInternalKey: boolean;
}

export type AttachmentProgress = { received: number; total: number };

/** An error as it crosses from the worker to the page. */
export interface ErrorInfo {
  name: 'ApiError' | 'NetworkError' | 'CryptoError' | 'Error';
  message: string;
  status?: number;
  code?: string;
}
