// The encrypted objects of PROTOCOL.md §3: padded JSON under XChaCha20-Poly1305 with an AD that
// binds each object to its report, its kind and (for messages) its author.
import { checkLength, fromB64u, fromUtf8, randomBytes, toB64u, utf8 } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { isBucket, pad, unpad } from './padding.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

/** An encrypted object as it travels: `{"nonce": b64u(24), "ciphertext": b64u}`. */
export interface Sealed {
  nonce: string;
  ciphertext: string;
}

export type Author = 'reporter' | 'reviewer';

/** The associated-data strings, one per object kind. */
export const ad = {
  report: (reportId: string) => `${PARAMS.prefix}report/${reportId}`,
  message: (reportId: string, author: Author) => `${PARAMS.prefix}message/${reportId}/${author}`,
  /** Messages version 2 (PROTOCOL.md §9): the message's own id in the AD, so none can be swapped for another. */
  messageV2: (reportId: string, messageId: string, author: Author) => `sealbox/v2/message/${reportId}/${messageId}/${author}`,
  note: (reportId: string) => `${PARAMS.prefix}note/${reportId}`,
  attachment: (reportId: string, attachmentId: string) => `${PARAMS.prefix}attachment/${reportId}/${attachmentId}`,
  keyBundle: (username: string) => `${PARAMS.prefix}keybundle/${username}`,
} as const;

/** Pads and encrypts raw plaintext bytes; `nonce` is for test vectors only (default: random). */
export function encryptBytes(key: Uint8Array, adText: string, plain: Uint8Array, nonce?: Uint8Array): Sealed {
  checkLength(key, PARAMS.keyBytes, 'key');
  const n = nonce ? checkLength(nonce, PARAMS.nonceBytes, 'nonce') : randomBytes(PARAMS.nonceBytes);
  const padded = pad(plain);
  const ct = s.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, utf8(adText), n, key);
  s.memzero(padded);
  return { nonce: toB64u(n), ciphertext: toB64u(ct) };
}

/** Decrypts and unpads; any tampering, wrong key or wrong AD throws, never partial plaintext. */
export function decryptBytes(key: Uint8Array, adText: string, obj: Sealed): Uint8Array {
  checkLength(key, PARAMS.keyBytes, 'key');
  const nonce = fromB64u(obj.nonce, PARAMS.nonceBytes, 'nonce');
  const ct = fromB64u(obj.ciphertext, undefined, 'ciphertext');
  let padded: Uint8Array;
  try {
    padded = s.crypto_aead_xchacha20poly1305_ietf_decrypt(ct, utf8(adText), nonce, key);
  } catch {
    throw new SealboxCryptoError('SBX_DECRYPT_FAILED', 'decryption failed: wrong key, wrong object or tampered data');
  }
  return unpad(padded);
}

/** True when a ciphertext's length is a padding bucket plus the tag (what the server can check). */
export const isPaddedCiphertextLength = (n: number): boolean => isBucket(n - PARAMS.tagBytes);

export function encryptJson(key: Uint8Array, adText: string, value: unknown, nonce?: Uint8Array): Sealed {
  return encryptBytes(key, adText, utf8(JSON.stringify(value)), nonce);
}

/** Decrypts a JSON object whose `"v"` is one of `versions` (default: 1); anything else is SBX_BAD_PLAINTEXT. */
export function decryptJson(key: Uint8Array, adText: string, obj: Sealed, versions: readonly number[] = [1]): Record<string, unknown> {
  const text = fromUtf8(decryptBytes(key, adText, obj));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'plaintext is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !versions.includes((value as { v?: unknown }).v as number)) {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', `plaintext is not a version ${versions.join(' or ')} object`);
  }
  return value as Record<string, unknown>;
}

// ---- named operations ---------------------------------------------------------------------------

export interface ReportContent {
  /** 1: the original content; 2 adds `recipients` and `excluded` (PROTOCOL.md §9). */
  v: 1 | 2;
  channelId: string;
  locale: string;
  /** `{id}@{version}` of the questionnaire the answers follow. */
  questionnaire: string;
  answers: Record<string, unknown>;
  /** User ids the reporter sealed `K` to; null for version 1 content, which did not say. */
  recipients: string[] | null;
  /** User ids the reporter left out: nobody ever seals this report's keys to them. Empty for version 1. */
  excluded: string[];
}

/** What a reporter's page writes: content version 2. */
export type NewReportContent = Omit<ReportContent, 'v' | 'recipients'> & { recipients: string[] };

export const encryptReportContent = (key: Uint8Array, reportId: string, content: NewReportContent): Sealed =>
  encryptJson(key, ad.report(reportId), { v: 2, ...content });

