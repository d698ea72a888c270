// POST /api/reports/:id/keys: a reviewer seals the report key (and the internal key) to channel
// members who lack it, or adds their own internal-key envelope when they make `Ki`.
// GET /api/key-distribution: the reports where the caller can do that, for the console's sweep
// after sign-in (so a new or reset member gets access without anyone opening each report).
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { keysBody } from '../../../domain/api.js';
import { z } from 'zod';
import { fromB64u, keyIdOf, toB64u } from '../../../crypto/index.js';
import { HttpError } from '../../errors.js';
import { readersOf, recipientsOf, recoveryKeyOf } from '../../recipients.js';
import { keyDistributionOut } from '../../../domain/api.js';
import type { Services } from '../../services.js';
import { reportOf, reportParams } from './report-access.js';
import { actor, readErrors, writeErrors } from './schemas.js';
import { signedIn } from './session.js';


export async function reportKeyRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/api/key-distribution', {
    onRequest: app.requireUser('admin', 'reviewer'),
    schema: {
      summary: 'Reports of the caller\'s channels that the caller holds the key of and another member lacks (or lacks the internal key of), newest first',
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(25),
        cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'cursor must be the nextCursor of the previous page').optional(),
      }).strict(),
      response: {
        200: keyDistributionOut,
        ...readErrors(),
      },
    },
  }, async (request) => {
    const me = signedIn(request);
    // Members per channel are read once per page, not once per report.
    const members = new Map(me.channelIds.map((id) => [id, recipientsOf(services, id)]));
    const page = services.repos.keyGrants.pending({
      userId: me.user.id, keyId: me.user.keyId, channelIds: me.channelIds, limit: request.query.limit,
      readers: [...members].flatMap(([channelId, list]) => list.map((m) => ({ channelId, keyId: m.keyId }))),
      ...(request.query.cursor !== undefined ? { cursor: Number(request.query.cursor) } : {}),
    });
    return {
      reports: page.grants.map((g) => {
        const report = services.repos.reports.byId(g.reportId)!;
        const excluded = new Set(services.repos.reports.excluded(g.reportId));
        const envelopes = services.repos.reports.keys(g.reportId);
        const holders = new Set(envelopes.map((k) => k.keyId));
        const internalHolders = new Set(envelopes.filter((k) => k.sealedInternalKey).map((k) => k.keyId));
        return {
          id: g.reportId,
          channelId: g.channelId,
          sealedKey: toB64u(g.sealedKey),
          sealedInternalKey: g.sealedInternalKey ? toB64u(g.sealedInternalKey) : null,
          content: { nonce: toB64u(report.contentNonce), ciphertext: toB64u(report.contentCiphertext) },
          members: (members.get(g.channelId) ?? []).filter((m) => !excluded.has(m.id)).map((m) => ({
            id: m.id, username: m.username, keyId: m.keyId, boxPublicKey: toB64u(m.boxPublicKey),
            hasKey: holders.has(m.keyId), hasInternalKey: internalHolders.has(m.keyId),
          })),
        };
      }),
      nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
    };
  });

  app.post('/api/reports/:id/keys', {
    onRequest: app.requireUser('admin', 'reviewer'),
    bodyLimit: 64 * 1024,
    schema: {
      summary: 'Add key envelopes for members of the report\'s channel (or the recovery key); existing envelopes are never replaced',
      params: reportParams,
      body: keysBody,
      response: {
        // The caller's own internal-key envelope after the change: when two members make Ki at the
        // same moment the server keeps the first, and this says which one (without a second view).
        201: z.object({ keyIds: z.array(z.string()), sealedInternalKey: z.string().nullable() }),
        ...writeErrors(404, 422),
      },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    // Only a member who holds the report key has one to give: a member without it could otherwise
    // post random bytes as a colleague's envelope and, since envelopes are not replaced by others,
    // lock them out. (A holder who posts garbage is named in the audit trail, and the colleague's
    // console asks for a fresh envelope when theirs does not open: POST …/keys/renew.)
    if (!services.repos.reports.key(report.id, me.user.keyId)) {
      throw new HttpError(422, 'SBX_NO_KEY_TO_GIVE', 'You hold no key of this report, so you have none to hand on');
    }
    const recovery = recoveryKeyOf(services);
    // A key may only go to someone the channel already trusts with its reports: otherwise one
    // reviewer could quietly share a report with an outsider's key. Never to a member the reporter
    // left out, whatever a console sends (PROTOCOL.md §9).
    const allowed = new Set(readersOf(services, report).map((m) => m.keyId));
    const leftOut = new Set(recipientsOf(services, report.channelId).filter((m) => !allowed.has(m.keyId)).map((m) => m.keyId));
    if (recovery) allowed.add(keyIdOf(recovery));
    const seen = new Set<string>();
    for (const k of request.body.keys) {
      if (seen.has(k.keyId)) throw new HttpError(422, 'SBX_RECIPIENTS_MISMATCH', 'A key id appears twice');
      seen.add(k.keyId);
      if (leftOut.has(k.keyId)) throw new HttpError(422, 'SBX_RECIPIENT_EXCLUDED', 'The reporter left this member out of the report: no key may be sealed to them');
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
    const mine = services.repos.reports.key(report.id, me.user.keyId);
    return reply.code(201).send({ keyIds, sealedInternalKey: mine?.sealedInternalKey ? toB64u(mine.sealedInternalKey) : null });
  });

  app.post('/api/reports/:id/keys/renew', {
    onRequest: app.requireUser('admin', 'reviewer'),
    schema: {
      summary: 'Drop the caller\'s own envelope of the report key, which does not open, so that a colleague who holds the key seals a fresh one',
      params: reportParams,
      body: z.object({}).strict(),
      response: { 204: z.null(), ...writeErrors(404) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    // Idempotent: asking again, or with no envelope, changes nothing more.
    services.db.transaction(() => {
      if (services.repos.reports.dropKey(report.id, me.user.keyId)) {
        services.audit({ actor: actor(me.user), action: 'report.keys_renewed', target: report.id, details: { keyId: me.user.keyId } });
      }
    });
    return reply.code(204).send(null);
  });
}
