// A reporter in Node, speaking the reporter API through `inject` (or any request function).
import {
  openConversation, decryptReportContent, deriveReceiptKeys, encryptAttachmentBytes, encryptAttachmentMeta, encryptMessage,
  encryptReportContent, formatReceiptCode, normaliseReceiptCode, fromB64u, generateReceiptCode, generateReportKey, newId, openSealedKey, PARAMS,
  receiptTokenHeader, sealKey, solvePow, toB64u, type ReceiptKeys,
} from '../../crypto/index.js';
import type { FollowupDoc } from '../../domain/api.js';

/** What the helper needs of an app: Fastify's `inject`, or httpClient() over a real port. */
export interface Injector {
  inject(opts: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'HEAD'; url: string; headers?: Record<string, string>; payload?: unknown }): Promise<{
    statusCode: number;
    body: string;
    headers: Record<string, string | string[] | number | undefined>;
    json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
  }>;
}

export interface ChannelInfo {
  id: string;
  recipients: { userId: string; keyId: string; publicKey: string; label: string }[];
  allowRecipientExclusion: boolean;
}

export class TestReporter {
  readonly code: string;
  readonly keys: ReceiptKeys;
  reportKey = generateReportKey();
  reportId = '';

  constructor(readonly app: Injector, code = generateReceiptCode()) {
    this.code = formatReceiptCode(normaliseReceiptCode(code));
    this.keys = deriveReceiptKeys(code);
  }

  get auth(): Record<string, string> {
    return { authorization: receiptTokenHeader(this.keys.receiptToken) };
  }

  async channels() {
    const res = await this.app.inject({ method: 'GET', url: '/api/channels' });
    return res.json() as { channels: ChannelInfo[]; recoveryKey: { keyId: string; publicKey: string } | null };
  }

  /**
   * Builds the POST /api/reports body for a challenge (everything the page does). With `excluded`
   * (user ids), the body says whom the report leaves out, as the page does; without it, an older
   * page's body.
   */
  buildReport(channelId: string, reportId: string, powNonce: number, answers: Record<string, unknown>,
    recipients: { keyId: string; publicKey: string; userId?: string }[], excluded?: string[]) {
    this.reportId = reportId;
    const content = encryptReportContent(this.reportKey, reportId, {
      channelId, locale: 'en', questionnaire: 'customs-default@1', answers,
      recipients: recipients.flatMap((r) => (r.userId ? [r.userId] : [])), excluded: excluded ?? [],
    });
    return {
      reportId, powNonce, channelId,
      receiptToken: toB64u(this.keys.receiptToken),
      reporterPublicKey: toB64u(this.keys.reporterPublicKey),
      content,
      keys: recipients.map((r) => ({ keyId: r.keyId, sealedKey: sealKey(this.reportKey, fromB64u(r.publicKey)) })),
      reporterSealedKey: sealKey(this.reportKey, this.keys.reporterPublicKey),
      ...(excluded ? { excluded } : {}),
    };
  }

  async challenge(channelId: string) {
    const res = await this.app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId } });
    return { res, body: res.json() as { reportId: string; pow: { salt: string; bits: number }; expiresAt: string } };
  }

  /** The whole submission, leaving out the members whose user ids are `excluded`; returns the 201 response. */
  async submit(channelId: string, answers: Record<string, unknown>, excluded?: string[]) {
    const { channels, recoveryKey } = await this.channels();
    const channel = channels.find((c) => c.id === channelId)!;
    const { body: ch } = await this.challenge(channelId);
    const nonce = solvePow(fromB64u(ch.pow.salt), ch.pow.bits);
    const recipients = [...channel.recipients.filter((r) => !excluded?.includes(r.userId)), ...(recoveryKey ? [recoveryKey] : [])];
    const payload = this.buildReport(channelId, ch.reportId, nonce, answers, recipients, excluded);
    return this.app.inject({ method: 'POST', url: '/api/reports', payload });
  }

  message(text: string) {
    return encryptMessage(this.reportKey, this.reportId, 'reporter', text);
  }

  async sendMessage(text: string) {
    return this.app.inject({ method: 'POST', url: '/api/followup/messages', headers: this.auth, payload: this.message(text) });
  }

  async followup() {
    return this.app.inject({ method: 'GET', url: '/api/followup', headers: this.auth });
  }

  /** Reads the follow-up as the page does: opens K with the receipt's key pair, decrypts all. */
  async read() {
    const doc = (await this.followup()).json();
    const key = openSealedKey(doc.reporterSealedKey, { publicKey: this.keys.reporterPublicKey, secretKey: this.keys.reporterSecretKey });
    return {
      doc,
      content: decryptReportContent(key, doc.reportId, doc.content),
      // Versions 1 and 2 as the page opens them (crypto/conversation.ts); a gap is marked.
      // A message that does not open throws, as it always has here.
      messages: openConversation(key, doc.reportId, doc.messages as FollowupDoc['messages']).messages.map((m) => {
        if (m.text === null) throw new Error(`message ${m.id} does not open`);
        return { author: m.author, text: m.text, ...(m.missingBefore ? { missingBefore: true } : {}) };
      }),
    };
  }

  /** Declares an attachment and returns its id and encrypted stream. */
  async declareAttachment(name: string, type: string, data: Uint8Array) {
    const attachmentId = newId();
    const fileKey = generateReportKey();
    const stream = await encryptAttachmentBytes(fileKey, data);
    const meta = encryptAttachmentMeta(this.reportKey, this.reportId, attachmentId, { name, type, size: data.length, key: toB64u(fileKey), chunkSize: PARAMS.chunkSize });
    const res = await this.app.inject({ method: 'POST', url: '/api/followup/attachments', headers: this.auth, payload: { attachmentId, size: stream.length, meta } });
    return { res, attachmentId, stream, fileKey };
  }
}
