// Requests to the console API, from the page and from its worker alike. The session cookie goes
// along (same origin only); every change is sent as JSON, `{}` when it has nothing to say, because
// the server refuses any other body type (its CSRF defence). Failures are typed: ApiError carries
// the server's SBX_ code, NetworkError means no answer came.

import { fetchChecked, type Http } from '../shared/http.js';

export { ApiError, NetworkError, type Http } from '../shared/http.js';

export const browserHttp = (): Http => ({ fetch: (input, init) => fetch(input, init), base: '' });

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** Sends a request; any status but 2xx becomes an ApiError with the server's code. */
export async function send(http: Http, method: Method, path: string, json?: unknown): Promise<Response> {
  const mutation = method !== 'GET';
  return fetchChecked(http, path, {
    method,
    headers: mutation ? { 'content-type': 'application/json' } : {},
    body: mutation ? JSON.stringify(json ?? {}) : null,
    credentials: 'same-origin',
  });
}

export async function api<T>(http: Http, method: Method, path: string, json?: unknown): Promise<T> {
  const res = await send(http, method, path, json);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** A query string from the defined, non-empty values (`?a=1&b=x`), or ''. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}
