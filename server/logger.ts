// The request log: method, route pattern, status and duration. Nothing else, ever: no address,
// port, user agent, header, query string, body, cookie or token (DESIGN.md, threat model).
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Writable } from 'node:stream';

export function loggerOptions(level: string, stream?: Writable): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    // Fastify's default serializers would add the remote address and port, the host and the URL.
    serializers: {
      req: () => ({}),
      res: () => ({}),
    },
    base: undefined,
    // No timestamps: a log line timed to the millisecond would date a submission far more
    // precisely than the hour the database keeps. The log's order is its only clock.
    timestamp: false,
  } as FastifyServerOptions['logger'];
}

/** Logs one line per response from the route pattern (`/api/reports/:id`), never the URL. */
export function requestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({
      method: request.method,
      route: request.routeOptions.url ?? '(no route)',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    }, 'request');
  });
}
