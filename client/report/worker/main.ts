// The page's Web Worker: every key and every piece of cryptography lives here (libsodium in
// WebAssembly), off the page's thread so that the proof of work and large files never freeze it.
/// <reference lib="webworker" />
import { ready, ReceiptCodeError } from '../../../crypto/index.js';
import { ApiError, CancelledError, NetworkError, type Http } from './http.js';
import type { Request, Response } from '../rpc.js';
import { ReporterSession, submitReport } from './session.js';
import { RosterError, verifiedChannels } from './recipients.js';
import { StripError } from './strip-metadata.js';
import type { ErrorInfo } from '../types.js';

declare const self: DedicatedWorkerGlobalScope;

const http: Http = { fetch: (input, init) => fetch(input, init), base: '' };
let session: ReporterSession | undefined;
const uploads = new Map<string, AbortController>();

const post = (message: Response) => self.postMessage(message);

function need(): ReporterSession {
  if (!session) throw new Error('no report is open');
  return session;
}

function replace(next: ReporterSession): void {
  session?.forget();
  session = next;
}

function info(error: unknown): ErrorInfo {
  if (error instanceof ReceiptCodeError) {
    return { name: 'ReceiptCodeError', message: error.message, reason: error.reason, ...(error.character !== undefined ? { character: error.character } : {}),
      ...(error.position !== undefined ? { position: error.position } : {}), ...(error.length !== undefined ? { length: error.length } : {}) };
  }
  if (error instanceof ApiError) return { name: 'ApiError', message: error.message, status: error.status, code: error.code };
  if (error instanceof NetworkError) return { name: 'NetworkError', message: error.message };
  if (error instanceof CancelledError) return { name: 'CancelledError', message: error.message };
  if (error instanceof StripError) return { name: 'StripError', message: error.message };
  if (error instanceof RosterError) return { name: 'RosterError', message: error.message };
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}

async function handle(msg: Request): Promise<unknown> {
  switch (msg.op) {
    case 'channels':
      return verifiedChannels(http);
    case 'submit': {
      const done = await submitReport(http, msg.input, (progress) => post({ id: msg.id, progress }));
      replace(done.session);
      return { code: done.code, reportId: done.reportId, receivedAt: done.receivedAt };
    }
    case 'open': {
      const opened = await ReporterSession.open(http, msg.code);
      replace(opened.session);
      return opened.view;
    }
    case 'refresh':
      return need().load();
    case 'send':
      return need().sendMessage(msg.text);
    case 'upload': {
      const controller = new AbortController();
      uploads.set(msg.uploadId, controller);
      try {
        return await need().upload(msg.file, {
          name: msg.file.name, type: msg.file.type, strip: msg.strip, signal: controller.signal,
          onProgress: (progress) => post({ id: msg.id, progress }),
        });
      } finally {
        uploads.delete(msg.uploadId);
      }
    }
    case 'forget':
      session?.forget();
      session = undefined;
      return null;
    case 'cancel':
      uploads.get(msg.uploadId)?.abort();
      return null;
  }
}

self.onmessage = async (event: MessageEvent<Request>) => {
  const msg = event.data;
  try {
    await ready;
    post({ id: msg.id, ok: true, value: await handle(msg) });
  } catch (error) {
    post({ id: msg.id, ok: false, error: info(error) });
  }
};
