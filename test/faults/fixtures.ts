// Shared by the fault tests: an instance on disk for a real server process, a request whose body
// is sent a piece at a time (so that a fault can strike in the middle of it), and a reviewer's
// view of the same data folder through the console app in-process. (Waiting for a condition:
// test/helpers/wait.ts.)
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { decryptAttachmentBytes, decryptAttachmentMeta, fromB64u, openSealedKey, ready } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { dataPaths } from '../../server/instance.js';
import { createServices, type Services } from '../../server/services.js';
import { addUser, LogCapture, TestClock, type TestUser, knowRecoverySecret } from '../helpers/instance.js';
import { signIn, type ConsoleClient } from '../server/routes/console-fixtures.js';

/** Server settings for fault runs: no proof of work, a quiet log. */
export const PROCESS_ENV = { SEALBOX_POW_BITS: '0', SEALBOX_LOG_LEVEL: 'warn' };

/** A new instance in a temporary folder (removed at teardown) with a reviewer on both channels. */
export async function processInstance(t: Test, prefix: string): Promise<{ dir: string; blobs: string; amina: TestUser }> {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), `sealbox-${prefix}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const init = initInstance(dir, { recoveryKey: true });
  const setup = knowRecoverySecret(createServices(loadConfig({ SEALBOX_DATA_DIR: dir })), init.recoverySecret);
  try {
    return { dir, blobs: dataPaths(dir).blobs, amina: addUser(setup, 'amina', ['reviewer'], ['public', 'staff']) };
  } finally {
    setup.close();
  }
}

/** Bytes of a file, or -1 when there is none. */
export const fileSize = (path: string): number => {
  try {
    return statSync(path).size;
  } catch {
    return -1;
  }
};

export interface StreamingRequest {
  req: ClientRequest;
  /** Settles with the response, or with the error that ended the request (a killed server). */
  done: Promise<{ status: number } | { error: NodeJS.ErrnoException }>;
}

/** Starts a request that declares `contentLength` bytes but sends only `first` of them (for now). */
export function streamingRequest(base: string, method: string, path: string, headers: Record<string, string>, contentLength: number, first: Uint8Array): StreamingRequest {
  const url = new URL(path, base);
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, method, headers: { ...headers, 'content-length': String(contentLength) } });
  const done = new Promise<{ status: number } | { error: NodeJS.ErrnoException }>((resolve) => {
    req.on('response', (res: IncomingMessage) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error }));
  });
  req.write(Buffer.from(first));
  return { req, done };
}

export interface ReviewerView {
  services: Services;
  clock: TestClock;
  app: FastifyInstance;
  reviewer: ConsoleClient;
  /** The report as the console API gives it, with the report key opened by the reviewer. */
  report(id: string): Promise<{ doc: ReportDoc; key: Uint8Array }>;
  /** Downloads an attachment as the reviewer; the decrypted file when the download is a 200. */
  download(reportId: string, attachmentId: string): Promise<{ status: number; code?: string; file?: Uint8Array }>;
  close(): Promise<void>;
}

interface ReportDoc {
  sealedKey: string;
  attachments: { id: string; size: number; complete: boolean; meta: { nonce: string; ciphertext: string } }[];
}

/**
 * The console app in this process on the same data folder as a server process (SQLite in WAL mode
 * lets both use it), signed in as `user` on a movable clock that starts now.
 */
export async function reviewerView(dir: string, user: TestUser, clock = new TestClock(Date.now())): Promise<ReviewerView> {
  const services = createServices(loadConfig({ SEALBOX_DATA_DIR: dir, SEALBOX_LOG_LEVEL: 'warn' }), clock);
  const app = await buildApp('console', services, { logStream: new LogCapture() });
  const reviewer = await signIn(app, clock, user);
  const report = async (id: string) => {
    const res = await reviewer.get(`/api/reports/${id}`);
    if (res.statusCode !== 200) throw new Error(`the report did not open: ${res.body}`);
    const doc = res.json() as ReportDoc;
    return { doc, key: openSealedKey(doc.sealedKey, user.secrets.box) };
  };
  return {
    services, clock, app, reviewer, report,
    download: async (reportId, attachmentId) => {
      const res = await reviewer.get(`/api/reports/${reportId}/attachments/${attachmentId}`);
      if (res.statusCode !== 200) return { status: res.statusCode, code: (res.json() as { code: string }).code };
      const { doc, key } = await report(reportId);
      const row = doc.attachments.find((a) => a.id === attachmentId)!;
      const meta = decryptAttachmentMeta(key, reportId, attachmentId, row.meta);
      return { status: 200, file: await decryptAttachmentBytes(fromB64u(meta.key, 32), res.rawPayload) };
    },
    close: async () => {
      await app.close();
      services.close();
    },
  };
}

/** Byte equality without tap's deep diff (far too slow for megabytes). */
export const sameBytes = (a: Uint8Array | undefined, b: Uint8Array): boolean => a !== undefined && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
