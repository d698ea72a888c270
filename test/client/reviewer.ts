// The reviewer's side in Node, for checking what the page sent: open K with a reviewer's secret
// key, decrypt the report, messages and attachment streams, and answer as the unit.
import {
  decryptAttachmentBytes, decryptAttachmentMeta, openConversation, decryptReportContent, encryptMessage, fromB64u, openSealedKey,
  toB64u, type AttachmentMeta, type ReportContent,
} from '../../crypto/index.js';
import type { Services } from '../../server/services.js';
import type { TestUser } from '../helpers/instance.js';
import { readFile } from 'node:fs/promises';

export interface ReviewerView {
  key: Uint8Array;
  content: ReportContent;
  messages: Array<{ author: 'reporter' | 'reviewer'; text: string }>;
  attachments: Array<{ id: string; complete: boolean; meta: AttachmentMeta; bytes?: Uint8Array }>;
}

/** The report key K as the reviewer opens it from their envelope. */
export function reviewerKey(services: Services, user: TestUser, reportId: string): Uint8Array {
  const envelope = services.repos.reports.key(reportId, user.keyId);
  if (!envelope) throw new Error(`no envelope for ${user.username}`);
  return openSealedKey(toB64u(envelope.sealedKey), user.secrets.box);
}

/** Everything the reviewer can read of a report; complete attachments decrypted from the blob store. */
export async function readAsReviewer(services: Services, user: TestUser, reportId: string): Promise<ReviewerView> {
  const key = reviewerKey(services, user, reportId);
  const report = services.repos.reports.byId(reportId)!;
  const content = decryptReportContent(key, reportId, { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) });
  const rows = services.repos.messages.listForReport(reportId);
  const messages = openConversation(key, reportId, rows.map((m) => ({ ...m, nonce: toB64u(m.nonce), ciphertext: toB64u(m.ciphertext) })))
    .messages.map((m) => {
      if (m.text === null) throw new Error(`message ${m.id} does not open`);
      return { author: m.author, text: m.text };
    });
  const attachments = [];
  for (const a of services.repos.attachments.listForReport(reportId)) {
    const meta = decryptAttachmentMeta(key, reportId, a.id, { nonce: toB64u(a.metaNonce), ciphertext: toB64u(a.metaCiphertext) });
    const item: ReviewerView['attachments'][number] = { id: a.id, complete: a.complete, meta };
    if (a.complete) {
      const stream = new Uint8Array(await readFile(services.blobs.path(a.id)));
      item.bytes = await decryptAttachmentBytes(fromB64u(meta.key, 32), stream);
    }
    attachments.push(item);
  }
  return { key, content, messages, attachments };
}

/** Posts the unit's answer as the console would: encrypted with K, author `reviewer`. */
export function answerAsReviewer(services: Services, user: TestUser, reportId: string, text: string): void {
  const key = reviewerKey(services, user, reportId);
  const sealed = encryptMessage(key, reportId, 'reviewer', text);
  services.repos.messages.add({
    reportId, author: 'reviewer', authorUserId: user.id, createdAt: new Date(services.clock.now()).toISOString(),
    nonce: Buffer.from(fromB64u(sealed.nonce)), ciphertext: Buffer.from(fromB64u(sealed.ciphertext)),
  });
}
