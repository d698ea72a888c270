// Requests to the reporter API with typed failures: ApiError carries the server's SBX_ code, a
// NetworkError means no answer came (offline, a dropped Tor circuit), CancelledError that the
// reporter stopped it. No cookies are ever sent: credentials are omitted on every request.

import { fetchChecked, NetworkError, type Http } from '../../shared/http.js';

export { ApiError, NetworkError, type Http } from '../../shared/http.js';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export interface RequestOptions {
  json?: unknown;
  body?: Uint8Array | Blob;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Sends a request; any status but 2xx becomes an ApiError with the server's code. */
export async function request(http: Http, method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.body) {
    body = options.body instanceof Blob ? options.body : options.body as Uint8Array<ArrayBuffer>;
  }
  return fetchChecked(http, path, { method, headers, body, signal: options.signal ?? null, credentials: 'omit' },
    (error) => (options.signal?.aborted ? new CancelledError() : new NetworkError(error.message)));
}

export async function getJson<T>(http: Http, path: string, headers?: Record<string, string>): Promise<T> {
  return (await request(http, 'GET', path, headers ? { headers } : {})).json() as Promise<T>;
}

export async function postJson<T>(http: Http, path: string, json: unknown, headers?: Record<string, string>): Promise<T> {
  return (await request(http, 'POST', path, headers ? { json, headers } : { json })).json() as Promise<T>;
}
