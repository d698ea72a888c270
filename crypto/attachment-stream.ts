// Attachment bodies (PROTOCOL.md §3): a secretstream of 64 KiB chunks, encrypted and decrypted one
// chunk at a time so that neither side ever needs a whole file in memory.
import { checkLength, concatBytes } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { PARAMS } from './params.js';
import { s, type StreamState } from './sodium.js';

const CHUNK = PARAMS.chunkSize;
const CIPHER_CHUNK = CHUNK + PARAMS.streamChunkOverhead;

/** Bytes of the encrypted stream for a file of `plainSize` bytes (an empty file is one empty chunk). */
export function encryptedSize(plainSize: number): number {
  const chunks = Math.max(1, Math.ceil(plainSize / CHUNK));
  return PARAMS.streamHeaderBytes + plainSize + chunks * PARAMS.streamChunkOverhead;
}

/** Plaintext size for an encrypted stream size, or undefined when no plaintext yields that size. */
export function plainSizeOf(streamSize: number): number | undefined {
  const body = streamSize - PARAMS.streamHeaderBytes;
  if (body < PARAMS.streamChunkOverhead) return undefined;
  const chunks = Math.max(1, Math.ceil((body - PARAMS.streamChunkOverhead) / CIPHER_CHUNK));
  const plain = body - chunks * PARAMS.streamChunkOverhead;
  return encryptedSize(plain) === streamSize ? plain : undefined;
}

/**
 * Encrypts chunk by chunk. Call `push` with each 64 KiB piece of the file in order, the last one
 * (shorter, or empty for an empty file) with `last = true`; `header` goes first on the wire.
 */
export class AttachmentEncryptor {
  readonly header: Uint8Array;
  private readonly state: StreamState;
  private done = false;

  constructor(key: Uint8Array) {
    const init = s.crypto_secretstream_xchacha20poly1305_init_push(checkLength(key, PARAMS.keyBytes, 'attachment key'));
    this.header = init.header;
    this.state = init.state;
  }

  push(chunk: Uint8Array, last: boolean): Uint8Array {
    if (this.done) throw new SealboxCryptoError('SBX_STREAM_INVALID', 'stream already finished');
    // Only the final chunk may be short: a reader splits the stream at fixed offsets.
    if (last ? chunk.length > CHUNK : chunk.length !== CHUNK) {
      throw new SealboxCryptoError('SBX_STREAM_INVALID', `chunks are ${CHUNK} bytes; only the last may be shorter`);
    }
    this.done = last;
    return s.crypto_secretstream_xchacha20poly1305_push(this.state, chunk, last ? s.TAG_FINAL : s.TAG_MESSAGE);
  }
}

/**
 * Decrypts chunk by chunk: `pull` takes one encrypted chunk (64 KiB + 17, the last may be shorter)
 * and returns its plaintext; `finish` throws unless the final chunk was seen. A reordered,
 * altered or truncated stream throws, so no partial file is ever taken for the whole one.
 */
export class AttachmentDecryptor {
  private readonly state: StreamState;
  private finished = false;

  constructor(key: Uint8Array, header: Uint8Array) {
    checkLength(header, PARAMS.streamHeaderBytes, 'stream header');
    try {
      this.state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, checkLength(key, PARAMS.keyBytes, 'attachment key'));
    } catch {
      throw new SealboxCryptoError('SBX_DECRYPT_FAILED', 'stream header is invalid');
    }
  }

  get isFinished(): boolean {
    return this.finished;
  }

  pull(chunk: Uint8Array): Uint8Array {
    if (this.finished) throw new SealboxCryptoError('SBX_STREAM_INVALID', 'data after the final chunk');
    if (chunk.length < PARAMS.streamChunkOverhead || chunk.length > CIPHER_CHUNK) {
      throw new SealboxCryptoError('SBX_STREAM_INVALID', 'encrypted chunk has an impossible size');
    }
    let out: { message: Uint8Array; tag: number } | false;
    try {
      out = s.crypto_secretstream_xchacha20poly1305_pull(this.state, chunk);
    } catch {
      out = false;
    }
    if (!out) throw new SealboxCryptoError('SBX_DECRYPT_FAILED', 'attachment chunk failed authentication');
    if (out.tag === s.TAG_FINAL) {
      this.finished = true;
    } else if (out.tag !== s.TAG_MESSAGE || chunk.length !== CIPHER_CHUNK) {
      // A short chunk that is not final, or a REKEY/PUSH tag, is not a stream this protocol writes.
      throw new SealboxCryptoError('SBX_STREAM_INVALID', 'unexpected chunk in attachment stream');
    }
    return out.message;
  }

  finish(): void {
    if (!this.finished) throw new SealboxCryptoError('SBX_STREAM_TRUNCATED', 'attachment stream ends before its final chunk');
  }
}

/** Regroups arbitrary byte pieces into fixed-size blocks (the last block may be short). */
async function* rechunk(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, first: number, size: number): AsyncGenerator<Uint8Array> {
  let want = first;
  let parts: Uint8Array[] = [];
  let have = 0;
  let yielded = false;
  for await (const piece of source) {
    let at = 0;
    while (at < piece.length) {
      const take = Math.min(want - have, piece.length - at);
      parts.push(piece.subarray(at, at + take));
      have += take;
      at += take;
      if (have === want) {
        yield parts.length === 1 ? parts[0]! : concatBytes(...parts);
        yielded = true;
        parts = [];
        have = 0;
        want = size;
      }
    }
  }
  // The short tail, or one empty block for an empty source (an empty file is one empty chunk).
  if (have > 0 || !yielded) yield concatBytes(...parts);
}

/**
 * Encrypts a file given as any sequence of byte pieces; yields the header, then one encrypted chunk
 * at a time. Holds at most two plaintext chunks (one of lookahead, to know which is last).
 */
export async function* encryptAttachment(key: Uint8Array, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const enc = new AttachmentEncryptor(key);
  yield enc.header;
  let pending: Uint8Array | undefined;
  for await (const chunk of rechunk(source, CHUNK, CHUNK)) {
    if (pending) yield enc.push(pending, false);
    pending = chunk;
  }
  yield enc.push(pending ?? new Uint8Array(0), true);
}

/** Decrypts an encrypted stream given as any sequence of byte pieces; yields plaintext chunks. */
export async function* decryptAttachment(key: Uint8Array, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let dec: AttachmentDecryptor | undefined;
  for await (const block of rechunk(source, PARAMS.streamHeaderBytes, CIPHER_CHUNK)) {
    if (!dec) {
      if (block.length < PARAMS.streamHeaderBytes) throw new SealboxCryptoError('SBX_STREAM_TRUNCATED', 'attachment stream has no header');
      dec = new AttachmentDecryptor(key, block);
      continue;
    }
    yield dec.pull(block);
  }
  if (!dec) throw new SealboxCryptoError('SBX_STREAM_TRUNCATED', 'attachment stream has no header');
  dec.finish();
}

/** Whole-buffer helpers, for tests, vectors and small files. */
export async function encryptAttachmentBytes(key: Uint8Array, plain: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of encryptAttachment(key, [plain])) parts.push(p);
  return concatBytes(...parts);
}

export async function decryptAttachmentBytes(key: Uint8Array, stream: Uint8Array): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of decryptAttachment(key, [stream])) parts.push(p);
  return concatBytes(...parts);
}
