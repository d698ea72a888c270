// The wire encodings as zod schemas (PROTOCOL.md §0, §3): base64url values of exact lengths, the
// ids and keys, and encrypted objects whose ciphertext is a padding bucket plus the tag. The
// server validates requests with them; domain/api.ts builds the API's request schemas from them.
import { z } from 'zod';
import { fromB64u, isPaddedCiphertextLength, PARAMS } from '../crypto/index.js';

/** Base64url without padding that decodes (canonically) to exactly `bytes` bytes. */
export const b64u = (bytes: number, what: string) =>
  z.string().max(Math.ceil((bytes * 4) / 3)).refine((s) => {
    try {
      fromB64u(s, bytes);
      return true;
    } catch {
      return false;
    }
  }, `${what} must be ${bytes} bytes of base64url without padding`);

/** Decoded length of a canonical base64url string, or -1 when it is not one. */
export function b64uLength(s: string): number {
  try {
    return fromB64u(s).length;
  } catch {
    return -1;
  }
}

export const id16 = b64u(PARAMS.idBytes, 'id');
export const keyId = b64u(PARAMS.keyIdBytes, 'keyId');
export const publicKey = b64u(32, 'public key');
export const sealedKey = b64u(PARAMS.sealedKeyBytes, 'sealed key');

/**
 * An encrypted object `{nonce, ciphertext}`. The ciphertext must be a padding bucket plus the tag
 * (so the server learns only the bucket) and at most `maxBucket` bytes of padded plaintext.
 */
export const sealedObject = (maxBucket: number) =>
  z.object({
    nonce: b64u(PARAMS.nonceBytes, 'nonce'),
    ciphertext: z.string().max(Math.ceil(((maxBucket + PARAMS.tagBytes) * 4) / 3)).refine(
      (s) => isPaddedCiphertextLength(b64uLength(s)),
      'ciphertext must be base64url of a padding bucket (a power of two, at least 512 bytes) plus the 16-byte tag',
    ),
  }).strict();

export type SealedObject = z.infer<ReturnType<typeof sealedObject>>;

/** Largest padded plaintexts accepted: 1 MiB for a report, 64 KiB for a message or note, 4 KiB for metadata. */
export const MAX_BUCKET = { report: 1 << 20, message: 1 << 16, note: 1 << 16, attachmentMeta: 1 << 12 } as const;
