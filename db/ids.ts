// Random identifiers for rows the server creates (users, messages, notes).

import { randomBytes } from 'node:crypto';

/** base64url (no padding) of 16 random bytes: 128 bits, so ids can be neither guessed nor enumerated. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}
