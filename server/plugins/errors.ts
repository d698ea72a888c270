// One error handler for both apps: `{statusCode, code, error, message}` with a stable SBX_ code;
// the message for 4xx, a bare "Internal Server Error" for anything unexpected.
import { hasZodFastifySchemaValidationErrors } from '@fastify/type-provider-zod';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { DomainError } from '../../domain/errors.js';
import { HttpError, reasonPhrase } from '../errors.js';
import { errorCode, operationalError } from '../operational-errors.js';

/** Fastify's own 4xx errors, mapped to the protocol's codes. */
const fastifyCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'SBX_TOO_LARGE', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'Send application/json (or the octet-stream type the endpoint names)'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'SBX_INVALID_JSON', 'The body is empty'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'SBX_INVALID_JSON', 'The body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'SBX_INVALID_REQUEST', 'Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'SBX_INVALID_REQUEST', 'The Content-Type header is invalid'],
  FST_ERR_VALIDATION: [400, 'SBX_INVALID_REQUEST', 'The request does not match the schema'],
  FST_ERR_BAD_URL: [400, 'SBX_INVALID_REQUEST', 'The URL is invalid'],
  FST_ERR_ASYNC_CONSTRAINT: [400, 'SBX_INVALID_REQUEST', 'The request is invalid'],
};

export function errorBody(statusCode: number, code: string, message: string) {
  return { statusCode, code, error: reasonPhrase[statusCode] ?? 'Error', message };
}

export const errors = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError | HttpError | DomainError, request, reply) => {
    // A broken domain rule: its code says which, the domain's table says how HTTP carries it.
    if (err instanceof DomainError) return reply.code(err.statusCode).send(errorBody(err.statusCode, err.code, err.message));
    if (err instanceof HttpError) {
      // A 5xx the code chose (a full disk, a channel with no recipients) is for the operator to see.
      if (err.statusCode >= 500) request.log.warn({ code: err.code }, 'operational error');
      reply.headers(err.headers);
      return reply.code(err.statusCode).send(errorBody(err.statusCode, err.code, err.message));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issue = err.validation[0];
      const where = issue ? `${err.validationContext ?? 'body'}${issue.instancePath.replace(/\//g, '.')}` : 'request';
      // The message names the field and the rule, never the value sent (it may be a secret).
      const message = `${where}: ${issue?.message ?? 'invalid'}`;
      return reply.code(400).send(errorBody(400, 'SBX_INVALID_REQUEST', message));
    }
    // A locked database or a full disk: 503 or 507, logged for the operator (name and code only).
    const operational = operationalError(err);
    if (operational) {
      request.log.warn({ errName: err.name, errCode: errorCode(err), code: operational.code }, 'operational error');
      reply.headers(operational.headers);
      return reply.code(operational.statusCode).send(errorBody(operational.statusCode, operational.code, operational.message));
    }
    const mapped = err.code ? fastifyCodes[err.code] : undefined;
    if (mapped) return reply.code(mapped[0]).send(errorBody(mapped[0], mapped[1], mapped[2]));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody(err.statusCode, 'SBX_INVALID_REQUEST', 'The request is invalid'));
    }
    // Only the error's name and code are logged: messages of library errors may quote input.
    request.log.error({ errName: err.name, errCode: err.code, stack: err.stack?.split('\n').slice(1, 7).join('\n') }, 'unexpected error');
    return reply.code(500).send(errorBody(500, 'SBX_INTERNAL', 'Internal Server Error'));
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody(404, 'SBX_ROUTE_NOT_FOUND', 'No such endpoint'));
  });
}, { name: 'sealbox-errors' });
