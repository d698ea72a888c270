// Requests to the console API, from the page and from its worker alike. The session cookie goes
// along (same origin only); every change is sent as JSON, `{}` when it has nothing to say, because
// the server refuses any other body type (its CSRF defence). Failures are typed: ApiError carries
// the server's SBX_ code, NetworkError means no answer came.

export interface Http {
  fetch: typeof fetch;
  /** '' in the browser (same origin); `http://127.0.0.1:port` in Node tests. */
  base: string;
}

export const browserHttp = (): Http => ({ fetch: (input, init) => fetch(input, init), base: '' });

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

export class NetworkError extends Error {
  constructor(message = 'the server could not be reached') {
    super(message);
    this.name = 'NetworkError';
  }
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** Sends a request; any status but 2xx becomes an ApiError with the server's code. */
export async function send(http: Http, method: Method, path: string, json?: unknown): Promise<Response> {
  const mutation = method !== 'GET';
  let res: Response;
  try {
    res = await http.fetch(`${http.base}${path}`, {
      method,
      headers: mutation ? { 'content-type': 'application/json' } : {},
      body: mutation ? JSON.stringify(json ?? {}) : null,
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    throw new NetworkError((error as Error).message);
  }
  if (res.ok) return res;
  let code = 'SBX_HTTP_ERROR';
  let message = `HTTP ${res.status}`;
  try {
    const err = (await res.json()) as { code?: unknown; message?: unknown };
    if (typeof err.code === 'string') code = err.code;
    if (typeof err.message === 'string') message = err.message;
  } catch {
    // Not our JSON error (a proxy's page): the status says enough.
  }
  throw new ApiError(res.status, code, message);
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
