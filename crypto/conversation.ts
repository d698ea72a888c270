// A report's conversation as its readers see it (PROTOCOL.md §9, messages version 2): each message
// opened under the version the server says it is, and a warning wherever a message's `prev` names
// one the reader was not given. The server can drop or withhold a message; it cannot hide that it
// did, because the message after it names the one that is gone.
import {
  decryptMessage, decryptMessageV2, encryptMessageV2, messageHash, NO_PREVIOUS_MESSAGE, type Author, type Sealed,
} from './aead.js';
import { randomBytes, toB64u } from './encoding.js';
import { PARAMS } from './params.js';

/** A message as the server hands it out (the fields the reader needs). */
export interface WireMessage extends Sealed {
  id: string;
  author: Author;
  /** 1: AD without the id, no `prev`; 2: the id in the AD and `prev` in the plaintext. */
  version: 1 | 2;
}

export interface OpenedMessage {
  /** null: the message does not open (wrong key, tampered, or a version that does not match). */
  text: string | null;
  /**
   * True where this message names as `prev` a message the reader was not given: the server dropped
   * or withheld at least one message before it.
   */
  missingBefore: boolean;
}

/** A message's hash, or null where the server sent a ciphertext that is not even base64url. */
function hashOf(m: Sealed): string | null {
  try {
    return messageHash(m);
  } catch {
    return null;
  }
}

/** Opens one message under its version: its text and, for version 2, the `prev` it names. */
function openOne(key: Uint8Array, reportId: string, m: WireMessage): { text: string; prev: string | null } | null {
  try {
    if (m.version === 2) return decryptMessageV2(key, reportId, m.id, m.author, m);
    return { text: decryptMessage(key, reportId, m.author, m), prev: null };
  } catch {
    return null;
  }
}

/**
 * Opens a conversation in the order the server gives it, and says where a message is missing.
 * `next` is the `prev` the reader's own next message names: the hash of the last message given.
 * A message that does not open still counts as given (it is there; it has its own mark).
 */
export function openConversation<M extends WireMessage>(key: Uint8Array, reportId: string, messages: readonly M[]): {
  messages: Array<M & OpenedMessage>;
  next: string;
} {
  const given = new Set(messages.map(hashOf));
  const opened = messages.map((m) => {
    const one = openOne(key, reportId, m);
    const prev = one?.prev ?? null;
    return { ...m, text: one?.text ?? null, missingBefore: prev !== null && prev !== NO_PREVIOUS_MESSAGE && !given.has(prev) };
  });
  const last = messages.at(-1);
  return { messages: opened, next: (last && hashOf(last)) ?? NO_PREVIOUS_MESSAGE };
}

/**
 * Seals a version 2 message under a new random id, naming `prev` (the `next` of the conversation
 * as the sender last read it). Returns the body to post, id included, and the hash that the
 * sender's following message names.
 */
export function sealMessage(key: Uint8Array, reportId: string, author: Author, text: string, prev: string): {
  body: Sealed & { id: string };
  hash: string;
} {
  const id = toB64u(randomBytes(PARAMS.idBytes));
  const sealed = encryptMessageV2(key, reportId, id, author, { text, prev });
  return { body: { id, ...sealed }, hash: messageHash(sealed) };
}
