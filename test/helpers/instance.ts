// Test instances: a fresh data folder, services on a movable clock, users made as the CLI makes them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  deriveUserKeys, generateUserSecrets, keyIdOf, newKdfParams, ready, sealKeyBundle, toB64u, type UserKeys, type UserSecrets,
} from '../../crypto/index.js';
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

/** Makes a user with real keys (Argon2id at the protocol parameters). */
export function addUser(services: Services, username: string, roles: Role[], channels: string[], passphrase = `passphrase of ${username} 123`): TestUser {
  const params = newKdfParams();
  const keys = deriveUserKeys(passphrase, params);
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
  return { id: user.id, username, passphrase, totpSecret, secrets, keyId: keyIdOf(secrets.box.publicKey), keys };
}
