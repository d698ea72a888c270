// Encrypted backups (`sealbox backup --passphrase-stdin`): the whole archive inside the attachment
// secretstream, under a key derived from a passphrase with Argon2id, streamed 64 KiB at a time.
//
// File layout (every integer big-endian):
//
//   "sealbox-backup-encrypted/1\n" (27 bytes) ‖ salt (16) ‖ opslimit (uint32) ‖ memlimit (uint32)
//   ‖ check (16) ‖ secretstream header (24) ‖ chunks of 65536 archive bytes (+17 each), the last
//   tagged TAG_FINAL, exactly as an attachment body (PROTOCOL.md §3).
//
//   master = Argon2id13(passphrase, salt, opslimit, memlimit), 32 bytes
//   key    = crypto_kdf_derive_from_key(32, 1, "sbxbkup1", master)
//   check  = crypto_kdf_derive_from_key(16, 2, "sbxbkup1", master)
//
// `check` tells a wrong passphrase apart from a damaged file before any chunk is opened; the
// secretstream then authenticates every byte of the archive and its end, so a flipped, cut or
// reordered chunk fails. The header fields are not authenticated on their own: changing any of
// them changes the key, and the check or the first chunk fails.
import { concatBytes, utf8 } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { decryptAttachment, encryptAttachment } from './attachment-stream.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';
import type { KdfParams } from './user-keys.js';

export const BACKUP_MAGIC: Uint8Array = utf8('sealbox-backup-encrypted/1\n');
/** A subkey context of its own (crypto_kdf contexts are exactly 8 bytes): never a user's key. */
const CONTEXT = 'sbxbkup1';
const CHECK_BYTES = 16;
/** Bytes before the secretstream. */
export const BACKUP_HEADER_BYTES = BACKUP_MAGIC.length + PARAMS.saltBytes + 4 + 4 + CHECK_BYTES;
/**
 * Ceilings on what a file may ask for: a crafted header must not make restore spend hours or
 * gigabytes before it can say "wrong passphrase". Sixteen times the defaults leaves room to grow.
 */
const MAX_OPSLIMIT = PARAMS.opslimit * 16;
const MAX_MEMLIMIT = PARAMS.memlimit * 16;

/** True when `head` (the first bytes of a file) starts like an encrypted backup. */
export function isEncryptedBackup(head: Uint8Array): boolean {
  return head.length >= BACKUP_MAGIC.length && s.memcmp(head.subarray(0, BACKUP_MAGIC.length), BACKUP_MAGIC);
}

function deriveBackupKeys(passphrase: string, params: KdfParams): { key: Uint8Array; check: Uint8Array } {
  const pw = utf8(passphrase);
  const master = s.crypto_pwhash_argon2id(32, pw, params.salt, params.opslimit, params.memlimit);
  const keys = {
    key: s.crypto_kdf_derive_from_key(32, 1, CONTEXT, master),
    check: s.crypto_kdf_derive_from_key(CHECK_BYTES, 2, CONTEXT, master),
  };
  s.memzero(master);
  s.memzero(pw);
  return keys;
}

/**
 * Encrypts an archive given as any sequence of byte pieces; yields the file header, then the
 * stream one chunk at a time. `params` only for tests (defaults: a new salt, PARAMS' Argon2id cost).
 */
export async function* encryptBackup(
  passphrase: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  params: KdfParams = { salt: s.randombytes_buf(PARAMS.saltBytes), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit },
): AsyncGenerator<Uint8Array> {
  const { key, check } = deriveBackupKeys(passphrase, params);
  const numbers = new Uint8Array(8);
  const view = new DataView(numbers.buffer);
  view.setUint32(0, params.opslimit);
  view.setUint32(4, params.memlimit);
  yield concatBytes(BACKUP_MAGIC, params.salt, numbers, check);
  try {
    yield* encryptAttachment(key, source);
  } finally {
    s.memzero(key);
  }
}

/**
 * Decrypts an encrypted backup given as any sequence of byte pieces; yields the archive's bytes.
 * Throws SBX_DECRYPT_FAILED "wrong passphrase" before yielding anything when the passphrase does
 * not match, and a stream error for a damaged or truncated file (never partial data as whole).
 */
export async function* decryptBackup(passphrase: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  const parts: Uint8Array[] = [];
  let have = 0;
  while (have < BACKUP_HEADER_BYTES) {
    const next = await it.next();
    if (next.done) break;
    parts.push(next.value);
    have += next.value.length;
  }
  const head = concatBytes(...parts);
  if (!isEncryptedBackup(head)) throw new SealboxCryptoError('SBX_STREAM_INVALID', 'not an encrypted Sealbox backup');
  if (head.length < BACKUP_HEADER_BYTES) throw new SealboxCryptoError('SBX_STREAM_TRUNCATED', 'the encrypted backup ends inside its header');
  let at = BACKUP_MAGIC.length;
  const salt = head.slice(at, (at += PARAMS.saltBytes));
  const view = new DataView(head.buffer, head.byteOffset + at, 8);
  const opslimit = view.getUint32(0);
  const memlimit = view.getUint32(4);
  at += 8;
  const check = head.subarray(at, (at += CHECK_BYTES));
  if (opslimit < PARAMS.opslimit || opslimit > MAX_OPSLIMIT || memlimit < PARAMS.memlimit || memlimit > MAX_MEMLIMIT) {
    throw new SealboxCryptoError('SBX_STREAM_INVALID', 'the header asks for key derivation parameters out of range');
  }
  const keys = deriveBackupKeys(passphrase, { salt, opslimit, memlimit });
  if (!s.memcmp(keys.check, check)) {
    s.memzero(keys.key);
    throw new SealboxCryptoError('SBX_DECRYPT_FAILED', 'wrong passphrase for this backup');
  }
  const first = head.subarray(at);
  async function* rest(): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  }
  try {
    yield* decryptAttachment(keys.key, rest());
  } finally {
    s.memzero(keys.key);
  }
}
