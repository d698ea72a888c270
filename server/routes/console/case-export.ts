// What a case export needs from the server besides the report itself: the report's history from
// the audit trail (reviewers cannot read the whole trail), and a record that the case was exported.
// The export itself is decrypted and zipped in the reviewer's browser (client/console/case-zip.ts).
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { iso } from '../../time.js';
import { reportOf, reportParams } from './report-access.js';
import { actor, readErrors, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

export const MAX_HISTORY_PAGE = 1000;

/** Actions that are about a report (a failed sign-in names what was typed, which could look like an id). */
const REPORT_ACTION = /^(report|attachment)\./;

const historyQuery = z.object({
  afterSeq: z.string().regex(/^\d{1,15}$/, 'afterSeq must be a sequence number').optional(),
  limit: z.coerce.number().int().min(1).max(MAX_HISTORY_PAGE).default(MAX_HISTORY_PAGE),
}).strict();

export const historyEventOut = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  /** The username behind a `user:` actor, or null (another kind of actor, or a deleted user). */
  actorName: z.string().nullable(),
  action: z.string(),
  details: z.unknown(),
});

export async function caseExportRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;
  const reader = app.requireUser('admin', 'reviewer');

  app.get('/api/reports/:id/history', {
    onRequest: reader,
    schema: {
      summary: 'The report\'s events from the audit trail (received, triage, messages, notes, keys, views, downloads, exports), oldest first; page with afterSeq',
      params: reportParams,
      querystring: historyQuery,
      response: { 200: z.object({ events: z.array(historyEventOut), nextAfterSeq: z.string().nullable() }), ...readErrors(404) },
    },
  }, async (request) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const q = request.query;
    const events = repos.audit.list({
      target: report.id, limit: q.limit, ...(q.afterSeq !== undefined ? { afterSeq: Number(q.afterSeq) } : {}),
    });
    const names = new Map<string, string | null>();
    const nameOf = (who: string): string | null => {
      if (!who.startsWith('user:')) return null;
      if (!names.has(who)) names.set(who, repos.users.byId(who.slice(5))?.username ?? null);
      return names.get(who)!;
    };
    return {
      // Paging follows the trail, not the filtered list: a full page means there may be more.
      nextAfterSeq: events.length === q.limit ? String(events.at(-1)!.seq) : null,
      events: events.filter((e) => REPORT_ACTION.test(e.action)).map((e) => ({
        seq: e.seq, at: e.at, actor: e.actor, actorName: nameOf(e.actor), action: e.action, details: e.details,
      })),
    };
  });

  app.post('/api/reports/:id/exports', {
    onRequest: reader,
    bodyLimit: 1024,
    schema: {
      summary: 'Record that the caller is exporting the case (the console calls it before it fetches the files); audited as report.export',
      params: reportParams,
      body: z.object({}).strict(),
      response: { 201: z.object({ at: z.string() }), ...writeErrors(404) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const at = iso(clock.now());
    services.audit({ actor: actor(me.user), action: 'report.export', target: report.id, details: { via: 'console' } });
    return reply.code(201).send({ at });
  });
}
