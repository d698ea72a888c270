// The data folder: database, server secret and encrypted blobs, and the keyed hashes made with the secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from '../crypto/index.js';

export interface DataPaths {
  dir: string;
  database: string;
  secret: string;
  blobs: string;
}

export function dataPaths(dir: string): DataPaths {
  return { dir, database: join(dir, 'sealbox.db'), secret: join(dir, 'server-secret'), blobs: join(dir, 'blobs') };
}

/** True when the folder already holds an instance (init must not touch it). */
export const isInitialised = (paths: DataPaths): boolean => existsSync(paths.secret) || existsSync(paths.database);

/** Creates the folder (0700), the 32-byte server secret (0600) and the blob folder. */
export function createDataFolder(paths: DataPaths): Buffer {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.blobs, { recursive: true, mode: 0o700 });
  const secret = Buffer.from(randomBytes(32));
  writeFileSync(paths.secret, secret, { mode: 0o600, flag: 'wx' });
  chmodSync(paths.secret, 0o600);
  // An empty file is an empty SQLite database; made here so that it (and the WAL and shared-memory
  // files SQLite creates with the same mode) is readable by the service's user only.
  writeFileSync(paths.database, '', { mode: 0o600, flag: 'wx' });
  chmodSync(paths.database, 0o600);
  return secret;
}

export function readServerSecret(paths: DataPaths): Buffer {
  const secret = readFileSync(paths.secret);
  if (secret.length !== 32) throw new Error(`${paths.secret} must hold exactly 32 bytes`);
  return secret;
}

/**
 * Keyed hashes with the server secret. A stolen database without the secret file cannot test a
 * receipt token or an auth key offline.
 */
export class ServerKeys {
  constructor(private readonly secret: Buffer) {}

  private hmac(data: Uint8Array | string): Buffer {
    return createHmac('sha256', this.secret).update(data).digest();
  }

  /** receiptTag = HMAC-SHA256(serverSecret, receiptToken): the only form in which a receipt is kept. */
  receiptTag(token: Uint8Array): Buffer {
    return this.hmac(token);
  }

  /** authVerifier = HMAC-SHA256(serverSecret, authKey). */
  authVerifier(authKey: Uint8Array): Buffer {
    return this.hmac(authKey);
  }

  /** Constant-time check of an auth key against a stored verifier. */
  checkAuthKey(authKey: Uint8Array, verifier: Uint8Array): boolean {
    const candidate = this.authVerifier(authKey);
    return verifier.length === candidate.length && timingSafeEqual(candidate, verifier);
  }

  /** A stable fake salt for unknown usernames, so /auth/params does not reveal who exists. */
  fakeSalt(username: string): Buffer {
    return this.hmac(`salt:${username}`).subarray(0, 16);
  }

  /** Key that encrypts TOTP secrets at rest (a database copy alone cannot mint codes). */
  totpKey(): Buffer {
    return this.hmac('sealbox/v1/server/totp-key');
  }

  /** Hashes for values that only need to be looked up (session ids, one-time tokens). */
  lookupHash(value: Uint8Array | string): Buffer {
    return this.hmac(typeof value === 'string' ? `lookup:${value}` : value);
  }
}
