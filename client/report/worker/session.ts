// What the reporting page does with keys, all of it in the reporter's browser (in the page's Web
// Worker): make the receipt code, solve the proof of work, encrypt and seal the report, open a
// follow-up from a typed receipt, decrypt the conversation, send messages and files. The receipt
// code, the token and the report key never leave this module except as the protocol says.
import {
  decryptAttachmentMeta, decryptReportContent, deriveReceiptKeys, encryptReportContent, fromB64u, generateReceiptCode,
  generateReportKey, NO_PREVIOUS_MESSAGE, normaliseReceiptCode, openConversation, openSealedKey, receiptTokenHeader, sealKey,
  sealMessage, solvePow, toB64u, type ReceiptKeys,
} from '../../../crypto/index.js';
import type { FollowupDoc, ReportBody } from '../../../domain/api.js';
import { ApiError, getJson, postJson, type Http } from './http.js';
import { sealingTargets } from './recipients.js';
import { uploadAttachment, type UploadOptions } from './upload.js';
import type { Answers, FollowupView, SubmitProgress, UploadResult } from '../types.js';

export interface SubmitInput {
  channelId: string;
  locale: string;
  /** `{id}@{version}` of the questionnaire the answers follow. */
  questionnaire: string;
  answers: Answers;
  /**
   * User ids of the channel's members the reporter left out: bound into the content and told to
   * the server. Whom the key is sealed to is not the page's to say: the worker reads it from the
   * verified roster (recipients.ts), every verified member of the channel but these.
   */
  excluded: string[];
}

export interface Submitted {
  session: ReporterSession;
  /** The canonical receipt code (25 symbols): shown once, kept by the reporter. */
  code: string;
  reportId: string;
  receivedAt: string;
}

/** A 120-bit receipt colliding is absurdly unlikely, but the protocol says what to do: a new code. */
const RECEIPT_ATTEMPTS = 3;

/**
 * The whole submission: challenge, proof of work, encryption, sealing, and POST /api/reports.
 * A receipt already in use (409 SBX_RECEIPT_TAKEN) gets a new code and the same challenge again
 * (the server leaves the challenge unused when it refuses the receipt).
 */
export async function submitReport(http: Http, input: SubmitInput, onProgress: (p: SubmitProgress) => void = () => undefined,
  makeCode: () => string = generateReceiptCode): Promise<Submitted> {
  onProgress({ phase: 'challenge' });
  const challenge = await postJson<{ reportId: string; pow: { salt: string; bits: number } }>(http, '/api/submissions', { channelId: input.channelId });
  const expected = 2 ** challenge.pow.bits;
  onProgress({ phase: 'pow', tried: 0, expected });
  const powNonce = solvePow(fromB64u(challenge.pow.salt, 16), challenge.pow.bits, {
    every: 8192, onProgress: (tried) => onProgress({ phase: 'pow', tried, expected }),
  });
  onProgress({ phase: 'encrypting' });
  const reportId = challenge.reportId;
  const targets = await sealingTargets(http, input.channelId, input.excluded);
  const key = generateReportKey();
  const content = encryptReportContent(key, reportId, {
    channelId: input.channelId, locale: input.locale, questionnaire: input.questionnaire, answers: input.answers,
    recipients: targets.keys.flatMap((r) => (r.userId ? [r.userId] : [])), excluded: targets.excluded,
  });
  const keys = targets.keys.map((r) => ({ keyId: r.keyId, sealedKey: sealKey(key, fromB64u(r.publicKey, 32)) }));
  for (let attempt = 1; ; attempt++) {
    const code = makeCode();
    const receipt = deriveReceiptKeys(code);
    onProgress({ phase: 'sending' });
    try {
      const created = await postJson<{ reportId: string; receivedAt: string }>(http, '/api/reports', {
        reportId, powNonce, channelId: input.channelId,
        receiptToken: toB64u(receipt.receiptToken),
        reporterPublicKey: toB64u(receipt.reporterPublicKey),
        content, keys,
        reporterSealedKey: sealKey(key, receipt.reporterPublicKey),
        excluded: targets.excluded,
      } satisfies ReportBody);
      return { session: new ReporterSession(http, reportId, key, receipt), code, reportId, receivedAt: created.receivedAt };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'SBX_RECEIPT_TAKEN') || attempt >= RECEIPT_ATTEMPTS) throw error;
    }
  }
}

