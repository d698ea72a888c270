// Reviewer keys (PROTOCOL.md §2): a passphrase becomes an auth key for the server and a wrap key
// that never leaves the client and opens the bundle holding the reviewer's secret keys.
import { ad, decryptJson, encryptJson, type Sealed } from './aead.js';
import { checkLength, fromB64u, randomBytes, toB64u, utf8 } from './encoding.js';
import { SealboxCryptoError } from './errors.js';
import { boxPublicKeyOf, type BoxKeyPair } from './keys.js';
import { PARAMS } from './params.js';
import { s } from './sodium.js';

export interface KdfParams {
  /** 16 random bytes per user. */
  salt: Uint8Array;
  opslimit: number;
  memlimit: number;
}

export interface UserKeys {
  /** Sent at login; the server keeps only HMAC(serverSecret, authKey). */
  authKey: Uint8Array;
  /** Never leaves the client: it opens the key bundle. */
  wrapKey: Uint8Array;
}

export const newKdfParams = (): KdfParams => ({
  salt: randomBytes(PARAMS.saltBytes),
  opslimit: PARAMS.opslimit,
  memlimit: PARAMS.memlimit,
});

/** Argon2id(passphrase) → master → (authKey, wrapKey). Slow on purpose: run it off the UI thread. */
export function deriveUserKeys(passphrase: string, params: KdfParams): UserKeys {
  checkLength(params.salt, PARAMS.saltBytes, 'salt');
  // Refusing weaker parameters keeps a hostile server from downgrading a reviewer's KDF.
  if (params.opslimit < PARAMS.opslimit || params.memlimit < PARAMS.memlimit) {
    throw new SealboxCryptoError('SBX_BAD_LENGTH', 'key derivation parameters are below the protocol minimum');
  }
  const pw = utf8(passphrase);
  const master = s.crypto_pwhash_argon2id(32, pw, params.salt, params.opslimit, params.memlimit);
  const keys = {
    authKey: s.crypto_kdf_derive_from_key(32, 1, PARAMS.userKdfContext, master),
    wrapKey: s.crypto_kdf_derive_from_key(32, 2, PARAMS.userKdfContext, master),
  };
  s.memzero(master);
  s.memzero(pw);
  return keys;
}

/** The secret half of a reviewer's identity, as it sits inside the key bundle. */
export interface UserSecrets {
  box: BoxKeyPair;
  /** Ed25519: 64-byte secret key, 32-byte public key. */
  sign: { publicKey: Uint8Array; secretKey: Uint8Array };
}

/** New random keys; `seeds` (32 bytes each) only for reproducible test vectors. */
export function generateUserSecrets(seeds?: { box: Uint8Array; sign: Uint8Array }): UserSecrets {
  const box = seeds ? s.crypto_box_seed_keypair(checkLength(seeds.box, 32, 'seed')) : s.crypto_box_keypair();
  const sign = seeds ? s.crypto_sign_seed_keypair(checkLength(seeds.sign, 32, 'seed')) : s.crypto_sign_keypair();
  return {
    box: { publicKey: box.publicKey, secretKey: box.privateKey },
    sign: { publicKey: sign.publicKey, secretKey: sign.privateKey },
  };
}

export function sealKeyBundle(wrapKey: Uint8Array, username: string, secrets: UserSecrets, nonce?: Uint8Array): Sealed {
  return encryptJson(wrapKey, ad.keyBundle(username), {
    v: 1,
    boxSecretKey: toB64u(secrets.box.secretKey),
    signSecretKey: toB64u(secrets.sign.secretKey),
  }, nonce);
}

/** Opens the bundle; a wrong passphrase (wrong wrapKey) or another user's bundle throws. */
export function openKeyBundle(wrapKey: Uint8Array, username: string, bundle: Sealed): UserSecrets {
  const value = decryptJson(wrapKey, ad.keyBundle(username), bundle);
  if (typeof value.boxSecretKey !== 'string' || typeof value.signSecretKey !== 'string') {
    throw new SealboxCryptoError('SBX_BAD_PLAINTEXT', 'key bundle lacks its keys');
  }
  const boxSecretKey = fromB64u(value.boxSecretKey, 32, 'box secret key');
  const signSecretKey = fromB64u(value.signSecretKey, 64, 'sign secret key');
  return {
    box: { publicKey: boxPublicKeyOf(boxSecretKey), secretKey: boxSecretKey },
    sign: { publicKey: s.crypto_sign_ed25519_sk_to_pk(signSecretKey), secretKey: signSecretKey },
  };
}
