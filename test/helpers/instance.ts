// Test instances: a fresh data folder, services on a movable clock, users made as the CLI makes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  deriveUserKeys, generateUserSecrets, keyIdOf, newKdfParams, PARAMS, entryHash, parseRecoverySecret, ready, rootKeysOf, sealKeyBundle, signEntry, toB64u, utf8,
  type KdfParams, type RosterMember, type UserKeys, type UserSecrets,
} from '../../crypto/index.js';
import { appendRosterEntry, rosterState } from '../../server/roster.js';
import { s } from '../../crypto/sodium.js';
import type { Role } from '../../db/schema.js';
import { buildApp, type AppKind } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { initInstance } from '../../server/init.js';
import { createServices, type Services } from '../../server/services.js';
import type { Clock } from '../../server/time.js';
import { newTotpSecret } from '../../server/totp.js';
import { createUser } from '../../server/users.js';

export class TestClock implements Clock {
  constructor(public t = new Date('2026-11-28T16:05:00.000Z').getTime()) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Collects log lines in memory, to check what the server logs. */
export class LogCapture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface TestInstance {
  dir: string;
  services: Services;
  clock: TestClock;
  log: LogCapture;
  recoverySecret: string;
  app(kind: AppKind): ReturnType<typeof buildApp>;
  close(): void;
}

export async function makeInstance(overrides: Partial<Config> = {}, options: { recoveryKey?: boolean } = {}): Promise<TestInstance> {
  await ready;
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-test-'));
  const clock = new TestClock();
  const init = initInstance(dir, { recoveryKey: options.recoveryKey ?? true, clock });
  const config = loadConfig({ SEALBOX_DATA_DIR: dir, SEALBOX_POW_BITS: '4', SEALBOX_LOG_LEVEL: 'info' }, overrides);
  const services = createServices(config, clock);
  if (init.recoverySecret) recoverySecrets.set(services, init.recoverySecret);
  const log = new LogCapture();
  const apps: Awaited<ReturnType<typeof buildApp>>[] = [];
  return {
    dir, services, clock, log, recoverySecret: init.recoverySecret ?? '',
    app: async (kind) => {
      const app = await buildApp(kind, services, { logStream: log });
      apps.push(app);
      return app;
    },
    close: () => {
      for (const a of apps) void a.close();
      services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The recovery secret of each test instance's services, so that addUser can approve users with the root. */
const recoverySecrets = new WeakMap<Services, string>();

/**
 * Signs `userId` into `channelId`'s roster with the instance's root key (what `sealbox roster
 * approve` does): an `add`, or a `rekey` when the roster already has them there with other keys.
 */
export function approveWithRoot(services: Services, userId: string, channelId: string, recoverySecret = recoverySecrets.get(services)): void {
  if (!recoverySecret) throw new Error('this instance has no recovery secret the test knows: approve through a member instead');
  const user = services.repos.users.byId(userId)!;
  const member: RosterMember = { userId, label: user.username, boxPublicKey: toB64u(user.boxPublicKey), signPublicKey: toB64u(user.signPublicKey) };
  const state = rosterState(services);
  const entries = services.repos.roster.entries();
  const pair = parseRecoverySecret(recoverySecret);
  const root = rootKeysOf(pair.secretKey);
  const present = state?.channels.get(channelId)?.has(userId) ?? false;
  const item = signEntry({
    v: 1, seq: entries.length, prev: toB64u(entryHash(entries.at(-1)!)), at: services.clock.now().toISOString(), by: keyIdOf(root.publicKey),
    op: present ? 'rekey' : 'add', channel: channelId, member,
  }, root.secretKey);
  appendRosterEntry(services, item, 'system');
}

/** Lets addUser approve users on services a test built itself over an instance it initialised (with `initInstance`'s secret). */
export function knowRecoverySecret<S extends Services>(services: S, recoverySecret: string | undefined): S {
  if (recoverySecret) recoverySecrets.set(services, recoverySecret);
  return services;
}

/**
 * What an approval by a colleague would do, for users tests make directly: the root signs `userId`
 * into each of `channels` when the test knows the instance's recovery secret (otherwise, as on an
 * instance whose setup has not run, nobody can approve them and they stay awaiting approval).
 */
export function approveKnown(services: Services, userId: string, channels: readonly string[]): void {
  if (!recoverySecrets.has(services)) return;
  for (const channelId of channels) approveWithRoot(services, userId, channelId);
}

export interface TestUser {
  id: string;
  username: string;
  passphrase: string;
  totpSecret: string;
  secrets: UserSecrets;
  keyId: string;
  /** The derived auth and wrap keys, so that tests can log in without running Argon2id again. */
  keys: UserKeys;
}

/**
 * How a test user's keys are derived from the passphrase. 'real': Argon2id at the protocol's
 * parameters (3 passes over 64 MiB, about a second of CPU), the only kind that can sign in with
 * the passphrase through code that derives the keys itself (Vault.login, the console page, the
 * CLI, deriveUserKeys), since all of them refuse parameters below the protocol's. 'cheap':
 * Argon2id at libsodium's floor, for the many users that sign in by their derived auth key
 * (`keys.authKey`, as console-fixtures' signIn does) or never sign in at all.
 */
export type TestKdf = 'real' | 'cheap';

/** libsodium's floor for Argon2id (crypto_pwhash_OPSLIMIT_MIN and crypto_pwhash_MEMLIMIT_MIN): 1 pass over 8 KiB. */
export const CHEAP_KDF = Object.freeze({ opslimit: 1, memlimit: 8192 });

/**
 * deriveUserKeys at CHEAP_KDF, which deriveUserKeys itself rightly refuses (a server must not be
 * able to downgrade the KDF): the same Argon2id and the same subkeys, from the same crypto layer.
 */
export function cheapUserKeys(passphrase: string, salt: Uint8Array): UserKeys {
  const master = s.crypto_pwhash_argon2id(32, utf8(passphrase), salt, CHEAP_KDF.opslimit, CHEAP_KDF.memlimit);
  const keys = {
    authKey: s.crypto_kdf_derive_from_key(32, 1, PARAMS.userKdfContext, master),
    wrapKey: s.crypto_kdf_derive_from_key(32, 2, PARAMS.userKdfContext, master),
  };
  s.memzero(master);
  return keys;
}

/** A new salt and the keys of `passphrase` under it; `params` (what the server gets) are always the protocol's. */
export function testUserKeys(passphrase: string, kdf: TestKdf): { params: KdfParams; keys: UserKeys } {
  const params = newKdfParams();
  return { params, keys: kdf === 'real' ? deriveUserKeys(passphrase, params) : cheapUserKeys(passphrase, params.salt) };
}

/**
 * The test user as given, except that a 'cheap' user's passphrase cannot be read: it would not sign
 * in through code that derives the keys itself, so the test fails here, saying what to do (`fix`),
 * and not later with a wrong passphrase.
 */
export function testUser(user: TestUser, kdf: TestKdf, fix: string): TestUser {
  if (kdf === 'real') return user;
  return Object.defineProperty(user, 'passphrase', {
    enumerable: false,
    get: () => {
      throw new Error(`${user.username} was made with cheap Argon2id parameters, so the passphrase does not sign in; a test that signs in with it needs ${fix}`);
    },
  });
}

export interface AddUserOptions {
  /** 'cheap' unless the test signs in with the passphrase (see TestKdf). */
  kdf?: TestKdf;
  /**
   * Whether the root signs the user into the roster of each of their channels (default true, as
   * an approval would): false for tests of what an unapproved account receives (nothing).
   */
  approved?: boolean;
  passphrase?: string;
}

/**
 * Makes a user as the CLI makes one: real box and signing keys, an auth key and a key bundle from
 * the passphrase. The server stores the protocol's KDF parameters either way (it refuses lower
 * ones); a 'cheap' user's keys come from CHEAP_KDF instead, so such a user signs in by
 * `keys.authKey` only (see testUser).
 */
export function addUser(services: Services, username: string, roles: Role[], channels: string[], options: AddUserOptions = {}): TestUser {
  const kdf = options.kdf ?? 'cheap';
  const passphrase = options.passphrase ?? `passphrase of ${username} 123`;
  const { params, keys } = testUserKeys(passphrase, kdf);
  const secrets = generateUserSecrets();
  const totpSecret = newTotpSecret();
  const user = createUser(services, {
    username, roles, channels,
    salt: toB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit,
    authKey: toB64u(keys.authKey),
    boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
    keyBundle: sealKeyBundle(keys.wrapKey, username, secrets),
    totpSecret,
  });
  if (options.approved ?? true) approveKnown(services, user.id, channels);
  return testUser({ id: user.id, username, passphrase, totpSecret, secrets, keyId: keyIdOf(secrets.box.publicKey), keys }, kdf, "addUser(..., { kdf: 'real' })");
}
