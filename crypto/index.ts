// The Sealbox protocol v1 (PROTOCOL.md) as pure functions over bytes. Await `ready` first.
export { ready } from './sodium.js';
export { PARAMS } from './params.js';
export * from './errors.js';
export { toB64u, fromB64u, utf8, fromUtf8, concatBytes, randomBytes } from './encoding.js';
export { bucketFor, isBucket, pad, unpad } from './padding.js';
export * from './receipt.js';
export * from './aead.js';
export * from './keys.js';
export * from './user-keys.js';
export * from './attachment-stream.js';
export * from './pow.js';
export * from './recovery.js';
export * from './sha256.js';
export * from './roster.js';
export * from './conversation.js';

import { randomBytes, toB64u } from './encoding.js';
import { PARAMS } from './params.js';
/** A new report or attachment id: b64u of 16 random bytes. */
export const newId = (): string => toB64u(randomBytes(PARAMS.idBytes));
