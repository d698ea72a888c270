// GET /api/roster/awaiting: who awaits approval in the caller's channels, and where the caller
// awaits it (PROTOCOL.md §9). The console computes each fingerprint from the keys listed here and
// signs the approval in its worker; this list only says whom to show.
import type { ZodTypeProvider } from '@fastify/type-provider-zod';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { awaitingOut } from '../../../domain/api.js';
import { awaitingFor } from '../../approvals.js';
import { forbidden } from '../../errors.js';
import type { Services } from '../../services.js';
import { readErrors } from './schemas.js';
import { signedIn } from './session.js';

export async function approvalRoutes(root: FastifyInstance, { services }: { services: Services }): Promise<void> {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get('/api/roster/awaiting', {
    onRequest: app.requireUser('admin', 'reviewer'),
    schema: {
      summary: 'Members awaiting approval in the caller\'s channels (scope=all: every channel, for administrators approving with the recovery secret), and the channels where the caller awaits it',
      querystring: z.object({ scope: z.enum(['mine', 'all']).optional() }).strict(),
      response: { 200: awaitingOut, ...readErrors() },
    },
  }, async (request) => {
    const me = signedIn(request);
    const everywhere = request.query.scope === 'all';
    // Every channel's newcomers, for the recovery secret's page: the administrators' view only.
    if (everywhere && !me.user.roles.includes('admin')) throw forbidden();
    return awaitingFor(services, me.user, me.channelIds, everywhere);
  });
}
