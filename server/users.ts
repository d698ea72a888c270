// Creating console users from keys made on the user's side (browser or CLI): the server receives
// public keys, the encrypted key bundle and the auth key, which it keeps only as an HMAC.
import { fromB64u, keyIdOf, PARAMS, toB64u, encryptBytes, decryptBytes, utf8, fromUtf8 } from '../crypto/index.js';
import type { Role, User } from '../db/schema.js';
import { HttpError } from './errors.js';
import type { Services } from './services.js';

export interface Enrolment {
  username: string;
  roles: Role[];
  channels: string[];
  salt: string;
  opslimit: number;
  memlimit: number;
  authKey: string;
  boxPublicKey: string;
  signPublicKey: string;
  keyBundle: { nonce: string; ciphertext: string };
  totpSecret: string;
}

export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

const totpAd = (username: string) => `${PARAMS.prefix}server/totp/${username}`;

export function sealTotpSecret(services: Services, username: string, secret: string): { nonce: Buffer; ciphertext: Buffer } {
  const sealed = encryptBytes(services.keys.totpKey(), totpAd(username), utf8(secret));
  return { nonce: Buffer.from(fromB64u(sealed.nonce)), ciphertext: Buffer.from(fromB64u(sealed.ciphertext)) };
}

export function openTotpSecret(services: Services, user: Pick<User, 'username' | 'totpSecretNonce' | 'totpSecretCiphertext'>): string {
  return fromUtf8(decryptBytes(services.keys.totpKey(), totpAd(user.username), {
    nonce: toB64u(user.totpSecretNonce), ciphertext: toB64u(user.totpSecretCiphertext),
  }));
}

/** Stores a new user; refuses a taken username (409) and unknown channels (400). Audited by the caller. */
export function createUser(services: Services, e: Enrolment): User {
  const { repos } = services;
  if (!USERNAME.test(e.username)) throw new HttpError(400, 'SBX_INVALID_REQUEST', 'username: 2–63 of a–z, 0–9, ".", "_" or "-"');
  if (e.opslimit < PARAMS.opslimit || e.memlimit < PARAMS.memlimit) throw new HttpError(400, 'SBX_INVALID_REQUEST', 'key derivation parameters are below the minimum');
  for (const c of e.channels) if (!repos.channels.get(c)) throw new HttpError(400, 'SBX_INVALID_REQUEST', `no channel "${c}"`);
  if (repos.users.byUsername(e.username)) throw new HttpError(409, 'SBX_USERNAME_TAKEN', 'This username is taken');
  const boxPublicKey = fromB64u(e.boxPublicKey, 32, 'boxPublicKey');
  const totp = sealTotpSecret(services, e.username, e.totpSecret);
  return services.db.transaction(() => {
    const user = repos.users.create({
      username: e.username,
      roles: e.roles,
      salt: Buffer.from(fromB64u(e.salt, 16, 'salt')),
      opslimit: e.opslimit,
      memlimit: e.memlimit,
      authVerifier: services.keys.authVerifier(fromB64u(e.authKey, 32, 'authKey')),
      boxPublicKey: Buffer.from(boxPublicKey),
      signPublicKey: Buffer.from(fromB64u(e.signPublicKey, 32, 'signPublicKey')),
      keyId: keyIdOf(boxPublicKey),
      keyBundleNonce: Buffer.from(fromB64u(e.keyBundle.nonce, 24, 'keyBundle.nonce')),
      keyBundleCiphertext: Buffer.from(fromB64u(e.keyBundle.ciphertext, undefined, 'keyBundle.ciphertext')),
      totpSecretNonce: totp.nonce,
      totpSecretCiphertext: totp.ciphertext,
      createdAt: new Date(services.clock.now()).toISOString(),
    });
    repos.channels.setChannelsOf(user.id, e.channels);
    return user;
  });
}
