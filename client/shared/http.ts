// What both pages share about talking to their API: where requests go, the typed failures (an
// ApiError carries the server's SBX_ code, a NetworkError means no answer came), and the one fetch
// that turns a non-2xx answer into an ApiError.

export interface Http {
  fetch: typeof fetch;
  /** '' in the browser (same origin); `http://127.0.0.1:port` in Node tests. */
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

/**
 * Fetches `path` and returns a 2xx answer; any other status becomes an ApiError with the server's
 * code and message. A request that gets no answer becomes what `failed` makes of the error (a
 * NetworkError unless the caller knows better, e.g. that it was cancelled).
 */
export async function fetchChecked(http: Http, path: string, init: RequestInit, failed: (error: Error) => Error = (e) => new NetworkError(e.message)): Promise<Response> {
  let res: Response;
  try {
    res = await http.fetch(`${http.base}${path}`, { cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer', ...init });
  } catch (error) {
    throw failed(error as Error);
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
