// The reporter API (PROTOCOL.md §5): no cookies, no accounts; a receipt token proves a report.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Services } from '../../services.js';
import { attachmentRoutes } from './attachments.js';
import { channelRoutes } from './channels.js';
import { followupRoutes } from './followup.js';
import { submissionRoutes } from './submissions.js';
import { rosterReadRoutes } from '../roster.js';

/** Rules for everything the reporter app answers, pages included. */
export const reporterPolicy = fp<{ services: Services }>(async (app, { services }) => {
  // A global ceiling on everything the reporter app does: a flood answers 429, not a slow death.
  app.addHook('onRequest', async () => services.limits.reporterGlobal.take());
  // The reporter app never sets a cookie: nothing may link two visits of one reporter.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.removeHeader('set-cookie');
    return payload;
  });
}, { name: 'sealbox-reporter-policy' });

export async function reporterRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // The global ceiling and the no-cookie rule are reporterPolicy, registered by app.ts at the root.
  // JSON, and nothing else, on the JSON routes: a text/plain body (what a cross-site form may send
  // without a preflight) is 415, not parsed into a string. The upload routes add their own stream
  // parsers in their own scope (attachments.ts), so an octet-stream is refused everywhere else.
  app.removeContentTypeParser('text/plain');
  await app.register(channelRoutes, { services });
  await app.register(submissionRoutes, { services });
  await app.register(followupRoutes, { services });
  await app.register(attachmentRoutes, { services });
  await app.register(rosterReadRoutes, { services });
}
