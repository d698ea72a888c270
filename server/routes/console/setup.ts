// One-time links: the first administrator's setup link, invitations and key resets. The browser
// makes the user's keys and enrols a TOTP device; the server stores the public half, the encrypted
// key bundle and the auth verifier, uses the link up atomically, and signs the user in.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromB64u, keyIdOf, PARAMS, randomBytes, toB64u, verifyRoster, type SignedEntry } from '../../../crypto/index.js';
import type { OneTimeToken, Role, TokenKind, User } from '../../../db/schema.js';
import { noticeAwaiting } from '../../approvals.js';
import { HttpError, invalid, notFound } from '../../errors.js';
import { RECOVERY_KEY_SETTING } from '../../../domain/settings.js';
import { recoveryKeyOf } from '../../recipients.js';
import { b64u, errorResponses, MAX_BUCKET, publicKey, sealedObject } from '../../schemas.js';
import type { Services } from '../../services.js';
import { addMs, iso } from '../../time.js';
import { isTotpSecret, verifyTotp } from '../../totp.js';
import { createUser, sealTotpSecret, USERNAME } from '../../users.js';
import { loginJson, loginResponse } from './schemas.js';
import { linkInfoOut } from '../../../domain/api.js';

export const SETUP_TTL_MS = 24 * 60 * 60 * 1000;
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** A reset link hands over an account: it lives a day, not a week. */
export const RESET_TTL_MS = 24 * 60 * 60 * 1000;

/** base64url of 32 bytes; anything else is not looked up at all. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface TokenInput {
  kind: TokenKind;
  role?: Role | null;
  channels?: string[] | null;
  username?: string | null;
  createdBy?: string | null;
}

/** Makes a link token (256 random bits); only its keyed hash is stored. */
export function newToken(services: Services, input: TokenInput, ttlMs: number): { token: string; expiresAt: string } {
  const token = toB64u(randomBytes(32));
  const now = services.clock.now();
  const expiresAt = iso(addMs(now, ttlMs));
  services.repos.oneTimeTokens.create({
    tokenHash: services.keys.lookupHash(token),
    kind: input.kind,
    role: input.role ?? null,
    channels: input.channels ?? null,
    username: input.username ?? null,
    createdBy: input.createdBy ?? null,
    createdAt: iso(now),
    expiresAt,
  });
  return { token, expiresAt };
}

/** A setup link for the first administrator, or undefined once the instance has a user. */
export function createSetupToken(services: Services, ttlMs = SETUP_TTL_MS): string | undefined {
  if (services.repos.users.count() > 0) return undefined;
  const { token, expiresAt } = newToken(services, { kind: 'setup', role: 'admin' }, ttlMs);
  services.audit({ actor: 'system', action: 'setup.link_issued', details: { expiresAt } });
  return token;
}

const tokenInvalid = () => notFound('SBX_TOKEN_INVALID', 'This link is not valid: it is unknown, used or expired');

interface LiveToken {
  token: OneTimeToken;
  hash: Buffer;
  /** The account a reset link is for. */
  user?: User;
  roles: Role[];
  channels: string[];
}

/** The token if it can still be used; unknown, used, expired and stale links are alike. */
function liveToken(services: Services, token: string): LiveToken | undefined {
  const { repos } = services;
  if (!TOKEN.test(token)) return undefined;
  const hash = services.keys.lookupHash(token);
  const row = repos.oneTimeTokens.get(hash);
  if (!row || row.usedAt !== null || row.expiresAt <= iso(services.clock.now())) return undefined;
  if (row.kind === 'setup') {
    // An old setup link printed before the first administrator existed must not make a second one.
    if (repos.users.count() > 0) return undefined;
    return { token: row, hash, roles: ['admin'], channels: repos.channels.list().map((c) => c.id) };
  }
  if (row.kind === 'reset') {
    const user = row.username === null ? undefined : repos.users.byUsername(row.username);
    if (!user || user.disabled) return undefined;
    return { token: row, hash, user, roles: user.roles, channels: repos.channels.channelIdsOf(user.id) };
  }
  // An invitation names its role and channels; a row without them (not made by newToken) is unusable.
  if (!row.role || !row.channels) return undefined;
  return { token: row, hash, roles: [row.role], channels: row.channels };
}

