// Zod building blocks shared by the routes: wire encodings, encrypted objects, the error body.
import { z } from 'zod';
import { fromB64u, isPaddedCiphertextLength, PARAMS } from '../crypto/index.js';
import { HttpError } from './errors.js';

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

export const errorSchema = z.object({
  statusCode: z.number().int(),
  code: z.string(),
  error: z.string(),
  message: z.string(),
});

/** Response schemas for a set of error statuses, all of the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorSchema]));
}

/** Validates an encrypted object; a ciphertext over the size limit is 413, anything else 400. */
export function parseSealed(schema: ReturnType<typeof sealedObject>, value: unknown, what: string, limit: string): { nonce: string; ciphertext: string } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const ct = (value as { ciphertext?: unknown } | null)?.ciphertext;
  if (typeof ct === 'string' && ct.length > schema.shape.ciphertext.maxLength!) {
    throw new HttpError(413, 'SBX_TOO_LARGE', `The ${what} is larger than ${limit}`);
  }
  const issue = parsed.error.issues[0]!;
  throw new HttpError(400, 'SBX_INVALID_REQUEST', `${[what, ...issue.path].join('.')}: ${issue.message}`);
}
