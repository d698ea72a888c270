// The app builder: one shape for the reporter app and the console app. Tests register it and use
// `inject`; server.ts listens. Plugins load in a fixed order: ecosystem, our own, then routes.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from '@fastify/type-provider-zod';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { PassThrough, type Writable } from 'node:stream';
import { loggerOptions, requestLog } from './logger.js';
import { openApiRoutes } from './openapi.js';
import { errors } from './plugins/errors.js';
import { security } from './plugins/security.js';
import { staticPages } from './plugins/static-pages.js';
import { consoleRoutes } from './routes/console/index.js';
import { reporterPolicy, reporterRoutes } from './routes/reporter/index.js';
import type { Services } from './services.js';

export type AppKind = 'reporter' | 'console';

export interface AppOptions {
  /** Where the request log goes (tests capture it); default stdout. */
  logStream?: Writable;
  /** Serve the built browser pages from this folder (omit in API tests). */
  pagesDir?: string;
}

export type App = FastifyInstance & { withTypeProvider<T extends ZodTypeProvider>(): FastifyInstance };

export async function buildApp(kind: AppKind, services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(services.config.logLevel, options.logStream),
    // Our own one-line log (logger.ts) replaces Fastify's, which records URLs and addresses.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: services.config.trustProxy,
    // 1 MiB for JSON unless a route says otherwise; uploads are streams with their own limits.
    bodyLimit: 1 << 20,
    routerOptions: { maxParamLength: 200 },
    // Reporter request ids would be a needless correlator; the console has no use for them either.
    genReqId: () => '-',
    // A client that stops sending mid-request (a stalled upload over Tor) is cut off rather than
    // holding its upload's lock forever; 5 minutes lets an 8 MiB piece through at ~30 KB/s.
    requestTimeout: 5 * 60 * 1000,
    // A malformed URL or an over-long path parameter never reaches a route, and Fastify would answer
    // it raw (no security headers, the path quoted back, no log line). Routed again to a path with
    // no route, it gets every hook, the request log and the JSON 404.
    frameworkErrors: (_error, request, reply) => {
      request.raw.url = '/api/invalid-url';
      app.routing(request.raw, reply.raw);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(swagger, {
    openapi: {
      info: {
        title: kind === 'reporter' ? 'Sealbox reporter API' : 'Sealbox console API',
        description: 'Sealbox protocol v1 (PROTOCOL.md §5–§6). Every binary value is base64url without padding.',
        version: '1.0.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  if (kind === 'console') await app.register(cookie);
  await app.register(security, services.config.onionUrl && kind === 'reporter' ? { onionUrl: services.config.onionUrl } : {});
  await app.register(errors);
  requestLog(app);
  // At the root, so that the pages and /api/page-settings are covered as well as the API.
  if (kind === 'reporter') await app.register(reporterPolicy, { services });

  app.get('/api/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  if (kind === 'reporter') await app.register(reporterRoutes, { services });
  else {
    await app.register(consoleRoutes, { services });
    await app.register(openApiRoutes, { buildReporterDoc: () => reporterDocument(services) });
  }
  if (options.pagesDir) await app.register(staticPages, { root: options.pagesDir, kind, settings: services.repos.settings });
  return app;
}

/** The reporter app's OpenAPI document, from an instance that is built, read and closed. */
async function reporterDocument(services: Services): Promise<unknown> {
  // Its log is dropped: this instance never serves a request.
  const reporter = await buildApp('reporter', services, { logStream: new PassThrough().resume() });
  try {
    await reporter.ready();
    return reporter.swagger();
  } finally {
    await reporter.close();
  }
}
