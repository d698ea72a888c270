// Shapes shared by the page and its worker: what the reporter API sends, and what the worker
// hands back after decrypting. Types only: importing this pulls no code into either bundle.
export type { ChannelsResponse, PageSettings, Recipient, ReporterChannel as Channel } from '../../domain/api.js';

export type { Field, Questionnaire, Section } from '../../domain/questionnaire.js';
export type { LocalText } from '../../domain/vocabulary.js';

export type { ReporterStatus } from '../../domain/vocabulary.js';
import type { ShownMessage } from '../../domain/api.js';
import type { ReporterStatus } from '../../domain/vocabulary.js';

export type Answers = Record<string, unknown>;

/** The follow-up, decrypted. An item that fails to decrypt is marked, never shown in part. */
export interface FollowupView {
  reportId: string;
  channelId: string;
  status: ReporterStatus;
  receivedAt: string;
  acknowledgedAt: string | null;
  closedAt: string | null;
  content: { channelId: string; locale: string; questionnaire: string; answers: Answers };
  messages: ShownMessage[];
  attachments: Array<{ id: string; createdAt: string; complete: boolean; name: string | null; type: string; size: number }>;
}

export type SubmitProgress =
  | { phase: 'challenge' }
  | { phase: 'pow'; tried: number; expected: number }
  | { phase: 'encrypting' }
  | { phase: 'sending' };

export type UploadProgress =
  | { phase: 'preparing' }
  | { phase: 'uploading'; sent: number; total: number }
  | { phase: 'retrying'; attempt: number; sent: number; total: number };

export interface UploadResult {
  attachmentId: string;
  /** Bytes of the file as sent (after any metadata was removed). */
  size: number;
  kind: 'jpeg' | 'png' | 'other';
  removed: string[];
  /** Time spent encrypting and in total, for the figures. */
  encryptMs: number;
  totalMs: number;
}

/** An error as it crosses from the worker to the page. */
export interface ErrorInfo {
  name: 'ReceiptCodeError' | 'ApiError' | 'NetworkError' | 'CancelledError' | 'StripError' | 'RosterError' | 'Error';
  message: string;
  reason?: 'length' | 'character' | 'check';
  character?: string;
  position?: number;
  length?: number;
  status?: number;
  code?: string;
}
