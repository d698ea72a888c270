// POST /api/reports/:id/keys: a reviewer seals the report key (and the internal key) to channel
// members who lack it, or adds their own internal-key envelope when they make `Ki`.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromB64u, keyIdOf } from '../../../crypto/index.js';
import { HttpError } from '../../errors.js';
import { recipientsOf, recoveryKeyOf } from '../../recipients.js';
import { keyId, sealedKey } from '../../schemas.js';
import type { Services } from '../../services.js';
import { reportOf, reportParams } from './report-access.js';
import { actor, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const keysBody = z.object({
  keys: z.array(z.object({ keyId, sealedKey, sealedInternalKey: sealedKey.optional() }).strict()).min(1).max(256),
}).strict();

export async function reportKeyRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.post('/api/reports/:id/keys', {
    onRequest: app.requireUser('admin', 'reviewer'),
    bodyLimit: 64 * 1024,
    schema: {
      summary: 'Add key envelopes for members of the report\'s channel (or the recovery key); existing envelopes are never replaced',
      params: reportParams,
      body: keysBody,
      response: { 201: z.object({ keyIds: z.array(z.string()) }), ...writeErrors(404, 422) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const recovery = recoveryKeyOf(services);
    // A key may only go to someone the channel already trusts with its reports: otherwise one
    // reviewer could quietly share a report with an outsider's key.
    const allowed = new Set(recipientsOf(services, report.channelId).map((m) => m.keyId));
    if (recovery) allowed.add(keyIdOf(recovery));
    const seen = new Set<string>();
    for (const k of request.body.keys) {
      if (seen.has(k.keyId)) throw new HttpError(422, 'SBX_RECIPIENTS_MISMATCH', 'A key id appears twice');
      seen.add(k.keyId);
      if (!allowed.has(k.keyId)) throw new HttpError(422, 'SBX_RECIPIENTS_MISMATCH', 'A key is sealed to someone who is not a member of this report\'s channel');
    }
    const keyIds = [...seen];
    services.db.transaction(() => {
      services.repos.reports.addKeys(report.id, request.body.keys.map((k) => ({
        keyId: k.keyId,
        sealedKey: Buffer.from(fromB64u(k.sealedKey)),
        sealedInternalKey: k.sealedInternalKey ? Buffer.from(fromB64u(k.sealedInternalKey)) : null,
      })));
      services.audit({
        actor: actor(me.user), action: 'report.keys', target: report.id,
        details: { keyIds, internal: request.body.keys.filter((k) => k.sealedInternalKey).map((k) => k.keyId) },
      });
    });
    return reply.code(201).send({ keyIds });
  });
}
