// GET /api/reports/:id/attachments/:attachmentId: the encrypted stream, streamed from disk as is;
// the reviewer's browser decrypts it with the key inside the attachment's metadata.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, notFound } from '../../errors.js';
import { id16 } from '../../schemas.js';
import type { Services } from '../../services.js';
import { reportOf } from './report-access.js';
import { actor, readErrors } from './schemas.js';
import { signedIn } from './session.js';

export async function consoleAttachmentRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, blobs } = services;

  app.get('/api/reports/:id/attachments/:attachmentId', {
    onRequest: app.requireUser('admin', 'reviewer'),
    schema: {
      summary: 'Download an attachment\'s encrypted stream (application/octet-stream)',
      params: z.object({ id: id16, attachmentId: id16 }).strict(),
      response: { 200: z.unknown().describe('the encrypted stream, application/octet-stream'), ...readErrors(404, 409, 410) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const attachment = repos.attachments.get(request.params.attachmentId);
    if (!attachment || attachment.reportId !== report.id) throw notFound('SBX_NOT_FOUND', 'No such attachment on this report');
    if (!attachment.complete) throw new HttpError(409, 'SBX_INCOMPLETE', 'This file has not been uploaded completely');
    // A stream that fails after the headers went out would be a broken 200 (a cut connection the
    // console cannot explain): a stored file that is missing, or shorter or longer than the upload
    // that completed it, is refused first. A changed byte is for the reader's decryption to find.
    const blob = await blobs.openRead(attachment.id);
    if (blob?.size !== attachment.size) {
      await blob?.close();
      const what = blob === undefined ? 'is missing from storage' : `has ${blob.size} bytes in storage instead of ${attachment.size}`;
      throw new HttpError(410, 'SBX_ATTACHMENT_DAMAGED', `This file ${what}; it cannot be sent`);
    }
    try {
      services.audit({ actor: actor(me.user), action: 'attachment.download', target: report.id, details: { attachmentId: attachment.id } });
    } catch (error) {
      await blob.close();
      throw error;
    }
    return reply
      .type('application/octet-stream')
      .header('content-length', String(attachment.size))
      .header('content-disposition', `attachment; filename="${attachment.id}.sbx"`)
      .send(blob.stream());
  });
}
