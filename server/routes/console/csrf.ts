// Cross-site request forgery defences for console mutations, on top of the SameSite=Strict cookie:
// a form cannot send application/json, and a browser names a foreign page in Origin/Sec-Fetch-Site.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { HttpError } from '../../errors.js';

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The only body type console mutations take (no console route takes raw bytes). */
const ALLOWED_TYPES = new Set(['application/json']);

export const csrfRefused = () => new HttpError(403, 'SBX_CSRF', 'This request came from another site and was refused');

/**
 * onRequest hook: refuses a mutation before its body is read or anything changes. The console's
 * own origin is the request's; behind a TLS proxy that Fastify is not told to trust, the request
 * looks like plain http, so the configured console address counts as well.
 */
export function csrfGuard(config: Pick<Config, 'consoleUrl'>) {
  const configured = config.consoleUrl ? new URL(config.consoleUrl).origin : undefined;
  return async (request: FastifyRequest): Promise<void> => {
    if (!MUTATIONS.has(request.method)) return;
    const origin = request.headers.origin;
    // Without this check a page on another origin could still post JSON through a CORS preflight
    // misconfiguration or a same-site subdomain; the browser tells us which page sent it.
    if (origin !== undefined && origin !== `${request.protocol}://${request.headers.host}` && origin !== configured) throw csrfRefused();
    // The console's own page fetches same-origin; another site, even a sibling (same-site) one such
    // as the reporting page on the same domain, never sends a change here.
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') throw csrfRefused();
    const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    // Forms (urlencoded, multipart, text/plain) are the one cross-site POST a browser sends without
    // asking first; refusing every other type refuses them all.
    if (!type || !ALLOWED_TYPES.has(type)) {
      throw new HttpError(415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'Console changes must be sent as application/json');
    }
  };
}