const isIdList = (value: unknown): value is string[] => Array.isArray(value) && value.every((x) => typeof x === 'string');

/**
 * Opens report content of version 1 or 2. Version 1 carries no exclusions; version 2 must carry
 * both lists, since a reader that met a version 2 report without them could not honour them.
 */
export function decryptReportContent(key: Uint8Array, reportId: string, obj: Sealed): ReportContent {
  const value = decryptJson(key, ad.report(reportId), obj, [1, 2]);
  if (typeof value.channelId !== 'string' || typeof value.locale !== 'string' || typeof value.questionnaire !== 'string'
    || typeof value.answers !== 'object' || value.answers === null || Array.isArray(value.answers)) {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'report content lacks channelId, locale, questionnaire or answers');
  }
  if (value.v === 1) return { ...(value as unknown as Omit<ReportContent, 'recipients' | 'excluded'>), v: 1, recipients: null, excluded: [] };
  if (!isIdList(value.recipients) || !isIdList(value.excluded)) {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'report content version 2 lacks recipients or excluded');
  }
  return value as unknown as ReportContent;
}

function textOf(value: Record<string, unknown>): string {
  if (typeof value.text !== 'string') throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'object has no text');
  return value.text;
}

export const encryptMessage = (key: Uint8Array, reportId: string, author: Author, text: string): Sealed =>
  encryptJson(key, ad.message(reportId, author), { v: 1, text });

export const decryptMessage = (key: Uint8Array, reportId: string, author: Author, obj: Sealed): string =>
  textOf(decryptJson(key, ad.message(reportId, author), obj));

/** A version 2 message: its text and `prev`, the hash of the last message the sender had seen. */
export interface MessageV2 {
  text: string;
  /** b64u of `crypto_generichash(32, ciphertext)` of the last message the sender had seen; 32 zero bytes for the first. */
  prev: string;
}

/** The `prev` of a conversation's first message. */
// Written out rather than computed: this module loads before libsodium is ready (a browser worker
// imports it first), so nothing at its top level may call into libsodium.
export const NO_PREVIOUS_MESSAGE = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** What a later message names as its `prev`: BLAKE2b-256 of this message's ciphertext bytes. */
export const messageHash = (obj: Sealed): string => toB64u(s.crypto_generichash(32, fromB64u(obj.ciphertext, undefined, 'ciphertext')));

export function encryptMessageV2(key: Uint8Array, reportId: string, messageId: string, author: Author, message: MessageV2, nonce?: Uint8Array): Sealed {
  fromB64u(message.prev, 32, 'prev');
  return encryptJson(key, ad.messageV2(reportId, messageId, author), { v: 2, text: message.text, prev: message.prev }, nonce);
}

export function decryptMessageV2(key: Uint8Array, reportId: string, messageId: string, author: Author, obj: Sealed): MessageV2 {
  const value = decryptJson(key, ad.messageV2(reportId, messageId, author), obj, [2]);
  if (typeof value.prev !== 'string') throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'message has no prev');
  fromB64u(value.prev, 32, 'prev');
  return { text: textOf(value), prev: value.prev };
}

export const encryptNote = (internalKey: Uint8Array, reportId: string, text: string): Sealed =>
  encryptJson(internalKey, ad.note(reportId), { v: 1, text });

export const decryptNote = (internalKey: Uint8Array, reportId: string, obj: Sealed): string =>
  textOf(decryptJson(internalKey, ad.note(reportId), obj));

export interface AttachmentMeta {
  v: 1;
  name: string;
  type: string;
  /** Plaintext size in bytes. */
  size: number;
  /** b64u of the file's own 32-byte secretstream key. */
  key: string;
  chunkSize: number;
}

export const encryptAttachmentMeta = (key: Uint8Array, reportId: string, attachmentId: string, meta: Omit<AttachmentMeta, 'v'>): Sealed =>
  encryptJson(key, ad.attachment(reportId, attachmentId), { v: 1, ...meta });

export function decryptAttachmentMeta(key: Uint8Array, reportId: string, attachmentId: string, obj: Sealed): AttachmentMeta {
  const value = decryptJson(key, ad.attachment(reportId, attachmentId), obj);
  if (typeof value.name !== 'string' || typeof value.type !== 'string' || !Number.isSafeInteger(value.size)
    || (value.size as number) < 0 || typeof value.key !== 'string' || value.chunkSize !== PARAMS.chunkSize) {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'attachment metadata is incomplete');
  }
  fromB64u(value.key, PARAMS.keyBytes, 'attachment key');
  return value as unknown as AttachmentMeta;
}
