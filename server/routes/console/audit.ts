// The audit trail for administrators and auditors: reading it, and checking its hash chain.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditEventOut, auditVerifyOut } from '../../../domain/api.js';
import type { Services } from '../../services.js';
import { readErrors } from './schemas.js';

export const MAX_AUDIT_PAGE = 1000;

const auditQuery = z.object({
  actor: z.string().min(1).max(100).optional(),
  action: z.string().min(1).max(100).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  /** Events before this time: with `since`, a date range. */
  until: z.iso.datetime({ offset: true }).optional(),
  afterSeq: z.string().regex(/^\d{1,15}$/, 'afterSeq must be a sequence number').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_AUDIT_PAGE).default(100),
}).strict().refine((q) => q.since === undefined || q.until === undefined || Date.parse(q.since) < Date.parse(q.until), {
  message: 'until must be later than since', path: ['until'],
});

/** Stored times are UTC with milliseconds, compared as text: a bound must be written alike. */
const utc = (time: string): string => new Date(time).toISOString();

export async function auditRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { audit } = services.repos;
  const readers = app.requireUser('admin', 'auditor');

  app.get('/api/audit', {
    onRequest: readers,
    schema: {
      summary: 'Audit events in order, filtered by actor, action and time (since ≤ at < until); page with afterSeq = the last seq received',
      querystring: auditQuery,
      response: {
        200: z.object({
          events: z.array(auditEventOut),
        }),
        ...readErrors(),
      },
    },
  }, async (request) => {
    const q = request.query;
    const events = audit.list({
      ...(q.actor !== undefined ? { actor: q.actor } : {}),
      ...(q.action !== undefined ? { action: q.action } : {}),
      ...(q.since !== undefined ? { since: utc(q.since) } : {}),
      ...(q.until !== undefined ? { until: utc(q.until) } : {}),
      ...(q.afterSeq !== undefined ? { afterSeq: Number(q.afterSeq) } : {}),
      limit: q.limit,
    });
    return {
      events: events.map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, target: e.target, details: e.details, hash: e.hash.toString('hex') })),
    };
  });

  app.get('/api/audit/verify', {
    onRequest: readers,
    schema: {
      summary: 'Walk the hash chain from the first event; names the first event that breaks it',
      response: {
        200: auditVerifyOut,
        ...readErrors(),
      },
    },
  }, async () => audit.verify());
}
