// The inbox and one report with everything a reviewer's browser needs to decrypt it.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toB64u } from '../../../crypto/index.js';
import { REPORT_STATUSES } from '../../../domain/vocabulary.js';
import { CATEGORY_CODES } from '../../../domain/categories.js';
import { readersOf } from '../../recipients.js';
import { deletionDates } from '../../retention.js';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';
import { attachmentJson, messageJson } from '../reporter/followup.js';
import { itemJson, listItem, reportOf, reportParams } from './report-access.js';
import { actor, channelId, readErrors, SEVERITIES, userId } from './schemas.js';
import { inboxOut, reportDocOut } from '../../../domain/api.js';
import { signedIn } from './session.js';

export const MAX_PAGE = 200;

const listQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  channel: channelId.optional(),
  assignee: z.union([z.literal('me'), userId]).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  severity: z.enum(SEVERITIES).optional(),
  category: z.enum(CATEGORY_CODES).optional(),
  sort: z.enum(['newest', 'oldest']).default('newest'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z.string().regex(/^\d{1,15}$/, 'cursor must be the nextCursor of the previous page').optional(),
}).strict();

export async function reportRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;
  const reader = app.requireUser('admin', 'reviewer');

  app.get('/api/reports', {
    onRequest: reader,
    schema: {
      summary: 'The inbox: reports of the user\'s channels, newest (or oldest) first, with counts per status',
      querystring: listQuery,
      response: {
        200: inboxOut,
        ...readErrors(),
      },
    },
  }, async (request) => {
    const me = signedIn(request);
    const q = request.query;
    const page = repos.reports.list({
      viewerId: me.user.id,
      channelIds: me.channelIds,
      ...(q.channel !== undefined ? { channelId: q.channel } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.assignee !== undefined ? { assigneeId: q.assignee === 'me' ? me.user.id : q.assignee } : {}),
      ...(q.overdue === 'true' ? { overdue: iso(clock.now()) } : {}),
      ...(q.severity !== undefined ? { severity: q.severity } : {}),
      ...(q.category !== undefined ? { category: q.category } : {}),
      ...(q.cursor !== undefined ? { cursor: Number(q.cursor) } : {}),
      order: q.sort,
      limit: q.limit,
    });
    const counted = q.channel === undefined ? me.channelIds : me.channelIds.filter((c) => c === q.channel);
    const deleteAt = deletionDates(services);
    return {
      reports: page.reports.map((r) => itemJson(r, r.assignees, r.unread, deleteAt(r))),
      nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      counts: repos.reports.countByStatus(counted, me.user.id),
    };
  });

  app.get('/api/reports/:id', {
    onRequest: reader,
    schema: {
      summary: 'One report: its ciphertext, the caller\'s key envelopes, the conversation, notes, files and the channel\'s members',
      params: reportParams,
      response: {
        200: reportDocOut,
        ...readErrors(404),
      },
    },
  }, async (request) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const envelopes = repos.reports.keys(report.id);
    const mine = envelopes.find((k) => k.keyId === me.user.keyId);
    const holders = new Set(envelopes.map((k) => k.keyId));
    // Who holds the internal key too: a console makes Ki only when nobody does, and hands it on otherwise.
    const internalHolders = new Set(envelopes.filter((k) => k.sealedInternalKey).map((k) => k.keyId));
    repos.reads.markRead(me.user.id, report.id, report.lastReporterSeq);
    services.audit({ actor: actor(me.user), action: 'report.view', target: report.id });
    return {
      ...listItem(services, report, me.user.id),
      content: { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) },
      sealedKey: mine ? toB64u(mine.sealedKey) : null,
      sealedInternalKey: mine?.sealedInternalKey ? toB64u(mine.sealedInternalKey) : null,
      reporterPublicKey: toB64u(report.reporterPublicKey),
      messages: repos.messages.listForReport(report.id).map(messageJson),
      notes: repos.notes.listForReport(report.id).map((n) => ({
        id: n.id, authorUserId: n.authorUserId, createdAt: n.createdAt, nonce: toB64u(n.nonce), ciphertext: toB64u(n.ciphertext),
      })),
      attachments: repos.attachments.listForReport(report.id).map(attachmentJson),
      // Lets a console hand the report key to members who joined (or were reset) after it arrived.
      members: readersOf(services, report).map((m) => ({
        id: m.id, username: m.username, keyId: m.keyId, boxPublicKey: toB64u(m.boxPublicKey),
        hasKey: holders.has(m.keyId), hasInternalKey: internalHolders.has(m.keyId),
      })),
    };
  });
}
