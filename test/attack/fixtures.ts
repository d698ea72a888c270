// Shared by the attack tests: the routes an app really serves (read from Fastify's own route tree,
// so that a route added later is attacked too, or fails the test for want of an entry), console
// users who sign in without running Argon2id, and sessions in the states an attacker may hold.
import { approveKnown } from '../helpers/instance.js';
import type { FastifyInstance } from 'fastify';
import {
  generateUserSecrets, keyIdOf, PARAMS, randomBytes, sealKeyBundle, toB64u,
} from '../../crypto/index.js';
import type { Role } from '../../db/schema.js';
import type { Services } from '../../server/services.js';
import { iso } from '../../server/time.js';
import { newTotpSecret } from '../../server/totp.js';
import { createUser } from '../../server/users.js';
import type { TestUser } from '../helpers/instance.js';

export interface Route {
  method: string;
  /** The route pattern as registered, e.g. `/api/reports/:id`. */
  url: string;
}

export const routeKey = (r: Route): string => `${r.method} ${r.url}`;

/**
 * Every method and URL pattern the app serves, from `printRoutes` (the tree Fastify routes with),
 * HEAD routes included. Each printed node is a piece of path below its parent's.
 */
export function routesOf(app: FastifyInstance): Route[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const paths: string[] = [];
  const routes: Route[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z]+(?:, [A-Z]+)*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    paths.length = depth;
    const path = (paths[depth - 1] ?? '') + m[2]!;
    paths.push(path);
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url: path });
  }
  if (routes.length === 0) throw new Error(`no route found in Fastify's route tree:\n${tree}`);
  return routes.sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

/**
 * A console user with real box and signing keys whose auth key is random rather than derived
 * with Argon2id: it signs in through the real login (the server only checks the auth key's HMAC
 * and the TOTP code), at no KDF cost.
 */
export function fastUser(services: Services, username: string, roles: Role[], channels: string[]): TestUser {
  const secrets = generateUserSecrets();
  const keys = { authKey: randomBytes(32), wrapKey: randomBytes(32) };
  const totpSecret = newTotpSecret();
  const user = createUser(services, {
    username, roles, channels,
    salt: toB64u(randomBytes(PARAMS.saltBytes)), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit,
    authKey: toB64u(keys.authKey),
    boxPublicKey: toB64u(secrets.box.publicKey), signPublicKey: toB64u(secrets.sign.publicKey),
    keyBundle: sealKeyBundle(keys.wrapKey, username, secrets),
    totpSecret,
  });
  approveKnown(services, user.id, channels);
  return { id: user.id, username, passphrase: '', totpSecret, secrets, keyId: keyIdOf(secrets.box.publicKey), keys };
}

/**
 * A session row made directly, as `startSession` makes it, last seen `idleMs` ago: the states a
 * stolen or left-behind cookie can be in without going through the login again.
 */
export function rawSession(services: Services, userId: string, idleMs = 0): string {
  const id = toB64u(randomBytes(32));
  const at = iso(new Date(services.clock.now().getTime() - idleMs));
  services.repos.sessions.create({ idHash: services.keys.lookupHash(id), userId, createdAt: at, lastSeenAt: at });
  return `sbx_session=${id}`;
}
