// GET /api/openapi.json on the console: both APIs' OpenAPI documents, generated from the route
// schemas, for case-management systems to integrate with. Registered by app.ts beside both apps'
// routes, which hands it the way to read the reporter app's document (so nothing here imports
// app.ts, and no route module imports the app that registers it).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

export async function openApiRoutes(app: FastifyInstance, { buildReporterDoc }: { buildReporterDoc: () => Promise<unknown> }): Promise<void> {
  let reporterDoc: Promise<unknown> | undefined;

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
