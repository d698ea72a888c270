// Zod schemas and small helpers shared by the console routes.
import { z } from 'zod';
import { toB64u } from '../../../crypto/index.js';
import { type User } from '../../../db/schema.js';
import { ROLES } from '../../../domain/vocabulary.js';
import { errorResponses } from '../../schemas.js';
import type { Services } from '../../services.js';

export { SEVERITIES } from '../../../domain/vocabulary.js';

/** Errors any signed-in read can answer: bad query, no session, wrong role. */
export const readErrors = (...more: number[]) => errorResponses(400, 401, 403, ...more);
/** Errors any signed-in change can answer: also a body too large and a refused content type. */
export const writeErrors = (...more: number[]) => errorResponses(400, 401, 403, 413, 415, ...more);

export { userId } from '../../../domain/api.js';
export const channelId = z.string().min(1).max(64);
export const role = z.enum(ROLES);

export { loginOut as loginResponse, sealedOut, userOut } from '../../../domain/api.js';

export const userJson = (services: Services, user: User) => ({
  id: user.id,
  username: user.username,
  roles: user.roles,
  channels: services.repos.channels.channelIdsOf(user.id),
});

export const loginJson = (services: Services, user: User) => ({
  user: userJson(services, user),
  keyBundle: { nonce: toB64u(user.keyBundleNonce), ciphertext: toB64u(user.keyBundleCiphertext) },
  boxPublicKey: toB64u(user.boxPublicKey),
});

/** Text per locale (`{"en": "…", "fr": "…"}`). */
export const localText = (max: number) =>
  z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale must look like "en" or "pt-BR"'), z.string().min(1).max(max))
    .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 20, 'give the text in 1 to 20 locales');

export const actor = (user: User) => `user:${user.id}`;

export { readsReports } from '../../../domain/vocabulary.js';
