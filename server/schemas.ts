// Zod building blocks shared by the routes: wire encodings, encrypted objects, the error body.
import { z } from 'zod';
import { HttpError } from './errors.js';

export {
  b64u, b64uLength, id16, keyId, MAX_BUCKET, publicKey, sealedKey, sealedObject, type SealedObject,
} from '../domain/wire.js';
import type { sealedObject } from '../domain/wire.js';

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
export function parseSealed<T extends ReturnType<typeof sealedObject>>(schema: T, value: unknown, what: string, limit: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const ct = (value as { ciphertext?: unknown } | null)?.ciphertext;
  if (typeof ct === 'string' && ct.length > schema.shape.ciphertext.maxLength!) {
    throw new HttpError(413, 'SBX_TOO_LARGE', `The ${what} is larger than ${limit}`);
  }
  const issue = parsed.error.issues[0]!;
  throw new HttpError(400, 'SBX_INVALID_REQUEST', `${[what, ...issue.path].join('.')}: ${issue.message}`);
}
