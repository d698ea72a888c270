// Administering console users: the list, invitations, role/channel changes, disabling, key resets.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Role, User } from '../../../db/schema.js';
import { userRowOut } from '../../../domain/api.js';
import { noticeAwaiting } from '../../approvals.js';
import { HttpError, invalid, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { USERNAME } from '../../users.js';
import { actor, channelId, readErrors, readsReports, role, userId, writeErrors } from './schemas.js';
import { signedIn } from './session.js';
import { INVITE_TTL_MS, newToken, RESET_TTL_MS } from './setup.js';

const userListItem = userRowOut;

const roles = z.array(role).min(1).max(3);
const channelList = z.array(channelId).max(50);
const linkOut = z.object({ token: z.string(), expiresAt: z.string() });
const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();

export async function userRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos } = services;
  const admin = app.requireUser('admin');

  const userJson = (u: User) => ({
    id: u.id, username: u.username, roles: u.roles, channels: repos.channels.channelIdsOf(u.id), disabled: u.disabled, keyId: u.keyId, createdAt: u.createdAt,
  });

  /** Channel members receive every report's key, so only roles that read reports may be members. */
  function checkChannels(channels: readonly string[], userRoles: readonly Role[]): void {
    for (const c of channels) if (!repos.channels.get(c)) throw invalid(`no channel "${c}"`);
    if (channels.length > 0 && !readsReports(userRoles)) throw invalid('Only administrators and reviewers may belong to channels');
  }

  function userOf(id: string): User {
    const user = repos.users.byId(id);
    if (!user) throw notFound('SBX_NOT_FOUND', 'No such user');
    return user;
  }

  app.post('/api/invites', {
    onRequest: admin,
    bodyLimit: 4096,
    schema: {
      summary: 'Invite a user with a role and channels: a one-time enrolment link valid for 7 days',
      body: z.object({ role, channels: channelList.default([]), username: z.string().regex(USERNAME, 'username is not valid').optional() }).strict(),
      response: { 201: linkOut, ...writeErrors(409) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const { role: r, username } = request.body;
    const channels = [...new Set(request.body.channels)];
    checkChannels(channels, [r]);
    if (username && repos.users.byUsername(username)) throw new HttpError(409, 'SBX_USERNAME_TAKEN', 'This username is taken');
    const link = newToken(services, { kind: 'invite', role: r, channels, username: username ?? null, createdBy: me.user.id }, INVITE_TTL_MS);
    // Never the token: whoever read the audit trail could enrol with it.
    services.audit({ actor: actor(me.user), action: 'user.invite', details: { role: r, channels, username: username ?? null, expiresAt: link.expiresAt } });
    return reply.code(201).send(link);
  });

  app.get('/api/users', {
    onRequest: admin,
    schema: { summary: 'Every console user', response: { 200: z.object({ users: z.array(userListItem) }), ...readErrors() } },
  }, async () => ({ users: repos.users.list().map(userJson) }));

  app.patch('/api/users/:id', {
    onRequest: admin,
    bodyLimit: 4096,
    schema: {
      summary: 'Disable or enable a user, change their roles or channels (disabling ends their sessions)',
      params: z.object({ id: userId }).strict(),
      body: z.object({ disabled: z.boolean().optional(), roles: roles.optional(), channels: channelList.optional() }).strict(),
      response: { 200: userListItem, ...writeErrors(404) },
    },
  }, async (request) => {
    const me = signedIn(request);
    const user = userOf(request.params.id);
    const body = request.body;
    const nextRoles = body.roles ? [...new Set(body.roles)] : user.roles;
    const before = repos.channels.channelIdsOf(user.id);
    const nextChannels = body.channels ? [...new Set(body.channels)].sort() : before;
    // An administrator cannot lock themselves out, so some enabled administrator always remains.
    if (user.id === me.user.id && (body.disabled === true || !nextRoles.includes('admin'))) {
      throw invalid('You cannot disable yourself or give up your own administrator role');
    }
    checkChannels(nextChannels, nextRoles);
    const changes: Record<string, [unknown, unknown]> = {};
    if (body.disabled !== undefined && body.disabled !== user.disabled) changes.disabled = [user.disabled, body.disabled];
    if (!same(nextRoles, user.roles)) changes.roles = [user.roles, nextRoles];
    if (!same(nextChannels, before)) changes.channels = [before, nextChannels];
    const updated = services.db.transaction(() => {
      const row = repos.users.update(user.id, { disabled: body.disabled ?? user.disabled, roles: nextRoles })!;
      if (changes.channels) repos.channels.setChannelsOf(user.id, nextChannels);
      if (changes.disabled && body.disabled) repos.sessions.deleteForUser(user.id);
      if (Object.keys(changes).length > 0) services.audit({ actor: actor(me.user), action: 'user.update', target: user.id, details: changes });
      return row;
    });
    // A channel added (or an account enabled again) makes its holder await approval there, unless
    // the roster already names them: the channel's members hear that someone does.
    const told = changes.disabled && body.disabled === false ? nextChannels : nextChannels.filter((c) => !before.includes(c));
    if (!updated.disabled) noticeAwaiting(services, told.map((channelId) => ({ userId: user.id, channelId })));
    return userJson(updated);
  });

  app.post('/api/users/:id/reset', {
    onRequest: admin,
    bodyLimit: 1024,
    schema: {
      summary: 'A one-time link (24 hours) with which the user sets a new passphrase, keys and TOTP device (send an empty JSON object)',
      params: z.object({ id: userId }).strict(),
      body: z.object({}).strict(),
      response: { 201: linkOut, ...writeErrors(404, 409) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const user = userOf(request.params.id);
    if (user.disabled) throw new HttpError(409, 'SBX_USER_DISABLED', 'Enable this user before resetting their keys');
    const link = newToken(services, { kind: 'reset', username: user.username, createdBy: me.user.id }, RESET_TTL_MS);
    services.audit({ actor: actor(me.user), action: 'user.reset_link', target: user.id, details: { expiresAt: link.expiresAt } });
    return reply.code(201).send(link);
  });
}
