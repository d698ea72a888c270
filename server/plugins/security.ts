// Response headers for both apps: a strict CSP and the isolation headers, set explicitly.
//
// helmet computes them once, at start-up, and a hook copies them onto every reply. (The
// @fastify/helmet plugin calls helmet anew for every request, re-parsing the whole CSP each time:
// 6 % of the server's CPU under load, for headers that never change.)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

export interface SecurityOptions {
  /** Onion-Location for the reporting page when the instance has an onion address. */
  onionUrl?: string;
}

/** The headers helmet sets for `options`, collected from one call against a stand-in response. */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

export const security = fp<SecurityOptions>(async (app: FastifyInstance, opts) => {
  const headers = helmetHeaders({
    // Every directive is named: helmet's defaults would allow https: styles and fonts, inline
    // styles and upgrade-insecure-requests (which breaks the plain-http onion address).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        // 'wasm-unsafe-eval' is exactly what libsodium.js needs to compile its WebAssembly; without
        // it libsodium aborts. No 'unsafe-eval', no 'unsafe-inline', no other origin.
        scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
        workerSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'blob:', 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        frameSrc: ["'none'"],
        manifestSrc: ["'self'"],
      },
    },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: { policy: 'require-corp' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only means something over HTTPS, which a reverse proxy adds; on an onion it is ignored.
    strictTransportSecurity: { maxAge: 63072000, includeSubDomains: true },
    xFrameOptions: { action: 'deny' },
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(headers);
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), interest-cohort=()');
    // API answers are never cached: not by the browser, not by a proxy, not in the back/forward cache.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    if (opts.onionUrl && !request.url.startsWith('/api/')) reply.header('onion-location', opts.onionUrl);
    return payload;
  });
}, { name: 'sealbox-security' });
