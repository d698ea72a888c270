// Requests to the reporter API with typed failures: ApiError carries the server's SBX_ code, a
// NetworkError means no answer came (offline, a dropped Tor circuit), CancelledError that the
// reporter stopped it. No cookies are ever sent: credentials are omitted on every request.

export interface Http {
  fetch: typeof fetch;
  /** '' in the page (same origin); `http://127.0.0.1:port` in Node tests. */
  base: string;
}

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
  let res: Response;
  try {
    res = await http.fetch(`${http.base}${path}`, {
      method, headers, body, signal: options.signal ?? null, credentials: 'omit', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError();
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

export async function getJson<T>(http: Http, path: string, headers?: Record<string, string>): Promise<T> {
  return (await request(http, 'GET', path, headers ? { headers } : {})).json() as Promise<T>;
}

export async function postJson<T>(http: Http, path: string, json: unknown, headers?: Record<string, string>): Promise<T> {
  return (await request(http, 'POST', path, headers ? { json, headers } : { json })).json() as Promise<T>;
}
