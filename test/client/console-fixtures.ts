// For the console's Node tests: a console app on a real port with a cookie-keeping fetch (the
// browser's role), reporters that submit and upload files, and members made without Argon2id.
import { readFileSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { generateUserSecrets, PARAMS, randomBytes, sealKeyBundle, toB64u, type UserSecrets } from '../../crypto/index.js';
import type { Http } from '../../client/console/api.js';
import { Vault } from '../../client/console/worker/vault.js';
import type { Role } from '../../db/schema.js';
import { newTotpSecret, totpCode } from '../../server/totp.js';
import { createUser } from '../../server/users.js';
import { makeInstance, type TestInstance, type TestUser, approveKnown } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';

export interface NodeConsole {
  inst: TestInstance;
  app: FastifyInstance;
  reporterApp: FastifyInstance;
  base: string;
}

export async function nodeConsole(t: Test, options: { recoveryKey?: boolean } = {}): Promise<NodeConsole> {
  const inst = await makeInstance({}, { recoveryKey: options.recoveryKey ?? true });
  const app = await inst.app('console');
  const reporterApp = await inst.app('reporter');
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  t.teardown(async () => {
    await app.close();
    inst.close();
  });
  return { inst, app, reporterApp, base };
}

/** The next TOTP code of `secret`: the clock moves on a step first, since a code is accepted once. */
export function nextCode(inst: { clock: { advance(ms: number): void; now(): Date } }, secret: string): string {
  inst.clock.advance(30_000);
  return totpCode(secret, inst.clock.now());
}

/** A console worker signed in as `user` (with the passphrase: a user made with `kdf: 'real'`). */
export async function vaultOf(world: NodeConsole, user: TestUser, http: Http = cookieHttp(world.base)): Promise<Vault> {
  const vault = new Vault(http);
  await vault.login(user.username, user.passphrase, nextCode(world.inst, user.totpSecret));
  return vault;
}

/** A session cookie for `user`, signed in by their derived auth key (no Argon2id). */
export async function cookieOf(world: NodeConsole, user: TestUser): Promise<string> {
  const res = await world.app.inject({
    method: 'POST', url: '/api/auth/login',
    payload: { username: user.username, authKey: toB64u(user.keys.authKey), totp: nextCode(world.inst, user.totpSecret) },
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  return String(res.headers['set-cookie']).split(';')[0]!;
}

/** A fetch that keeps the session cookie, as a browser tab does; `requests` records what was sent. */
export function cookieHttp(base: string): Http & { requests: Array<{ method: string; url: string; body: string }>; cookie: string } {
  const state = { cookie: '', requests: [] as Array<{ method: string; url: string; body: string }> };
  const http = {
    base,
    get requests() {
      return state.requests;
    },
    get cookie() {
      return state.cookie;
    },
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (state.cookie) headers.set('cookie', state.cookie);
      state.requests.push({ method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : '' });
      // Node's fetch has no cookie jar and rejects the browser-only options the console sets.
      const { credentials: _c, referrerPolicy: _r, ...rest } = init ?? {};
      const res = await fetch(input, { ...rest, headers });
      const set = res.headers.getSetCookie().find((c) => c.startsWith('sbx_session='));
      if (set) {
        const value = set.split(';')[0]!;
        state.cookie = value === 'sbx_session=' ? '' : value;
      }
      return res;
    }) as typeof fetch,
  };
  return http;
}

/** A member with real box keys and no passphrase (no Argon2id): receives keys, never signs in here. */
export function quietMember(inst: TestInstance, username: string, roles: Role[], channels: string[]): { id: string; keyId: string; secrets: UserSecrets } {
  const secrets = generateUserSecrets();
  const user = createUser(inst.services, {
    username, roles, channels, salt: toB64u(randomBytes(16)), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit,
    authKey: toB64u(randomBytes(32)), boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
    keyBundle: sealKeyBundle(randomBytes(32), username, secrets), totpSecret: newTotpSecret(),
  });
  approveKnown(inst.services, user.id, channels);
  return { id: user.id, keyId: user.keyId, secrets };
}

export async function submitWith(reporterApp: FastifyInstance, channel: string, answers: Record<string, unknown>): Promise<TestReporter> {
  const reporter = new TestReporter(reporterApp);
  const res = await reporter.submit(channel, answers);
  if (res.statusCode !== 201) throw new Error(`the report was refused: ${res.body}`);
  return reporter;
}

/** Declares and uploads a whole file as the reporting page would; returns its attachment id. */
export async function attach(reporterApp: FastifyInstance, reporter: TestReporter, name: string, type: string, data: Uint8Array): Promise<string> {
  const d = await reporter.declareAttachment(name, type, data);
  if (d.res.statusCode !== 201) throw new Error(`declaration refused: ${d.res.body}`);
  const res = await reporterApp.inject({
    method: 'PUT', url: `/api/followup/attachments/${d.attachmentId}`,
    headers: { ...reporter.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(d.stream),
  });
  if (res.statusCode !== 204) throw new Error(`upload refused: ${res.body}`);
  return d.attachmentId;
}

/** Flips one byte in the middle of a stored attachment stream: it no longer authenticates. */
export function damage(inst: TestInstance, attachmentId: string): void {
  const file = inst.services.blobs.path(attachmentId);
  const bytes = readFileSync(file);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
  writeFileSync(file, bytes);
}
