// Shared helpers for the console API tests: an instance with both apps, signing in as a test user,
// requests with the session cookie, the error shape, and a fingerprint of what the server keeps.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import {
  generateUserSecrets, keyIdOf, PARAMS, randomBytes, sealKeyBundle, toB64u, type UserSecrets,
} from '../../../crypto/index.js';
import type { Role } from '../../../db/schema.js';
import type { Config } from '../../../server/config.js';
import type { Services } from '../../../server/services.js';
import { newTotpSecret, totpCode } from '../../../server/totp.js';
import { createUser } from '../../../server/users.js';
import { makeInstance, testUser, testUserKeys, type TestClock, type TestInstance, type TestKdf, type TestUser, approveKnown } from '../../helpers/instance.js';
import { TestReporter } from '../../helpers/reporter.js';

export interface ConsoleSetup {
  inst: TestInstance;
  app: FastifyInstance;
  reporterApp: FastifyInstance;
  services: Services;
  clock: TestClock;
}

export async function consoleSetup(t: Test, overrides: Partial<Config> = {}, options: { recoveryKey?: boolean } = {}): Promise<ConsoleSetup> {
  const inst = await makeInstance(overrides, options);
  t.teardown(() => inst.close());
  return { inst, app: await inst.app('console'), reporterApp: await inst.app('reporter'), services: inst.services, clock: inst.clock };
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A signed-in console user: requests carry the session cookie. */
export class ConsoleClient {
  constructor(readonly app: FastifyInstance, readonly cookie: string, readonly user: TestUser) {}

  get(url: string, headers: Record<string, string> = {}) {
    return this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie, ...headers } });
  }

  send(method: Method, url: string, payload: unknown = {}, headers: Record<string, string> = {}) {
    return this.app.inject({ method, url, headers: { cookie: this.cookie, ...headers }, payload: payload as Record<string, unknown> });
  }
}

/** The login body for `user` with a code for the clock's current time. */
export const loginBody = (user: TestUser, clock: TestClock, username = user.username) => ({
  username, authKey: toB64u(user.keys.authKey), totp: totpCode(user.totpSecret, clock.now()),
});

/**
 * Signs in; moves the clock to the next TOTP step first, since each code is accepted once. Throws
 * rather than asserting, so that files can sign in at the top level.
 */
export async function signIn(app: FastifyInstance, clock: TestClock, user: TestUser): Promise<ConsoleClient> {
  clock.advance(30_000);
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(user, clock) });
  if (res.statusCode !== 200) throw new Error(`${user.username} could not sign in: ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'sbx_session');
  return new ConsoleClient(app, `sbx_session=${cookie?.value ?? ''}`, user);
}

/**
 * What a browser sends to POST /api/setup/complete (without the token and the code), made as the
 * setup page makes it, and the test user it becomes once the server gives it an id. The body
 * carries the protocol's KDF parameters; the keys come from cheap ones unless `kdf` is 'real'
 * (test/helpers/instance.ts TestKdf): these users sign in by their auth key.
 */
export function newEnrolment(username: string, passphrase = `passphrase of ${username} 456`, kdf: TestKdf = 'cheap') {
  const { params, keys } = testUserKeys(passphrase, kdf);
  const secrets = generateUserSecrets();
  const totpSecret = newTotpSecret();
  const body = {
    username, salt: toB64u(params.salt), opslimit: params.opslimit, memlimit: params.memlimit,
    authKey: toB64u(keys.authKey), boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
    keyBundle: sealKeyBundle(keys.wrapKey, username, secrets), totpSecret,
  };
  const user = (id: string): TestUser => testUser({ id, username, passphrase, totpSecret, secrets, keyId: keyIdOf(secrets.box.publicKey), keys }, kdf, "newEnrolment(username, passphrase, 'real')");
  return { body, user };
}

/** A user with real box keys but a random auth key (no Argon2id): a member who never signs in here. */
export function quietUser(services: Services, username: string, roles: Role[], channels: string[]): { id: string; keyId: string; secrets: UserSecrets } {
  const secrets = generateUserSecrets();
  const user = createUser(services, {
    username, roles, channels, salt: toB64u(randomBytes(16)), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit,
    authKey: toB64u(randomBytes(32)), boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
    keyBundle: sealKeyBundle(randomBytes(32), username, secrets), totpSecret: newTotpSecret(),
  });
  approveKnown(services, user.id, channels);
  return { id: user.id, keyId: user.keyId, secrets };
}

/** A submitted report on `channel`; the reporter keeps the report key for checks. */
export async function submitReport(reporterApp: FastifyInstance, channel = 'staff'): Promise<TestReporter> {
  const reporter = new TestReporter(reporterApp);
  const res = await reporter.submit(channel, { category: 'BRIBERY', description: 'a payment was asked for' });
  if (res.statusCode !== 201) throw new Error(`the report was refused: ${res.body}`);
  return reporter;
}

// The protocol's error shape is the same on both apps: one check serves both.
export { isError } from './reporter-fixtures.js';

/** Every row of every table and every blob file: equal fingerprints mean nothing changed. */
export function fingerprint(services: Services, skip: readonly string[] = []): string {
  const h = createHash('sha256');
  const tables = services.db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  for (const { name } of tables) {
    if (skip.includes(name)) continue;
    h.update(`table ${name}\n`);
    for (const row of services.db.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw().all() as unknown[][]) {
      h.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)));
      h.update('\n');
    }
  }
  for (const file of readdirSync(services.paths.blobs).sort()) h.update(readFileSync(join(services.paths.blobs, file)));
  return h.digest('hex');
}

/**
 * Runs `fn` and checks that the server kept nothing of it. Session rows are left out: a refused
 * request may still have touched (kept alive) the session that sent it.
 */
export async function unchanged<T>(t: Test, services: Services, what: string, fn: () => Promise<T>): Promise<T> {
  const before = fingerprint(services, ['sessions']);
  const result = await fn();
  t.equal(fingerprint(services, ['sessions']), before, `${what}: nothing changed`);
  return result;
}

/** The audit events with `action`, oldest first. */
export function auditOf(services: Services, action: string) {
  return services.repos.audit.list({ action, limit: 1000 });
}

export { TestReporter };
