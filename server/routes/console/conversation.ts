// A reviewer's messages to the reporter (under the report key) and internal notes (under the
// internal key), both encrypted in the reviewer's browser.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromB64u } from '../../../crypto/index.js';
import { MAX_BUCKET, parseSealed, sealedObject } from '../../schemas.js';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';
import { messageIn } from '../../../domain/api.js';
import { storedMessage } from '../reporter/followup.js';
import { reportOf, reportParams } from './report-access.js';
import { actor, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const noteBody = sealedObject(MAX_BUCKET.note);
const created = z.object({ id: z.string(), createdAt: z.string() });
const bytes = (b64u: string) => Buffer.from(fromB64u(b64u));

export async function conversationRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;
  const writer = app.requireUser('admin', 'reviewer');

  app.post('/api/reports/:id/messages', {
    onRequest: writer,
    // A 64 KiB bucket is 87 KiB of base64url.
    bodyLimit: 128 * 1024,
    schema: {
      summary: 'Send the reporter an encrypted message ({nonce, ciphertext, id} under the report key, author "reviewer"; without id, version 1)',
      params: reportParams,
      body: z.unknown(),
      response: { 201: created, ...writeErrors(404, 409) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const body = parseSealed(messageIn, request.body, 'message', '64 KiB');
    const message = services.db.transaction(() => {
      // Reviewer events keep their exact time: only the reporter's side is blurred to the hour.
      const m = storedMessage(repos.messages.add({
        id: body.id, reportId: report.id, author: 'reviewer', authorUserId: me.user.id, createdAt: iso(clock.now()),
        nonce: bytes(body.nonce), ciphertext: bytes(body.ciphertext),
      }));
      services.audit({ actor: actor(me.user), action: 'report.message', target: report.id, details: { messageId: m.id } });
      return m;
    });
    return reply.code(201).send({ id: message.id, createdAt: message.createdAt });
  });

  app.post('/api/reports/:id/notes', {
    onRequest: writer,
    bodyLimit: 128 * 1024,
    schema: {
      summary: 'Add an internal note ({nonce, ciphertext} under the internal key); never shown to the reporter',
      params: reportParams,
      body: z.unknown(),
      response: { 201: created, ...writeErrors(404) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const body = parseSealed(noteBody, request.body, 'note', '64 KiB');
    const note = services.db.transaction(() => {
      const n = repos.notes.add({
        reportId: report.id, authorUserId: me.user.id, createdAt: iso(clock.now()),
        nonce: bytes(body.nonce), ciphertext: bytes(body.ciphertext),
      });
      services.audit({ actor: actor(me.user), action: 'report.note', target: report.id, details: { noteId: n.id } });
      return n;
    });
    return reply.code(201).send({ id: note.id, createdAt: note.createdAt });
  });
}
