// The one error type routes throw: a status, a stable SBX_ code (domain/errors.ts) and a message safe to show.
import type { ErrorCode } from '../domain/errors.js';

export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: ErrorCode;
  /** Extra response headers (Retry-After on 429). */
  readonly headers: Record<string, string>;
  constructor(statusCode: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

export const invalid = (message: string) => new HttpError(400, 'SBX_INVALID_REQUEST', message);
export const notFound = (code: ErrorCode = 'SBX_NOT_FOUND', message = 'Not found') => new HttpError(404, code, message);
export const forbidden = (message = 'You do not have access to this') => new HttpError(403, 'SBX_FORBIDDEN', message);
export const rateLimited = (retryAfterSeconds: number) =>
  new HttpError(429, 'SBX_RATE_LIMITED', 'Too many requests; try again later', { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });

/** Reason phrases for the `error` field, as Fastify writes them. */
export const reasonPhrase: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 423: 'Locked',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable', 507: 'Insufficient Storage',
};
