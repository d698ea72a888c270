// The reporter API (PROTOCOL.md §5): no cookies, no accounts; a receipt token proves a report.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { attachmentRoutes } from './attachments.js';
import { channelRoutes } from './channels.js';
import { followupRoutes } from './followup.js';
import { submissionRoutes } from './submissions.js';

export async function reporterRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  // A global ceiling on everything the reporter app does: a flood answers 429, not a slow death.
  app.addHook('onRequest', async () => services.limits.reporterGlobal.take());
  // The reporter app never sets a cookie: nothing may link two visits of one reporter.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.removeHeader('set-cookie');
    return payload;
  });
  // Uploads are streamed: the body reaches the handler unread, as the request stream.
  app.addContentTypeParser(['application/octet-stream', 'application/offset+octet-stream'], (_request, payload, done) => done(null, payload));
  await app.register(channelRoutes, { services });
  await app.register(submissionRoutes, { services });
  await app.register(followupRoutes, { services });
  await app.register(attachmentRoutes, { services });
}