const completeBody = z.object({
  token: z.string().max(100),
  username: z.string().regex(USERNAME, 'username: 2–63 of a–z, 0–9, ".", "_" or "-", starting with a letter or digit'),
  salt: b64u(PARAMS.saltBytes, 'salt'),
  // Upper bounds keep a console from being handed parameters no browser can run.
  opslimit: z.number().int().min(PARAMS.opslimit).max(64),
  memlimit: z.number().int().min(PARAMS.memlimit).max(1 << 30),
  authKey: b64u(32, 'authKey'),
  boxPublicKey: publicKey,
  signPublicKey: publicKey,
  keyBundle: sealedObject(MAX_BUCKET.attachmentMeta),
  totpSecret: z.string().refine(isTotpSecret, 'totpSecret must be 32 base32 characters (20 bytes)'),
  totpCode: z.string().regex(/^\d{6}$/, 'totpCode must be 6 digits'),
  recoveryPublicKey: publicKey.optional(),
  /** With recoveryPublicKey: the roster's root entry, signed in the browser by the root key derived from the new recovery secret. */
  rosterRoot: z.object({ entry: z.record(z.string(), z.unknown()), sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/) }).strict().optional(),
}).strict();

export async function setupRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;

  app.get('/api/setup/:token', {
    schema: {
      summary: 'What a setup, invitation or reset link is for',
      params: z.object({ token: z.string().max(100) }).strict(),
      response: {
        200: linkInfoOut,
        ...errorResponses(400, 404),
      },
    },
  }, async (request) => {
    const live = liveToken(services, request.params.token);
    if (!live) throw tokenInvalid();
    const username = live.user?.username ?? live.token.username;
    return {
      kind: live.token.kind,
      // The first role: every link and every user has at least one.
      role: live.roles[0]!,
      roles: live.roles,
      channels: live.channels,
      ...(username ? { username } : {}),
      needsRecoveryKey: live.token.kind === 'setup' && !recoveryKeyOf(services),
    };
  });

  app.post('/api/setup/complete', {
    bodyLimit: 16 * 1024,
    schema: {
      summary: 'Enrol through a link: the new keys, KDF parameters, auth key and a TOTP code proving the device; signs in',
      body: completeBody,
      response: { 201: loginResponse, ...errorResponses(400, 403, 404, 409, 413, 415, 429) },
    },
  }, async (request, reply) => {
    services.limits.logins.take();
    const body = request.body;
    const live = liveToken(services, body.token);
    if (!live) throw tokenInvalid();
    const { token } = live;
    const now = clock.now();
    // Proves the authenticator holds the secret before the account depends on it.
    const step = verifyTotp(body.totpSecret, body.totpCode, now, null);
    if (step === undefined) throw new HttpError(400, 'SBX_TOTP_INVALID', 'The code does not match the authenticator; check the device\'s clock and try the next code');
    const bound = live.user?.username ?? token.username;
    // The key bundle's associated data names the user, so a reset keeps the name; an invitation may fix it.
    if (bound && bound !== body.username) throw invalid(`This link is for the username "${bound}"`);
    const hasRecovery = recoveryKeyOf(services) !== undefined;
    if (token.kind === 'setup' && !hasRecovery && !body.recoveryPublicKey) throw invalid('The first administrator sets the recovery key: send recoveryPublicKey');
    // Only the first administrator sets it: whoever holds the recovery secret can read every report.
    if (body.recoveryPublicKey && (token.kind !== 'setup' || hasRecovery)) throw invalid('The recovery key is already set, or is not set through this link');
    const rosterRoot = body.rosterRoot as SignedEntry | undefined;
    if (rosterRoot) {
      // The root entry must verify and name this recovery key: the root is derived from its secret.
      const checked = verifyRoster([rosterRoot]);
      if (!body.recoveryPublicKey || !checked.ok || toB64u(checked.state.recoveryBoxPublicKey) !== body.recoveryPublicKey) {
        throw invalid('rosterRoot must be the roster\'s root entry for recoveryPublicKey');
      }
    }

    const enrolment = {
      username: body.username, roles: live.roles, channels: live.channels,
      salt: body.salt, opslimit: body.opslimit, memlimit: body.memlimit, authKey: body.authKey,
      boxPublicKey: body.boxPublicKey, signPublicKey: body.signPublicKey, keyBundle: body.keyBundle, totpSecret: body.totpSecret,
    };
    const user = services.db.transaction(() => {
      // Atomic: a link opened twice at once enrols once. A failure below rolls the use back.
      if (!repos.oneTimeTokens.consume(live.hash, iso(now))) throw tokenInvalid();
      let user: User;
      if (live.user) {
        user = resetKeys(services, live.user, enrolment);
        services.audit({ actor: `user:${user.id}`, action: 'user.reset', target: user.id, details: { resetBy: token.createdBy } });
      } else {
        if (token.kind === 'setup' && repos.users.count() > 0) throw tokenInvalid();
        user = createUser(services, enrolment);
        services.audit({
          actor: `user:${user.id}`, action: 'user.create', target: user.id,
          details: { via: token.kind, username: user.username, roles: live.roles, channels: live.channels, invitedBy: token.createdBy },
        });
      }
      repos.users.acceptTotpStep(user.id, step);
      if (body.recoveryPublicKey) {
        repos.settings.set(RECOVERY_KEY_SETTING, body.recoveryPublicKey);
        services.audit({ actor: `user:${user.id}`, action: 'settings.recovery_key', details: { keyId: keyIdOf(fromB64u(body.recoveryPublicKey)) } });
        if (rosterRoot && repos.roster.entries().length === 0 && repos.roster.append(rosterRoot)) {
          services.audit({ actor: `user:${user.id}`, action: 'roster.append', details: { seq: 0, op: 'root' } });
        }
      }
      services.audit({ actor: `user:${user.id}`, action: 'auth.login', target: user.id, details: { via: token.kind } });
      return repos.users.byId(user.id)!;
    });
    // New keys (an invitation, a reset) await approval in each of the user's channels.
    noticeAwaiting(services, repos.channels.channelIdsOf(user.id).map((channelId) => ({ userId: user.id, channelId })));
    app.startSession(request, reply, user);
    return reply.code(201).send(loginJson(services, user));
  });
}

