// The roster (PROTOCOL.md §9): GET /api/roster on both apps, POST /api/roster on the console. The
// server checks a new entry against every rule before it stores it, so that what it serves always
// verifies; but it cannot make one: each entry is signed in a member's browser, or with the root
// key that only the offline recovery secret gives.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SignedEntry } from '../../crypto/index.js';
import { rosterOut } from '../../domain/api.js';
import { appendRosterEntry } from '../roster.js';
import { errorResponses } from '../schemas.js';
import type { Services } from '../services.js';
import { signedIn } from './console/session.js';

/** One signed entry as a console posts it; the rules, not this shape, decide whether it is taken. */
const signedEntry = z.object({
  entry: z.record(z.string(), z.unknown()).refine((e) => Number.isSafeInteger(e.seq) && (e.seq as number) >= 0, 'entry.seq must be a whole number'),
  sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'sig must be 64 bytes of base64url'),
}).strict();

/** GET /api/roster, on both apps: the reporting page verifies it before it seals a report. */
export async function rosterReadRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/api/roster', {
    schema: { summary: 'The roster: who may read each channel, as signed entries (PROTOCOL.md §9)', response: { 200: rosterOut } },
  }, async () => ({ entries: services.repos.roster.entries() as unknown as z.infer<typeof rosterOut>['entries'] }));
}

/** POST /api/roster, on the console (inside its session scope). */
export async function rosterAppendRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.post('/api/roster', {
    onRequest: app.requireUser('admin', 'reviewer'),
    bodyLimit: 16 * 1024,
    schema: {
      summary: 'Append one signed roster entry; it must extend the roster under every rule of PROTOCOL.md §9',
      body: signedEntry,
      response: { 201: z.object({ seq: z.number().int() }), ...errorResponses(400, 401, 403, 409, 413, 415, 422) },
    },
  }, async (request, reply) => {
    const me = signedIn(request);
    const stored = appendRosterEntry(services, request.body as unknown as SignedEntry, `user:${me.user.id}`);
    return reply.code(201).send({ seq: stored });
  });
}
