// POST /api/submissions (a proof-of-work challenge and the report id) and POST /api/reports (the
// encrypted report itself, checked against the challenge and the channel's recipients).
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { reportBody } from '../../../domain/api.js';
import { z } from 'zod';
import { fromB64u, keyIdOf, newId, randomBytes, toB64u, verifyPow } from '../../../crypto/index.js';
import { HttpError, invalid, notFound } from '../../errors.js';
import { leftOutBy } from '../../../domain/recipients.js';
import { recipientsOf, recoveryKeyOf } from '../../recipients.js';
import { errorResponses, MAX_BUCKET, parseSealed, sealedObject } from '../../schemas.js';
import type { Services } from '../../services.js';
import { addMs, hourFloor, iso } from '../../time.js';

const contentSchema = sealedObject(MAX_BUCKET.report);

export async function submissionRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock, config } = services;

  app.post('/api/submissions', {
    bodyLimit: 1024,
    schema: {
      summary: 'Start a submission: a report id and a proof-of-work challenge',
      body: z.object({ channelId: z.string().min(1).max(64) }).strict(),
      response: {
        201: z.object({ reportId: z.string(), pow: z.object({ salt: z.string(), bits: z.number().int() }), expiresAt: z.string() }),
        ...errorResponses(400, 404, 413, 415, 429, 503),
      },
    },
  }, async (request, reply) => {
    const channel = repos.channels.rules(request.body.channelId);
    if (!channel) throw notFound('SBX_CHANNEL_NOT_FOUND', 'No such channel');
    if (recipientsOf(services, channel.id).length === 0 && !recoveryKeyOf(services)) {
      throw new HttpError(503, 'SBX_CHANNEL_UNAVAILABLE', 'This channel has no recipients yet; the unit must set it up first');
    }
    services.limits.submissions.take();
    const reportId = newId();
    const salt = randomBytes(16);
    const expiresAt = iso(addMs(clock.now(), config.challengeTtlMs));
    repos.challenges.create({ reportId, channelId: channel.id, salt: Buffer.from(salt), bits: config.powBits, expiresAt, used: false });
    return reply.code(201).send({ reportId, pow: { salt: toB64u(salt), bits: config.powBits }, expiresAt });
  });

  app.post('/api/reports', {
    // A 1 MiB report bucket is 1.4 MB of base64url, plus envelopes.
    bodyLimit: 2 << 20,
    schema: {
      summary: 'Submit an encrypted report',
      body: reportBody,
      response: {
        201: z.object({ reportId: z.string(), receivedAt: z.string() }),
        ...errorResponses(400, 404, 409, 410, 413, 415, 422, 429),
      },
    },
  }, async (request, reply) => {
    const body = request.body;
    const token = tokenOf(body.receiptToken);
    const content = parseSealed(contentSchema, body.content, 'content', '1 MiB; send long documents as attachments');

    const challenge = repos.challenges.get(body.reportId);
    if (!challenge) {
      // A used challenge is deleted with the submission that used it; its report then exists.
      if (repos.reports.byId(body.reportId)) throw new HttpError(409, 'SBX_CHALLENGE_USED', 'This challenge was already used');
      throw notFound('SBX_CHALLENGE_NOT_FOUND', 'No challenge for this report id; start with POST /api/submissions');
    }
    if (challenge.used) throw new HttpError(409, 'SBX_CHALLENGE_USED', 'This challenge was already used');
    if (challenge.expiresAt <= iso(clock.now())) throw new HttpError(410, 'SBX_CHALLENGE_EXPIRED', 'The challenge expired; start again');
    if (challenge.channelId !== body.channelId) throw invalid('channelId differs from the challenge’s channel');
    if (!verifyPow(challenge.salt, challenge.bits, body.powNonce)) {
      throw new HttpError(400, 'SBX_POW_INVALID', 'The proof of work does not solve the challenge');
    }
    const { envelopes, excluded } = checkRecipients(services, body.channelId, body.keys, body.excluded);

    const receivedAt = hourFloor(clock.now());
    const created = await services.commits.run(() => {
      // Marking the challenge used inside the transaction: if the insert fails, it stays usable.
      if (!repos.challenges.markUsed(body.reportId)) throw new HttpError(409, 'SBX_CHALLENGE_USED', 'This challenge was already used');
      const result = repos.reports.create({
        id: body.reportId,
        channelId: body.channelId,
        receiptTag: services.keys.receiptTag(token),
        reporterPublicKey: Buffer.from(fromB64u(body.reporterPublicKey)),
        contentNonce: Buffer.from(fromB64u(content.nonce)),
        contentCiphertext: Buffer.from(fromB64u(content.ciphertext)),
        reporterSealedKey: Buffer.from(fromB64u(body.reporterSealedKey)),
        receivedAt,
      }, envelopes, excluded);
      if (!result.ok) throw new HttpError(409, 'SBX_RECEIPT_TAKEN', 'This receipt is in use; make a new receipt code and submit again');
      // The challenge's expiry time would date the submission to the minute: it goes.
      repos.challenges.delete(body.reportId);
      services.auditReporterEvent({ action: 'report.received', target: body.reportId, details: { channelId: body.channelId } });
      return result.report;
    });
    reply.code(201).send({ reportId: created.id, receivedAt: created.receivedAt });
    // After the commit and the 201: an e-mail can neither hold up nor fail the submission.
    services.notifier.reportReceived(created.id);
    return reply;
  });
}

function tokenOf(text: string): Uint8Array {
  try {
    return fromB64u(text, 32, 'receiptToken');
  } catch {
    throw invalid('receiptToken must be 32 bytes of base64url without padding');
  }
}

/** The envelopes and whom they leave out, by the domain's rules (domain/recipients.ts). */
function checkRecipients(services: Services, channelId: string, keys: { keyId: string; sealedKey: string }[], declared: string[] | undefined) {
  const channel = services.repos.channels.rules(channelId);
  if (!channel) throw notFound('SBX_CHANNEL_NOT_FOUND', 'No such channel');
  const recovery = recoveryKeyOf(services);
  const excluded = leftOutBy({
    members: recipientsOf(services, channelId), recoveryKeyId: recovery ? keyIdOf(recovery) : undefined, allowRecipientExclusion: channel.allowRecipientExclusion,
  }, keys.map((k) => k.keyId), declared);
  return { envelopes: keys.map((k) => ({ keyId: k.keyId, sealedKey: Buffer.from(fromB64u(k.sealedKey)) })), excluded };
}