/** Replaces a user's keys, KDF parameters, auth verifier and TOTP; id, name, roles and channels stay. */
function resetKeys(services: Services, user: User, e: { salt: string; opslimit: number; memlimit: number; authKey: string; boxPublicKey: string; signPublicKey: string; keyBundle: { nonce: string; ciphertext: string }; totpSecret: string }): User {
  const boxPublicKey = fromB64u(e.boxPublicKey, 32);
  const totp = sealTotpSecret(services, user.username, e.totpSecret);
  const updated = services.repos.users.update(user.id, {
    salt: Buffer.from(fromB64u(e.salt, 16)),
    opslimit: e.opslimit,
    memlimit: e.memlimit,
    authVerifier: services.keys.authVerifier(fromB64u(e.authKey, 32)),
    boxPublicKey: Buffer.from(boxPublicKey),
    signPublicKey: Buffer.from(fromB64u(e.signPublicKey, 32)),
    keyId: keyIdOf(boxPublicKey),
    keyBundleNonce: Buffer.from(fromB64u(e.keyBundle.nonce, 24)),
    keyBundleCiphertext: Buffer.from(fromB64u(e.keyBundle.ciphertext)),
    totpSecretNonce: totp.nonce,
    totpSecretCiphertext: totp.ciphertext,
    lastTotpStep: null,
    failedLogins: 0,
    lockedUntil: null,
  })!;
  // Sessions opened with the old passphrase end: a reset often follows a suspected compromise.
  services.repos.sessions.deleteForUser(user.id);
  return updated;
}
