// Signing in and out: KDF parameters, login with the auth key and a TOTP code, logout, and the
// signed-in user. Every login failure looks the same, whoever the username belongs to.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromB64u, PARAMS, toB64u, utf8 } from '../../../crypto/index.js';
import { HttpError, rateLimited } from '../../errors.js';
import { b64u, errorResponses } from '../../schemas.js';
import type { Services } from '../../services.js';
import { newTotpSecret, verifyTotp } from '../../totp.js';
import { openTotpSecret, sealTotpSecret } from '../../users.js';
import { LoginThrottle } from './login-throttle.js';
import { actor, loginJson, loginResponse, userJson, userOut } from './schemas.js';
import { signedIn } from './session.js';

const username = z.string().min(1).max(64);

export const badCredentials = () => new HttpError(401, 'SBX_BAD_CREDENTIALS', 'The username, passphrase or code is wrong');

export async function authRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, keys, clock } = services;
  const throttle = new LoginThrottle(services);
  const dummyVerifier = keys.authVerifier(utf8(`${PARAMS.prefix}server/no-such-user`));
  // A sealed TOTP secret that no user has: an unknown name decrypts and checks it as a real one
  // would, so that the response time does not tell whether the name exists.
  const dummy = sealTotpSecret(services, '-', newTotpSecret());
  const dummyTotp = { username: '-', totpSecretNonce: dummy.nonce, totpSecretCiphertext: dummy.ciphertext };

  app.post('/api/auth/params', {
    bodyLimit: 1024,
    schema: {
      summary: 'Key derivation parameters for a username (made up, but stable, for unknown names)',
      body: z.object({ username }).strict(),
      response: { 200: z.object({ salt: z.string(), opslimit: z.number().int(), memlimit: z.number().int() }), ...errorResponses(400, 403, 413, 415) },
    },
  }, async (request) => {
    const user = repos.users.byUsername(request.body.username);
    if (user) return { salt: toB64u(user.salt), opslimit: user.opslimit, memlimit: user.memlimit };
    return { salt: toB64u(keys.fakeSalt(request.body.username)), opslimit: PARAMS.opslimit, memlimit: PARAMS.memlimit };
  });

  app.post('/api/auth/login', {
    bodyLimit: 1024,
    schema: {
      summary: 'Sign in with the auth key derived from the passphrase and a TOTP code; sets the session cookie',
      body: z.object({
        username,
        authKey: b64u(32, 'authKey'),
        totp: z.string().regex(/^\d{6}$/, 'totp must be 6 digits'),
      }).strict(),
      response: { 200: loginResponse, ...errorResponses(400, 401, 403, 413, 415, 429) },
    },
  }, async (request, reply) => {
    services.limits.logins.take();
    const { username: name, authKey, totp } = request.body;
    const user = repos.users.byUsername(name);
    const wait = throttle.retryAfterMs(name, user);
    // Refused before the credentials are looked at: a guess made during the wait tells nothing.
    if (wait > 0) throw rateLimited(wait / 1000);

    const now = clock.now();
    // Both checks run whatever the outcome of the other, and for unknown names too, so that
    // neither the answer nor its timing tells which factor failed or whether the name exists.
    const keyOk = keys.checkAuthKey(fromB64u(authKey, 32), user?.authVerifier ?? dummyVerifier);
    const step = verifyTotp(openTotpSecret(services, user ?? dummyTotp), totp, now, user?.lastTotpStep ?? null);
    const ok = user !== undefined && keyOk && !user.disabled && step !== undefined && repos.users.acceptTotpStep(user.id, step);
    if (!ok) {
      // One commit (one fsync) whether or not the name exists: a second write for real users
      // only would let the response time tell them apart.
      services.db.transaction(() => {
        throttle.failed(name, user);
        services.audit({ actor: 'anonymous', action: 'auth.login_failed', target: name });
      });
      throw badCredentials();
    }
    services.db.transaction(() => {
      throttle.succeeded(user);
      app.startSession(request, reply, user);
      services.audit({ actor: actor(user), action: 'auth.login', target: user.id });
    });
    return loginJson(services, user);
  });

  app.post('/api/auth/logout', {
    bodyLimit: 1024,
    schema: {
      summary: 'End the session (send an empty JSON object); clears the cookie and the page\'s storage',
      body: z.object({}).strict(),
      response: { 204: z.null(), ...errorResponses(400, 403, 413, 415) },
    },
  }, async (request, reply) => {
    const userId = app.endSession(request, reply);
    if (userId) services.audit({ actor: `user:${userId}`, action: 'auth.logout', target: userId });
    reply.header('clear-site-data', '"cookies", "storage"');
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', {
    onRequest: app.requireUser(),
    schema: {
      summary: 'The signed-in user, their key and their channels',
      response: {
        200: z.object({
          user: userOut,
          keyId: z.string(),
          boxPublicKey: z.string(),
          channels: z.array(z.object({ id: z.string(), title: z.record(z.string(), z.string()) })),
        }),
        ...errorResponses(401),
      },
    },
  }, async (request) => {
    const { user, channelIds } = signedIn(request);
    return {
      user: userJson(services, user),
      keyId: user.keyId,
      boxPublicKey: toB64u(user.boxPublicKey),
      channels: repos.channels.list().filter((c) => channelIds.includes(c.id)).map((c) => ({ id: c.id, title: c.title })),
    };
  });
}
