// Report keys, internal keys, sealed boxes and key ids (PROTOCOL.md §2).
import { checkLength, fromB64u, toB64u } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

export interface BoxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** A new 32-byte report key K (or internal key Ki: same shape, other recipients). */
export const generateReportKey = (): Uint8Array => s.crypto_aead_xchacha20poly1305_ietf_keygen();

export function generateBoxKeyPair(): BoxKeyPair {
  const pair = s.crypto_box_keypair();
  return { publicKey: pair.publicKey, secretKey: pair.privateKey };
}

/** `base64url(BLAKE2b-128(publicKey))`: names a recipient without repeating the key. */
export function keyIdOf(publicKey: Uint8Array): string {
  return toB64u(s.crypto_generichash(PARAMS.keyIdBytes, checkLength(publicKey, 32, 'public key')));
}

/** Seals a 32-byte key to an X25519 public key; the result is 80 bytes, as b64u. */
export function sealKey(key: Uint8Array, publicKey: Uint8Array): string {
  checkLength(key, PARAMS.keyBytes, 'key');
  checkLength(publicKey, 32, 'public key');
  return toB64u(s.crypto_box_seal(key, publicKey));
}

/** Opens a sealed key; a wrong recipient or a tampered box throws SBX_DECRYPT_FAILED. */
export function openSealedKey(sealed: string, pair: BoxKeyPair): Uint8Array {
  const box = fromB64u(sealed, PARAMS.sealedKeyBytes, 'sealed key');
  checkLength(pair.publicKey, 32, 'public key');
  checkLength(pair.secretKey, 32, 'secret key');
  try {
    return s.crypto_box_seal_open(box, pair.publicKey, pair.secretKey);
  } catch {
    throw new SealboxCryptoError('SBX_DECRYPT_FAILED', 'sealed key cannot be opened with this key pair');
  }
}

/** The public key of an X25519 secret key (used to rebuild a pair from a key bundle). */
export const boxPublicKeyOf = (secretKey: Uint8Array): Uint8Array =>
  s.crypto_scalarmult_base(checkLength(secretKey, 32, 'secret key'));
