// GET /api/openapi.json: both APIs' OpenAPI documents, generated from the route schemas, for
// case-management systems to integrate with.
import type { FastifyInstance } from 'fastify';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { Services } from '../../services.js';

export async function openApiRoutes(app: FastifyInstance, { services }: { services: Services }): Promise<void> {
  let reporterDoc: Promise<unknown> | undefined;

  /** The reporter app's document, from an instance that is built, read and closed, once. */
  async function buildReporterDoc(): Promise<unknown> {
    // Imported here: app.ts imports the console routes, so a static import would be a cycle.
    const { buildApp } = await import('../../app.js');
    // Its log is dropped: this instance never serves a request.
    const reporter = await buildApp('reporter', services, { logStream: new PassThrough().resume() });
    try {
      await reporter.ready();
      return reporter.swagger();
    } finally {
      await reporter.close();
    }
  }

  app.get('/api/openapi.json', {
    schema: { hide: true, response: { 200: z.object({ reporter: z.unknown(), console: z.unknown() }) } },
  }, async () => {
    reporterDoc ??= buildReporterDoc().catch((error: unknown) => {
      reporterDoc = undefined;
      throw error;
    });
    return { reporter: await reporterDoc, console: app.swagger() };
  });
}
