// Attachments: declare (encrypted metadata and stream size), then upload the encrypted stream
// whole (PUT) or piece by piece with resumption (HEAD/PATCH, the core of tus).
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { encryptedSize, fromB64u, plainSizeOf } from '../../../crypto/index.js';
import type { Attachment, Report } from '../../../db/schema.js';
import { HttpError, notFound } from '../../errors.js';
import { errorResponses, id16, MAX_BUCKET, parseSealed, sealedObject } from '../../schemas.js';
import type { Services } from '../../services.js';
import { hourFloor } from '../../time.js';
import { assertOpenForWrites, reportOf } from './receipt-auth.js';

/** Largest PATCH piece (PROTOCOL.md §5): bounds what one request holds the upload for. */
export const MAX_PIECE = 8 << 20;
/** Attachments per report: a report is a case file, not a file store. */
export const MAX_ATTACHMENTS = 100;

const params = z.object({ attachmentId: id16 });
const metaSchema = sealedObject(MAX_BUCKET.attachmentMeta);

export async function attachmentRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, blobs } = services;
  /** Uploads in progress: one writer per attachment at a time. */
  const busy = new Set<string>();

  function attachmentOf(report: Report, id: string): Attachment {
    const attachment = repos.attachments.get(id);
    // Another report's attachment is as unknown as a missing one.
    if (!attachment || attachment.reportId !== report.id) throw notFound('SBX_NOT_FOUND', 'No such attachment on this report');
    return attachment;
  }

  /** Writes a piece at `offset`; with `whole`, anything but exactly the rest of the stream is refused. */
  async function receive(attachment: Attachment, offset: number, body: Readable, maxBytes: number, whole = false): Promise<number> {
    if (busy.has(attachment.id)) throw new HttpError(409, 'SBX_UPLOAD_BUSY', 'Another upload of this attachment is in progress');
    busy.add(attachment.id);
    try {
      let written: number;
      try {
        written = await blobs.append(attachment.id, offset, body, maxBytes);
      } catch (error) {
        const refusal = whole && error instanceof HttpError && error.code === 'SBX_TOO_LARGE' ? sizeMismatch(attachment.size) : error;
        // The rest of a body refused midway is discarded (blobs.append); the connection closes after
        // the answer, so that the client reads the answer and an endless body cannot hold the socket.
        if (refusal instanceof HttpError && !body.readableEnded) {
          throw new HttpError(refusal.statusCode, refusal.code, refusal.message, { ...refusal.headers, connection: 'close' });
        }
        throw refusal;
      }
      if (whole && written !== attachment.size - offset) {
        // A short body is refused whole and its bytes dropped, so the PUT can simply be repeated.
        await blobs.truncateTo(attachment.id, offset);
        throw sizeMismatch(attachment.size);
      }
      let received: number | undefined;
      try {
        // Counted and, with the last byte, marked complete in one transaction: never one without the other.
        received = services.db.transaction(() => {
          const total = repos.attachments.addReceived(attachment.id, written);
          if (total === attachment.size) repos.attachments.markComplete(attachment.id);
          return total;
        });
      } catch (error) {
        // The piece is on disk but not counted (the database was locked or full): it is cut off
        // again, so that the blob and its row agree and the client sends the piece once more.
        await blobs.truncateTo(attachment.id, offset).catch(() => undefined);
        throw error;
      }
      if (received === undefined) throw new HttpError(409, 'SBX_OFFSET_MISMATCH', 'The upload changed underneath this request');
      return received;
    } finally {
      busy.delete(attachment.id);
    }
  }

  app.post('/api/followup/attachments', {
    bodyLimit: 16 * 1024,
    schema: {
      summary: 'Declare an attachment: its id, the size of its encrypted stream and its encrypted metadata',
      body: z.object({ attachmentId: id16, size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), meta: z.unknown() }).strict(),
      response: { 201: z.object({ attachmentId: z.string() }), ...errorResponses(400, 404, 409, 413, 415, 429) },
    },
  }, async (request, reply) => {
    const { report, tag } = reportOf(request, services);
    const { attachmentId, size } = request.body;
    const meta = parseSealed(metaSchema, request.body.meta, 'meta', '4 KiB');
    if (plainSizeOf(size) === undefined) throw new HttpError(400, 'SBX_INVALID_REQUEST', 'size is not the length of any encrypted stream (PROTOCOL.md §3)');
    assertOpenForWrites(report, services);
    const channel = repos.channels.rules(report.channelId)!;
    if (size > encryptedSize(channel.maxAttachmentBytes)) {
      throw new HttpError(413, 'SBX_TOO_LARGE', `Files on this channel may be at most ${channel.maxAttachmentBytes} bytes`);
    }
    if (repos.attachments.listForReport(report.id).length >= MAX_ATTACHMENTS) {
      throw new HttpError(413, 'SBX_TOO_MANY_ATTACHMENTS', `A report may have at most ${MAX_ATTACHMENTS} files`);
    }
    services.limits.followupWrites.take(tag.toString('hex'));
    services.db.transaction(() => {
      const created = repos.attachments.create({
        id: attachmentId, reportId: report.id, size, createdAt: hourFloor(services.clock.now()),
        metaNonce: Buffer.from(fromB64u(meta.nonce)), metaCiphertext: Buffer.from(fromB64u(meta.ciphertext)),
      });
      // Thrown inside the transaction, so that the sequence number the attempt drew is rolled back
      // too: a refused request changes nothing.
      if (!created) throw new HttpError(409, 'SBX_ATTACHMENT_EXISTS', 'An attachment with this id exists');
      services.auditReporterEvent({ action: 'report.attachment', target: report.id, details: { attachmentId, size } });
    });
    return reply.code(201).send({ attachmentId });
  });

  // The upload routes, in a scope of their own: only here do octet-stream bodies reach a handler,
  // unread, as the request stream (uploads are streamed to disk, never held whole in memory).
  await app.register(async (scope) => {
    const uploads = scope.withTypeProvider<ZodTypeProvider>();
    // No JSON parser here: a JSON (or any other) body is 415 before anything is read.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser(['application/octet-stream', 'application/offset+octet-stream'], (_request, payload, done) => done(null, payload));

    uploads.put('/api/followup/attachments/:attachmentId', {
      schema: {
        summary: 'Upload the whole encrypted stream (application/octet-stream)',
        params,
        response: { 204: z.null(), ...errorResponses(400, 404, 409, 413, 415, 429, 507) },
      },
    }, async (request, reply) => {
      const { report } = reportOf(request, services);
      const attachment = attachmentOf(report, request.params.attachmentId);
      if (request.headers['content-type'] !== 'application/octet-stream') throw unsupported('application/octet-stream');
      if (attachment.complete) throw new HttpError(409, 'SBX_ALREADY_COMPLETE', 'This attachment is already complete');
      if (attachment.received !== 0) throw new HttpError(409, 'SBX_OFFSET_MISMATCH', 'Part of this attachment was uploaded with PATCH; go on with PATCH');
      // A declared length that differs is refused before a byte is read.
      const declared = request.headers['content-length'];
      if (declared !== undefined && Number(declared) !== attachment.size) throw sizeMismatch(attachment.size);
      await receive(attachment, 0, request.body as Readable, attachment.size, true);
      return reply.code(204).send(null);
    });

    uploads.route({
      method: 'HEAD',
      url: '/api/followup/attachments/:attachmentId',
      schema: { summary: 'How many bytes of the encrypted stream the server has (Upload-Offset)', params, response: { 204: z.null(), ...errorResponses(400, 404, 429) } },
      handler: async (request, reply) => {
        const { report } = reportOf(request, services);
        const attachment = attachmentOf(report, (request.params as { attachmentId: string }).attachmentId);
        reply.header('upload-offset', String(attachment.received)).header('upload-length', String(attachment.size)).header('tus-resumable', '1.0.0');
        return reply.code(204).send(null);
      },
    });

    uploads.patch('/api/followup/attachments/:attachmentId', {
      schema: {
        summary: 'Append the next piece of the encrypted stream at Upload-Offset (application/offset+octet-stream, at most 8 MiB)',
        params,
        headers: z.object({ 'upload-offset': z.string().regex(/^\d{1,15}$/, 'Upload-Offset must be a whole number') }).passthrough(),
        response: { 204: z.null(), ...errorResponses(400, 404, 409, 413, 415, 429, 507) },
      },
    }, async (request, reply) => {
      const { report } = reportOf(request, services);
      const attachment = attachmentOf(report, request.params.attachmentId);
      if (request.headers['content-type'] !== 'application/offset+octet-stream') throw unsupported('application/offset+octet-stream');
      const offset = Number(request.headers['upload-offset']);
      if (attachment.complete) throw new HttpError(409, 'SBX_ALREADY_COMPLETE', 'This attachment is already complete');
      if (offset !== attachment.received) {
        throw new HttpError(409, 'SBX_OFFSET_MISMATCH', `The server has ${attachment.received} bytes; send from there`);
      }
      const declared = Number(request.headers['content-length'] ?? NaN);
      const room = attachment.size - offset;
      if (declared > room) throw new HttpError(413, 'SBX_TOO_LARGE', 'The piece goes past the declared size');
      if (declared > MAX_PIECE) throw new HttpError(413, 'SBX_TOO_LARGE', 'A piece may be at most 8 MiB');
      const received = await receive(attachment, offset, request.body as Readable, Math.min(room, MAX_PIECE));
      reply.header('upload-offset', String(received)).header('tus-resumable', '1.0.0');
      return reply.code(204).send(null);
    });
  });
}

const unsupported = (type: string) => new HttpError(415, 'SBX_UNSUPPORTED_MEDIA_TYPE', `Send the bytes as ${type}`);
const sizeMismatch = (size: number) => new HttpError(400, 'SBX_SIZE_MISMATCH', `The body must be exactly the declared ${size} bytes`);
