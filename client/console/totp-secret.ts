// TOTP enrolment in the browser: a 20-byte secret (RFC 4226's recommended length), written in
// RFC 4648 base32 as authenticator apps expect, and the otpauth:// URI the QR code carries.
import { base32Encode, RFC4648_BASE32 } from '../../crypto/base32.js';

/** RFC 4648 base32 without padding (20 bytes → 32 characters). */
export const base32 = (bytes: Uint8Array): string => base32Encode(bytes, RFC4648_BASE32);

/** A new secret from the browser's CSPRNG. */
export function newTotpSecret(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base32(random(new Uint8Array(20)));
}

/** The key URI format of Google Authenticator, which every common app reads. */
export function otpauthUri(username: string, secret: string, issuer = 'Sealbox'): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(username)}`;
  return `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}

/** The secret in groups of four, for typing it into an app by hand. */
export const groupSecret = (secret: string): string => secret.match(/.{1,4}/g)?.join(' ') ?? '';
