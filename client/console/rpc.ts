// The messages between the console page and its worker. The page never holds a key: it names an
// operation, and gets back progress and a result (or an ErrorInfo).
import type { AttachmentProgress, ErrorInfo, ListItem, ReportView, SignedInfo } from './types.js';
import type { CaseArchive, CaseExportOptions } from './worker/case-export.js';
import type { Approval, MemberToApprove } from './worker/approval.js';
import type { DecryptedFile } from './worker/vault.js';

/** Each operation: what the page sends, and what comes back. */
export interface Ops {
  login: { args: { username: string; passphrase: string; totp: string }; result: SignedInfo };
  prepareEnrolment: { args: { username: string; passphrase: string }; result: null };
  makeRecoveryKey: { args: Record<string, never>; result: { publicKey: string; keyId: string; secret: string; unitFingerprint: string } };
  completeEnrolment: { args: { token: string; totpSecret: string; totpCode: string; recoveryPublicKey?: string }; result: SignedInfo };
  openReport: { args: { id: string }; result: ReportView };
  distribute: { args: { id: string; userIds?: string[] }; result: string[] };
  sweep: { args: Record<string, never>; result: { reports: number; usernames: string[] } };
  sendMessage: { args: { id: string; text: string }; result: { id: string; createdAt: string } };
  addNote: { args: { id: string; text: string }; result: { id: string; createdAt: string } };
  extendRetention: { args: { id: string; retainUntil: string; reason: string }; result: { report: ListItem; note: { id: string; createdAt: string } } };
  decryptAttachment: { args: { id: string; attachmentId: string }; result: DecryptedFile };
  /** Progress: `received` files decrypted of `total`. */
  exportCase: { args: { id: string; options: CaseExportOptions }; result: CaseArchive };
  myFingerprint: { args: Record<string, never>; result: string };
  unitFingerprint: { args: Record<string, never>; result: string };
  memberFingerprints: { args: { members: Array<Pick<MemberToApprove, 'boxPublicKey' | 'signPublicKey'>> }; result: Array<string | null> };
  approveMember: { args: { member: MemberToApprove }; result: Approval };
  /** The secret is forgotten by the worker once this answers, whatever the answer. */
  approveWithRecoverySecret: { args: { secret: string; member: MemberToApprove }; result: Approval };
  closeReport: { args: Record<string, never>; result: null };
  wipe: { args: Record<string, never>; result: null };
}

export type Op = keyof Ops;
export type Progress = AttachmentProgress;

export type Request = { [K in Op]: { rid: number; op: K } & Ops[K]['args'] }[Op];

export type Response =
  | { rid: number; ok: true; value: unknown }
  | { rid: number; ok: false; error: ErrorInfo }
  | { rid: number; progress: Progress };
