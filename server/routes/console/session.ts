// Console sessions: a random 32-byte id in the `sbx_session` cookie, stored only as a keyed hash,
// ended after `sessionIdleMs` without a request. Routes name the roles they need with `requireUser`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomBytes, toB64u } from '../../../crypto/index.js';
import type { Role, User } from '../../../db/schema.js';
import { forbidden, HttpError } from '../../errors.js';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';

export const SESSION_COOKIE = 'sbx_session';
/** base64url of 32 bytes; anything else cannot be a session id and is not even hashed. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface SignedIn {
  user: User;
  /** The channels whose reports this user may see. */
  channelIds: string[];
  sessionHash: Buffer;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireUser` before the handler runs; null on routes that need no session. */
    signedIn: SignedIn | null;
  }
  interface FastifyInstance {
    /** An onRequest hook: a live session, and one of `roles` when any are named (else 403). */
    requireUser(...roles: Role[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** Starts a session for `user` and sets the cookie. */
    startSession(request: FastifyRequest, reply: FastifyReply, user: User): void;
    /** Ends the request's session, if any; says which user it belonged to. */
    endSession(request: FastifyRequest, reply: FastifyReply): string | undefined;
  }
}

export const unauthenticated = () => new HttpError(401, 'SBX_UNAUTHENTICATED', 'Sign in first');
const expired = () => new HttpError(401, 'SBX_SESSION_EXPIRED', 'Your session ended after a period without activity; sign in again');

/** The signed-in user of a route guarded by `requireUser`. */
export function signedIn(request: FastifyRequest): SignedIn {
  if (!request.signedIn) throw unauthenticated();
  return request.signedIn;
}

export const sessions = fp(async (app: FastifyInstance, { services }: { services: Services }) => {
  const { repos, keys, clock, config } = services;

  const cookieOptions = (request: FastifyRequest) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/',
    // Over plain http (localhost, an onion address) a Secure cookie would never come back.
    secure: request.protocol === 'https',
  });
  const clear = (request: FastifyRequest, reply: FastifyReply) => reply.clearCookie(SESSION_COOKIE, cookieOptions(request));

  function hashOf(request: FastifyRequest): Buffer | undefined {
    const id = request.cookies[SESSION_COOKIE];
    return id && SESSION_ID.test(id) ? keys.lookupHash(id) : undefined;
  }

  function authenticate(request: FastifyRequest, reply: FastifyReply): SignedIn {
    const hash = hashOf(request);
    const session = hash && repos.sessions.get(hash);
    if (!hash || !session) {
      if (request.cookies[SESSION_COOKIE] !== undefined) clear(request, reply);
      throw unauthenticated();
    }
    const now = clock.now();
    if (Date.parse(session.lastSeenAt) + config.sessionIdleMs <= now.getTime()) {
      repos.sessions.delete(hash);
      clear(request, reply);
      throw expired();
    }
    const user = repos.users.byId(session.userId);
    // Disabling a user deletes their sessions; this covers a session that raced with it.
    if (!user || user.disabled) {
      repos.sessions.delete(hash);
      clear(request, reply);
      throw unauthenticated();
    }
    repos.sessions.touch(hash, iso(now));
    return { user, channelIds: repos.channels.channelIdsOf(user.id), sessionHash: hash };
  }

  app.decorateRequest('signedIn', null);

  app.decorate('requireUser', (...roles: Role[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    const me = authenticate(request, reply);
    if (roles.length > 0 && !roles.some((r) => me.user.roles.includes(r))) throw forbidden();
    request.signedIn = me;
  });

  app.decorate('startSession', (request: FastifyRequest, reply: FastifyReply, user: User) => {
    const id = toB64u(randomBytes(32));
    const now = iso(clock.now());
    repos.sessions.create({ idHash: keys.lookupHash(id), userId: user.id, createdAt: now, lastSeenAt: now });
    reply.setCookie(SESSION_COOKIE, id, cookieOptions(request));
  });

  app.decorate('endSession', (request: FastifyRequest, reply: FastifyReply) => {
    const hash = hashOf(request);
    const session = hash && repos.sessions.get(hash);
    if (hash && session) repos.sessions.delete(hash);
    clear(request, reply);
    return session ? session.userId : undefined;
  });
}, { name: 'sealbox-console-sessions', dependencies: ['@fastify/cookie'] });
