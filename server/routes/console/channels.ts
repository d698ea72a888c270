// Reporting channels as the console sees them: settings, questionnaire and members.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Channel } from '../../../db/schema.js';
import { consoleChannelOut } from '../../../domain/api.js';
import { questionnaireSchema } from '../../../domain/questionnaire-schema.js';
import { noticeAwaiting } from '../../approvals.js';
import { invalid, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { actor, channelId, localText, readErrors, readsReports, userId, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const channelOut = consoleChannelOut;

const channelPatch = z.object({
  title: localText(200).optional(),
  description: localText(2000).optional(),
  // The one questionnaire schema (domain/questionnaire.ts): the console checks a file with it too.
  questionnaire: z.optional(questionnaireSchema),
  allowRecipientExclusion: z.boolean().optional(),
  // 4 GiB: the encrypted stream sizes stay well inside JavaScript's safe integers.
  maxAttachmentBytes: z.number().int().min(0).max(2 ** 32).optional(),
  retentionDays: z.number().int().min(1).max(36500).optional(),
  /** Days a report closed as spam or duplicate is kept (server/retention.ts); at most retentionDays. */
  shortRetentionDays: z.number().int().min(1).max(36500).optional(),
  messagesAfterClose: z.boolean().optional(),
}).strict();

const SCALARS = ['allowRecipientExclusion', 'maxAttachmentBytes', 'retentionDays', 'shortRetentionDays', 'messagesAfterClose'] as const;

export async function channelAdminRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos } = services;
  const admin = app.requireUser('admin');
  const params = z.object({ id: channelId }).strict();

  const channelJson = (c: Channel) => ({
    id: c.id, title: c.title, description: c.description, questionnaire: c.questionnaire,
    allowRecipientExclusion: c.allowRecipientExclusion, maxAttachmentBytes: c.maxAttachmentBytes,
    retentionDays: c.retentionDays, shortRetentionDays: c.shortRetentionDays, messagesAfterClose: c.messagesAfterClose,
    members: repos.channels.members(c.id).map((m) => ({ id: m.id, username: m.username, keyId: m.keyId })),
  });

  function channelOf(id: string): Channel {
    const channel = repos.channels.get(id);
    if (!channel) throw notFound('SBX_NOT_FOUND', 'No such channel');
    return channel;
  }

  app.get('/api/channels', {
    onRequest: app.requireUser(),
    schema: { summary: 'Every channel with its settings, questionnaire and members', response: { 200: z.object({ channels: z.array(channelOut) }), ...readErrors() } },
  }, async () => ({ channels: repos.channels.list().map(channelJson) }));

  app.patch('/api/channels/:id', {
    onRequest: admin,
    bodyLimit: 256 * 1024,
    schema: {
      summary: 'Change a channel\'s texts, questionnaire, attachment limit, retention or reporter options; any subset',
      params,
      body: channelPatch,
      response: { 200: channelOut, ...writeErrors(404) },
    },
  }, async (request) => {
    const me = signedIn(request);
    const channel = channelOf(request.params.id);
    const body = request.body;
    if ((body.shortRetentionDays ?? channel.shortRetentionDays) > (body.retentionDays ?? channel.retentionDays)) {
      throw invalid('shortRetentionDays (spam and duplicates) must not be longer than retentionDays');
    }
    const changes: Record<string, unknown> = {};
    for (const f of SCALARS) if (body[f] !== undefined && body[f] !== channel[f]) changes[f] = [channel[f], body[f]];
    // Texts and questionnaires are long: the audit notes that they changed, the channel keeps them.
    for (const f of ['title', 'description', 'questionnaire'] as const) if (body[f] !== undefined) changes[f] = 'changed';
    const updated = services.db.transaction(() => {
      const row = Object.keys(body).length > 0 ? repos.channels.update(channel.id, body)! : channel;
      if (Object.keys(changes).length > 0) services.audit({ actor: actor(me.user), action: 'channel.update', target: channel.id, details: changes });
      return row;
    });
    return channelJson(updated);
  });

  app.put('/api/channels/:id/members', {
    onRequest: admin,
    bodyLimit: 64 * 1024,
    schema: {
      summary: 'Set who receives a channel\'s reports (administrators and reviewers only)',
      params,
      body: z.object({ userIds: z.array(userId).max(500) }).strict(),
      response: { 200: channelOut, ...writeErrors(404) },
    },
  }, async (request) => {
    const me = signedIn(request);
    const channel = channelOf(request.params.id);
    const userIds = [...new Set(request.body.userIds)].sort();
    for (const id of userIds) {
      const user = repos.users.byId(id);
      if (!user) throw invalid('userIds names a user who does not exist');
      // Members receive every report's key; an auditor must never hold one.
      if (!readsReports(user.roles)) throw invalid(`${user.username} is neither an administrator nor a reviewer`);
    }
    const before = repos.channels.members(channel.id).map((m) => m.id).sort();
    services.db.transaction(() => {
      repos.channels.setMembers(channel.id, userIds);
      services.audit({ actor: actor(me.user), action: 'channel.members', target: channel.id, details: { members: [before, userIds] } });
    });
    // Whoever joined awaits approval here (the roster names nobody the server adds): tell the members.
    noticeAwaiting(services, userIds.filter((id) => !before.includes(id)).map((userId) => ({ userId, channelId: channel.id })));
    return channelJson(channel);
  });
}
