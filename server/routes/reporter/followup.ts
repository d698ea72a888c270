// The reporter's follow-up: status, the conversation and files, and new messages.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromB64u, toB64u } from '../../../crypto/index.js';
import type { Attachment, Message } from '../../../db/schema.js';
import { errorResponses, parseSealed } from '../../schemas.js';
import type { Services } from '../../services.js';
import { hourFloor } from '../../time.js';
import { followupOut, messageIn } from '../../../domain/api.js';
import { DomainError } from '../../../domain/errors.js';
import { reporterStatus } from '../../../domain/vocabulary.js';
import { assertOpenForWrites, reportOf } from './receipt-auth.js';


export const messageJson = (m: Message) => ({
  id: m.id, author: m.author, createdAt: m.createdAt, version: m.version, nonce: toB64u(m.nonce), ciphertext: toB64u(m.ciphertext),
});
export const attachmentJson = (a: Attachment) => ({
  id: a.id, createdAt: a.createdAt, size: a.size, complete: a.complete, meta: { nonce: toB64u(a.metaNonce), ciphertext: toB64u(a.metaCiphertext) },
});

export async function followupRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos } = services;

  app.get('/api/followup', {
    schema: {
      summary: 'The report this receipt token leads to, with its conversation and files',
      headers: z.object({ authorization: z.string().optional() }),
      response: {
        200: followupOut,
        ...errorResponses(400, 404, 429),
      },
    },
  }, async (request) => {
    const { report } = reportOf(request, services);
    return {
      reportId: report.id,
      channelId: report.channelId,
      status: reporterStatus(report.status),
      receivedAt: report.receivedAt,
      // The reporter sees the hour the unit acted, not the minute: the console stores reviewers'
      // times exactly, and the reporter's side of the protocol is timed to the hour throughout.
      acknowledgedAt: hourOrNull(report.acknowledgedAt),
      closedAt: hourOrNull(report.closedAt),
      content: { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) },
      reporterSealedKey: toB64u(report.reporterSealedKey),
      messages: repos.messages.listForReport(report.id).map((m) => ({ ...messageJson(m), createdAt: hourFloor(new Date(m.createdAt)) })),
      attachments: repos.attachments.listForReport(report.id).map(attachmentJson),
    };
  });

  app.post('/api/followup/messages', {
    bodyLimit: 128 * 1024,
    schema: {
      summary: 'Add an encrypted message from the reporter ({nonce, ciphertext, id}; without id, version 1)',
      body: z.unknown(),
      response: { 201: z.object({ id: z.string(), createdAt: z.string() }), ...errorResponses(400, 404, 409, 413, 415, 429) },
    },
  }, async (request, reply) => {
    const { report, tag } = reportOf(request, services);
    const body = parseSealed(messageIn, request.body, 'message', '64 KiB');
    assertOpenForWrites(report, services);
    services.limits.followupWrites.take(tag.toString('hex'));
    const message = services.db.transaction(() => {
      const m = storedMessage(repos.messages.add({
        id: body.id, reportId: report.id, author: 'reporter', authorUserId: null, createdAt: hourFloor(services.clock.now()),
        nonce: Buffer.from(fromB64u(body.nonce)), ciphertext: Buffer.from(fromB64u(body.ciphertext)),
      }));
      services.auditReporterEvent({ action: 'report.message', target: report.id, details: { messageId: m.id } });
      return m;
    });
    return reply.code(201).send({ id: message.id, createdAt: message.createdAt });
  });
}

/** The message as stored, or 409 when the id its sender chose (version 2) is taken. */
export function storedMessage(message: Message | undefined): Message {
  if (message === undefined) {
    throw new DomainError('SBX_MESSAGE_ID_TAKEN', 'A message with this id exists already; seal the message again under a new id');
  }
  return message;
}

const hourOrNull = (at: string | null): string | null => (at === null ? null : hourFloor(new Date(at)));
