// POST /api/reports/:id/retention: keep a closed report past its deletion date, with a reason. The
// reason is an internal note encrypted in the reviewer's browser under the internal key, stored
// with the other notes; the audit event says who extended which report from when to when, and
// names the note, never what it says.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fromB64u } from '../../../crypto/index.js';
import { HttpError, invalid } from '../../errors.js';
import { DAY_MS, deleteAtOf, MAX_EXTENSION_DAYS } from '../../retention.js';
import { MAX_BUCKET, parseSealed, sealedObject } from '../../schemas.js';
import type { Services } from '../../services.js';
import { addMs, iso } from '../../time.js';
import { listItem, listItemOut, reportOf, reportParams } from './report-access.js';
import { actor, writeErrors } from './schemas.js';
import { signedIn } from './session.js';

const noteBody = sealedObject(MAX_BUCKET.note);

const extendBody = z.object({
  /** A calendar day (UTC): the report is kept until that day begins, and deleted from then on. */
  retainUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'retainUntil must be a date, YYYY-MM-DD'),
  /** The reason, as an internal note ({nonce, ciphertext} under the internal key). */
  note: z.unknown(),
}).strict();

/** `2027-06-30` → `2027-06-30T00:00:00.000Z`, or undefined for a day that does not exist. */
function startOfDay(day: string): string | undefined {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(ms)) return undefined;
  const at = new Date(ms).toISOString();
  // Date.parse rolls 2027-02-30 over to March; the round trip catches it.
  return at.slice(0, 10) === day ? at : undefined;
}

export async function retentionRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repos, clock } = services;

  app.post('/api/reports/:id/retention', {
    // The same people who may triage the report: administrators and reviewers, members of its channel.
    onRequest: app.requireUser('admin', 'reviewer'),
    bodyLimit: 128 * 1024,
    schema: {
      summary: 'Keep a closed report until a later day ({retainUntil: "YYYY-MM-DD", note: {nonce, ciphertext}}); the note, under the internal key, gives the reason',
      params: reportParams,
      body: extendBody,
      response: {
        200: z.object({ report: listItemOut, note: z.object({ id: z.string(), createdAt: z.string() }) }),
        ...writeErrors(404, 409),
      },
    },
  }, async (request) => {
    const me = signedIn(request);
    const report = reportOf(services, me, request.params.id);
    const note = parseSealed(noteBody, request.body.note, 'note', '64 KiB');
    const until = startOfDay(request.body.retainUntil);
    if (until === undefined) throw invalid('retainUntil is not a day of the calendar');
    const now = clock.now();
    const rules = repos.channels.rules(report.channelId)!;
    const current = deleteAtOf(report, rules);
    if (current === null) throw new HttpError(409, 'SBX_NOT_CLOSED', 'Only a closed report is deleted, so only a closed report can be kept longer');
    if (until <= current || until <= iso(now)) {
      throw invalid(`retainUntil must be after the current deletion date, ${current.slice(0, 10)}, and after today`);
    }
    if (until > iso(addMs(now, MAX_EXTENSION_DAYS * DAY_MS))) throw invalid(`retainUntil may be at most ${MAX_EXTENSION_DAYS} days ahead; extend again later`);

    const at = iso(now);
    const { updated, added } = services.db.transaction(() => {
      const added = repos.notes.add({
        reportId: report.id, authorUserId: me.user.id, createdAt: at,
        nonce: Buffer.from(fromB64u(note.nonce)), ciphertext: Buffer.from(fromB64u(note.ciphertext)),
      });
      const updated = repos.reports.updateTriage(report.id, { retainUntil: until }, at)!;
      services.audit({
        actor: actor(me.user), action: 'report.retention_extended', target: report.id,
        details: { channelId: report.channelId, from: current, to: until, noteId: added.id },
      });
      return { updated, added };
    });
    return { report: listItem(services, updated, me.user.id), note: { id: added.id, createdAt: added.createdAt } };
  });
}
