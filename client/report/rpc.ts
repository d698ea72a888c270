// The messages between the page and its worker. The page holds no key: it asks the worker to
// submit, open, send and upload, and gets back progress and results (or an ErrorInfo).
import type { FollowupView, SubmitProgress, UploadProgress, UploadResult, ErrorInfo } from './types.js';
import type { SubmitInput } from './worker/session.js';
import type { VerifiedChannels } from './worker/recipients.js';

export type Request =
  | { id: number; op: 'channels' }
  | { id: number; op: 'submit'; input: SubmitInput }
  | { id: number; op: 'open'; code: string }
  | { id: number; op: 'refresh' }
  | { id: number; op: 'send'; text: string }
  | { id: number; op: 'upload'; uploadId: string; file: File; strip: boolean }
  | { id: number; op: 'forget' }
  | { id: number; op: 'cancel'; uploadId: string };

export interface Results {
  channels: VerifiedChannels;
  submit: { code: string; reportId: string; receivedAt: string };
  open: FollowupView;
  refresh: FollowupView;
  send: { id: string; createdAt: string };
  upload: UploadResult;
  forget: null;
  cancel: null;
}

export type Progress = SubmitProgress | UploadProgress;

export type Response =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ErrorInfo }
  | { id: number; progress: Progress };

export type { SubmitInput, VerifiedChannels };
