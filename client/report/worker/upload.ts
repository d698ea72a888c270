// One attachment, from the reporter's file to the server: hidden metadata removed (optionally),
// encrypted 64 KiB at a time, sent in pieces with PATCH and resumed after a dropped connection
// from the offset the server reports (HEAD). Holds one read block and one piece, never the file.
import {
  AttachmentEncryptor, encryptAttachmentMeta, encryptedSize, generateReportKey, newId, PARAMS, toB64u,
} from '../../../crypto/index.js';
import { ApiError, CancelledError, NetworkError, request, type Http } from './http.js';
import { blobSource, keepAll, planStrip, readPlan, type StripPlan } from './strip-metadata.js';
import type { UploadProgress, UploadResult } from '../types.js';

export interface UploadContext {
  http: Http;
  /** `Receipt <token>`. */
  authorization: string;
  reportId: string;
  reportKey: Uint8Array;
}

export interface UploadOptions {
  name: string;
  type: string;
  /** Remove hidden metadata from JPEG and PNG images before encrypting. */
  strip: boolean;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
  /** Bytes per PATCH (the server takes at most 8 MiB); 2 MiB keeps a retry over Tor cheap. */
  pieceSize?: number;
  /** Attempts after a failure before giving up, and the first wait between them (doubling). */
  attempts?: number;
  retryDelayMs?: number;
}

export const DEFAULT_PIECE = 2 << 20;
const MAX_PIECE = 8 << 20;

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(new CancelledError());
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(timer);
    reject(new CancelledError());
  }, { once: true });
});

export async function uploadAttachment(ctx: UploadContext, file: Blob, options: UploadOptions): Promise<UploadResult> {
  const started = performance.now();
  const { signal } = options;
  // One chunk more than a piece must still fit the server's 8 MiB limit.
  const pieceSize = Math.min(options.pieceSize ?? DEFAULT_PIECE, MAX_PIECE - PARAMS.chunkSize - PARAMS.streamChunkOverhead);
  const attempts = options.attempts ?? 8;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const progress = options.onProgress ?? (() => undefined);
  const auth = { authorization: ctx.authorization };
  progress({ phase: 'preparing' });

  const src = blobSource(file);
  const plan: StripPlan = options.strip ? await planStrip(src) : keepAll(src.size);
  const attachmentId = newId();
  const fileKey = generateReportKey();
  const total = encryptedSize(plan.size);
  const meta = encryptAttachmentMeta(ctx.reportKey, ctx.reportId, attachmentId, {
    name: options.name, type: options.type, size: plan.size, key: toB64u(fileKey), chunkSize: PARAMS.chunkSize,
  });
  await request(ctx.http, 'POST', '/api/followup/attachments', { json: { attachmentId, size: total, meta }, headers: auth, ...(signal ? { signal } : {}) });
  const path = `/api/followup/attachments/${attachmentId}`;

  /** Asks the server how much it has; it must lie within the piece being sent. */
  async function serverOffset(): Promise<number> {
    const res = await request(ctx.http, 'HEAD', path, { headers: auth, ...(signal ? { signal } : {}) });
    const header = res.headers.get('upload-offset');
    const value = header === null ? NaN : Number(header);
    if (!Number.isSafeInteger(value) || value < 0) throw new ApiError(res.status, 'SBX_OFFSET_MISMATCH', 'the server gave no upload offset');
    return value;
  }

  /**
   * Sends `piece` (which starts at `offset` of the stream), resuming after failures. The piece is
   * a Blob, not the bytes themselves: Chromium streams a Blob body to the socket, while a typed-array
   * body went out at 4 MB/s against 64 MB/s (measured in bench/browser.ts); and the encrypted
   * chunks are handed to the browser's blob store without being joined into one more array here.
   */
  async function sendPiece(piece: Blob, offset: number): Promise<void> {
    let sent = 0;
    let failures = 0;
    while (sent < piece.size) {
      try {
        await request(ctx.http, 'PATCH', path, {
          body: sent === 0 ? piece : piece.slice(sent),
          headers: { ...auth, 'upload-offset': String(offset + sent), 'content-type': 'application/offset+octet-stream' },
          ...(signal ? { signal } : {}),
        });
        sent = piece.size;
      } catch (error) {
        if (error instanceof CancelledError) throw error;
        const transient = error instanceof NetworkError
          || (error instanceof ApiError && (error.status >= 500 || error.status === 429 || error.code === 'SBX_OFFSET_MISMATCH' || error.code === 'SBX_UPLOAD_BUSY'));
        if (!transient || ++failures > attempts) throw error;
        progress({ phase: 'retrying', attempt: failures, sent: offset + sent, total });
        await sleep(retryDelayMs * 2 ** Math.min(failures - 1, 4), signal);
        let have: number;
        try {
          have = await serverOffset();
        } catch (headError) {
          if (headError instanceof NetworkError) continue; // still offline: wait again
          throw headError;
        }
        if (have < offset || have > offset + piece.size) throw new ApiError(409, 'SBX_OFFSET_MISMATCH', 'the server lost part of the upload');
        sent = have - offset;
      }
    }
  }

  const enc = new AttachmentEncryptor(fileKey);
  let pending: Uint8Array[] = [enc.header];
  let pendingBytes = enc.header.length;
  let offset = 0;
  let read = 0;
  let encryptMs = 0;
  progress({ phase: 'uploading', sent: 0, total });
  for await (const chunk of readPlan(src, plan, PARAMS.chunkSize)) {
    if (signal?.aborted) throw new CancelledError();
    read += chunk.length;
    const last = read === plan.size;
    const t0 = performance.now();
    const sealed = enc.push(chunk, last);
    encryptMs += performance.now() - t0;
    pending.push(sealed);
    pendingBytes += sealed.length;
    if (pendingBytes >= pieceSize || last) {
      const piece = new Blob(pending as Uint8Array<ArrayBuffer>[]);
      pending = [];
      pendingBytes = 0;
      await sendPiece(piece, offset);
      offset += piece.size;
      progress({ phase: 'uploading', sent: offset, total });
    }
  }
  return { attachmentId, size: plan.size, kind: plan.kind, removed: plan.removed, encryptMs, totalMs: performance.now() - started };
}