/** A report the reporter holds the receipt of: submitted just now, or opened from a typed code. */
export class ReporterSession {
  private readonly authorization: string;
  /** What this session's next message names as `prev`: the last message it loaded or sent. */
  private lastSeen = NO_PREVIOUS_MESSAGE;

  constructor(private readonly http: Http, public reportId: string, private reportKey: Uint8Array | undefined, private readonly receipt: ReceiptKeys) {
    this.authorization = receiptTokenHeader(receipt.receiptToken);
  }

  /**
   * Opens the report a typed receipt leads to. A typo throws ReceiptCodeError (which rule it
   * breaks) before anything is sent; an unknown receipt is ApiError 404 SBX_NOT_FOUND.
   */
  static async open(http: Http, typed: string): Promise<{ session: ReporterSession; view: FollowupView }> {
    const receipt = deriveReceiptKeys(normaliseReceiptCode(typed));
    const session = new ReporterSession(http, '', undefined, receipt);
    const view = await session.load();
    return { session, view };
  }

  private get auth(): Record<string, string> {
    return { authorization: this.authorization };
  }

  /** GET /api/followup, decrypted. The report itself failing to decrypt throws; a message or file is marked. */
  async load(): Promise<FollowupView> {
    const doc = await getJson<FollowupDoc>(this.http, '/api/followup', this.auth);
    const key = openSealedKey(doc.reporterSealedKey, { publicKey: this.receipt.reporterPublicKey, secretKey: this.receipt.reporterSecretKey });
    this.reportId = doc.reportId;
    this.reportKey = key;
    const content = decryptReportContent(key, doc.reportId, doc.content);
    const conversation = openConversation(key, doc.reportId, doc.messages);
    this.lastSeen = conversation.next;
    return {
      reportId: doc.reportId,
      channelId: doc.channelId,
      status: doc.status,
      receivedAt: doc.receivedAt,
      acknowledgedAt: doc.acknowledgedAt,
      closedAt: doc.closedAt,
      content: { channelId: content.channelId, locale: content.locale, questionnaire: content.questionnaire, answers: content.answers },
      messages: conversation.messages.map((m) => ({ id: m.id, author: m.author, createdAt: m.createdAt, text: m.text, missingBefore: m.missingBefore })),
      attachments: doc.attachments.map((a) => {
        const meta = attempt(() => decryptAttachmentMeta(key, doc.reportId, a.id, a.meta));
        return { id: a.id, createdAt: a.createdAt, complete: a.complete, name: meta?.name ?? null, type: meta?.type ?? '', size: meta?.size ?? 0 };
      }),
    };
  }

  private key(): Uint8Array {
    if (!this.reportKey) throw new Error('the report is not open yet');
    return this.reportKey;
  }

  /** Sends a version 2 message naming the last message this session saw (PROTOCOL.md §9). */
  async sendMessage(text: string): Promise<{ id: string; createdAt: string }> {
    const { body, hash } = sealMessage(this.key(), this.reportId, 'reporter', text, this.lastSeen);
    const sent = await postJson<{ id: string; createdAt: string }>(this.http, '/api/followup/messages', body, this.auth);
    this.lastSeen = hash;
    return sent;
  }

  upload(file: Blob, options: UploadOptions): Promise<UploadResult> {
    return uploadAttachment({ http: this.http, authorization: this.authorization, reportId: this.reportId, reportKey: this.key() }, file, options);
  }

  /** Wipes the keys this session holds (leaving the follow-up, closing the page). */
  forget(): void {
    this.reportKey?.fill(0);
    this.receipt.receiptToken.fill(0);
    this.receipt.reporterSecretKey.fill(0);
    this.reportKey = undefined;
  }
}

function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

export { normaliseReceiptCode };
