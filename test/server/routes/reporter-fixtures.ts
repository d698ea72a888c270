// Shared helpers for the reporter API tests: an instance with recipients, a submitted report, the
// error shape, and a fingerprint of everything the server keeps (database rows and blob files).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { Test } from 'tap';
import {
  generateBoxKeyPair, generateUserSecrets, PARAMS, randomBytes, sealKeyBundle, toB64u, type BoxKeyPair,
} from '../../../crypto/index.js';
import type { Config } from '../../../server/config.js';
import type { Services } from '../../../server/services.js';
import { newTotpSecret } from '../../../server/totp.js';
import { createUser } from '../../../server/users.js';
import { makeInstance, type TestInstance, approveKnown } from '../../helpers/instance.js';
import { TestReporter, type Injector } from '../../helpers/reporter.js';

/** A response, from `inject` or from the TestReporter helper. */
export type Res = Awaited<ReturnType<Injector['inject']>>;

type App = Awaited<ReturnType<TestInstance['app']>>;

export interface Reviewer {
  id: string;
  username: string;
  keyId: string;
  box: BoxKeyPair;
}

/**
 * A channel member with a real box key pair but without Argon2id: the reporter API never sees the
 * passphrase side, so the slow derivation (test/helpers/instance.ts addUser) buys nothing here.
 */
export function addReviewer(services: Services, username: string, channels: string[]): Reviewer {
  const secrets = generateUserSecrets();
  const user = createUser(services, {
    username, roles: ['reviewer'], channels,
    salt: toB64u(randomBytes(16)), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit,
    authKey: toB64u(randomBytes(32)),
    boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
    keyBundle: sealKeyBundle(randomBytes(32), username, secrets),
    totpSecret: newTotpSecret(),
  });
  approveKnown(services, user.id, channels);
  return { id: user.id, username, keyId: user.keyId, box: secrets.box };
}

export interface Setup {
  inst: TestInstance;
  app: App;
  services: Services;
  alice: Reviewer;
  bob: Reviewer;
}

/** A fresh instance (recovery key on unless asked) with two reviewers on both default channels. */
export async function setup(t: Test, overrides: Partial<Config> = {}, options: { recoveryKey?: boolean } = {}): Promise<Setup> {
  const inst = await makeInstance(overrides, options);
  t.teardown(() => inst.close());
  const app = await inst.app('reporter');
  const alice = addReviewer(inst.services, 'alice', ['staff', 'public']);
  const bob = addReviewer(inst.services, 'bob', ['staff', 'public']);
  return { inst, app, services: inst.services, alice, bob };
}

/** A reporter whose report is in, on `channel`. */
export async function submitted(t: Test, app: App, channel = 'staff', answers: Record<string, unknown> = { summary: 'x' }): Promise<TestReporter> {
  const r = new TestReporter(app);
  const res = await r.submit(channel, answers);
  t.equal(res.statusCode, 201, `submission on ${channel} is accepted`);
  return r;
}

/** Checks the protocol's error shape and code; returns the body. */
export function isError(t: Test, res: Res, status: number, code: string, what = `${status} ${code}`): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  try {
    body = res.json();
  } catch {
    t.fail(`${what}: the body is not JSON: ${res.body.slice(0, 200)}`);
    return body;
  }
  t.equal(res.statusCode, status, `${what}: status`);
  t.equal(body.code, code, `${what}: code (${String(body.message)})`);
  t.same(Object.keys(body).sort(), ['code', 'error', 'message', 'statusCode'], `${what}: the error shape`);
  t.equal(body.statusCode, status, `${what}: statusCode in the body`);
  t.type(body.error, 'string');
  t.type(body.message, 'string');
  return body;
}

const readers = new WeakMap<object, [string, Statement][]>();
/** One prepared `SELECT *` per table of this database (tables are fixed by the migrations). */
function tableReaders(services: Services): [string, Statement][] {
  const { sqlite } = services.db;
  let found = readers.get(sqlite);
  if (!found) {
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    found = tables.map((name) => [name, sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).raw()]);
    readers.set(sqlite, found);
  }
  return found;
}

/** Everything the server keeps: every row of every table and every file under data/blobs. */
export function fingerprint(services: Services): string {
  const h = createHash('sha256');
  for (const [name, select] of tableReaders(services)) {
    h.update(`\u0001${name}`);
    for (const row of select.all() as unknown[][]) {
      // A type tag and a length before each value: no two different rows hash alike.
      let text = '';
      for (const v of row) {
        const str = Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
        text += `\u0002${Buffer.isBuffer(v) ? 'b' : typeof v}${str.length}:${str}`;
      }
      h.update(text, 'utf8');
    }
  }
  // Empty files hold nothing (an upload refused at its first byte can leave one, as `append` opens it).
  for (const file of readdirSync(services.paths.blobs).sort()) {
    const bytes = readFileSync(join(services.paths.blobs, file));
    if (bytes.length > 0) h.update(`\u0004${file}${bytes.length}:`).update(bytes);
  }
  return h.digest('hex');
}

/** Row counts of the tables a reporter writes to, for readable failure messages. */
export function counts(services: Services): Record<string, number> {
  const out: Record<string, number> = {};
  for (const table of ['reports', 'report_keys', 'challenges', 'messages', 'attachments', 'audit_events']) {
    out[table] = (services.db.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  }
  out.blobs = readdirSync(services.paths.blobs).length;
  return out;
}

/** Runs `fn` and checks that the server kept nothing of it. */
export async function unchanged<T>(t: Test, services: Services, what: string, fn: () => Promise<T>): Promise<T> {
  const before = fingerprint(services);
  const beforeCounts = counts(services);
  const result = await fn();
  t.same(counts(services), beforeCounts, `${what}: row counts unchanged`);
  t.equal(fingerprint(services), before, `${what}: database and blobs unchanged`);
  return result;
}

/** A box key pair that is no recipient of anything. */
export const stranger = (): BoxKeyPair => generateBoxKeyPair();

export { TestReporter };
