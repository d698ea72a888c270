// The security headers on every response of the reporter app: a strict CSP set directive by
// directive, the isolation headers, no-store on the API, no cookie, Onion-Location on pages only.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import t, { type Test } from 'tap';
import { randomBytes, toB64u } from '../../../crypto/index.js';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from '@fastify/type-provider-zod';
import { buildApp } from '../../../server/app.js';
import { errors } from '../../../server/plugins/errors.js';
import { security } from '../../../server/plugins/security.js';
import { reporterPolicy, reporterRoutes } from '../../../server/routes/reporter/index.js';
import { setup, submitted, type Res, type Setup } from '../routes/reporter-fixtures.js';

const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "manifest-src 'self'",
].join(';');

function checkHeaders(t: Test, res: Res, what: string, api: boolean): void {
  const h = res.headers;
  t.equal(h['content-security-policy'], CSP, `${what}: the CSP, exactly`);
  const csp = String(h['content-security-policy']);
  t.notMatch(csp, /upgrade-insecure-requests/, `${what}: no upgrade-insecure-requests (the onion is plain http)`);
  t.notMatch(csp, /https:|http:|\*|unsafe-inline|'unsafe-eval'/, `${what}: no scheme or wildcard source, no unsafe-inline or unsafe-eval`);
  t.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  t.equal(h['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
  t.equal(h['cross-origin-resource-policy'], 'same-origin', `${what}: CORP`);
  t.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  t.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  t.equal(h['permissions-policy'], 'camera=(), microphone=(), geolocation=(), interest-cohort=()', `${what}: Permissions-Policy`);
  t.notOk('set-cookie' in h, `${what}: no cookie`);
  if (api) t.equal(h['cache-control'], 'no-store', `${what}: Cache-Control no-store`);
  t.notOk('x-powered-by' in h, `${what}: no X-Powered-By`);
}

/** One request of every kind the reporter app answers, successes and errors. */
async function everyRequest(s: Setup): Promise<[string, Res][]> {
  const { app } = s;
  const r = await submitted(t, app);
  const d = await r.declareAttachment('a.txt', 'text/plain', new Uint8Array(100));
  const url = `/api/followup/attachments/${d.attachmentId}`;
  const out: [string, Res][] = [];
  const add = async (what: string, res: Promise<Res>) => out.push([what, await res]);
  await add('GET /api/channels', app.inject({ method: 'GET', url: '/api/channels' }));
  await add('GET /api/health', app.inject({ method: 'GET', url: '/api/health' }));
  await add('POST /api/submissions 201', app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId: 'staff' } }));
  await add('POST /api/submissions 404', app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId: 'nope' } }));
  await add('POST /api/reports 400', app.inject({ method: 'POST', url: '/api/reports', payload: {} }));
  await add('POST /api/reports 415', app.inject({ method: 'POST', url: '/api/reports', payload: 'x', headers: { 'content-type': 'text/plain' } }));
  await add('POST /api/reports bad JSON', app.inject({ method: 'POST', url: '/api/reports', payload: '{', headers: { 'content-type': 'application/json' } }));
  await add('POST /api/submissions 413', app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId: 'x'.repeat(2000) } }));
  await add('GET /api/followup 200', r.followup());
  await add('GET /api/followup 400', app.inject({ method: 'GET', url: '/api/followup' }));
  await add('GET /api/followup 404', app.inject({ method: 'GET', url: '/api/followup', headers: { authorization: `Receipt ${toB64u(randomBytes(32))}` } }));
  await add('POST /api/followup/messages 201', r.sendMessage('hello'));
  await add('POST /api/followup/attachments 201', Promise.resolve(d.res));
  await add('HEAD attachment 204', app.inject({ method: 'HEAD', url, headers: r.auth }));
  await add('PATCH attachment 204', app.inject({ method: 'PATCH', url, headers: { ...r.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: Buffer.from(d.stream.subarray(0, 10)) }));
  await add('PATCH attachment 409', app.inject({ method: 'PATCH', url, headers: { ...r.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: Buffer.from(d.stream.subarray(0, 10)) }));
  await add('PUT attachment 409', app.inject({ method: 'PUT', url, headers: { ...r.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(d.stream) }));
  await add('unknown API route', app.inject({ method: 'GET', url: '/api/nope?x=1' }));
  await add('API with a query string', app.inject({ method: 'GET', url: '/api/channels?lang=fr' }));
  const limiter = s.services.limits.submissions;
  for (;;) {
    try {
      limiter.take();
    } catch {
      break;
    }
  }
  await add('POST /api/submissions 429', app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId: 'staff' } }));
  return out;
}

t.test('every reporter API response carries the security headers and no cookie', async (t) => {
  const s = await setup(t);
  const responses = await everyRequest(s);
  t.same(responses.find(([w]) => w.endsWith('429'))![1].statusCode, 429);
  for (const [what, res] of responses) {
    checkHeaders(t, res, what, true);
    t.notOk('onion-location' in res.headers, `${what}: no Onion-Location without an onion address`);
    t.ok(res.statusCode < 500, `${what}: ${res.statusCode}`);
  }
  const page = await s.app.inject({ method: 'GET', url: '/' });
  checkHeaders(t, page, 'GET / (no pages)', false);
});

t.test('Onion-Location: on pages only, and only when the onion address is configured', async (t) => {
  const onion = 'http://sealboxexampleonionaddressxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.onion/';
  const s = await setup(t, { onionUrl: onion });
  const pages = join(s.inst.dir, 'pages');
  mkdirSync(join(pages, 'assets'), { recursive: true });
  writeFileSync(join(pages, 'index.html'), '<!doctype html><title>Report</title>');
  writeFileSync(join(pages, 'assets', 'app-1234.js'), 'console.log(1)');
  const app = await buildApp('reporter', s.services, { logStream: s.inst.log, pagesDir: pages });
  t.teardown(() => app.close());

  const index = await app.inject({ method: 'GET', url: '/' });
  t.equal(index.statusCode, 200);
  checkHeaders(t, index, 'GET /', false);
  t.equal(index.headers['onion-location'], onion, 'the page names the onion address');
  t.equal(index.headers['cache-control'], 'no-store', 'the page is never cached');
  const script = await app.inject({ method: 'GET', url: '/assets/app-1234.js' });
  t.equal(script.statusCode, 200);
  t.equal(script.headers['onion-location'], onion);
  t.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable', 'hashed bundles are immutable');
  checkHeaders(t, script, 'GET /assets/app-1234.js', false);
  const missing = await app.inject({ method: 'GET', url: '/nothing-here' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.headers['onion-location'], onion);
  for (const url of ['/.env', '/assets/']) {
    const res = await app.inject({ method: 'GET', url });
    t.ok([403, 404].includes(res.statusCode), `${url}: no dot files, no listing (${res.statusCode})`);
    t.match(res.json(), { statusCode: res.statusCode, code: /^SBX_/, error: String, message: String });
    checkHeaders(t, res, url, false);
  }

  for (const url of ['/api/channels', '/api/health', '/api/nope', '/api/followup']) {
    const res = await app.inject({ method: 'GET', url });
    t.notOk('onion-location' in res.headers, `${url}: no Onion-Location on the API`);
    checkHeaders(t, res, url, true);
  }
  // The console app never advertises the reporter's onion address.
  const consoleApp = await s.inst.app('console');
  const c = await consoleApp.inject({ method: 'GET', url: '/' });
  t.notOk('onion-location' in c.headers, 'the console app has no Onion-Location');
});

t.test('the reporter app strips a cookie, whoever set it before', async (t) => {
  const s = await setup(t);
  // A careless plugin registered before the routes sets a cookie on everything.
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('set-cookie', 'tracker=1');
    return payload;
  });
  await app.register(errors);
  app.get('/outside', async () => 'not a reporter route');
  await app.register(reporterPolicy, { services: s.services });
  await app.register(reporterRoutes, { services: s.services });
  t.teardown(() => app.close());
  t.notOk('set-cookie' in (await app.inject({ method: 'GET', url: '/outside' })).headers, 'stripped outside the API too (pages)');
  const control = Fastify();
  control.addHook('onSend', async (_req, reply, payload) => {
    reply.header('set-cookie', 'tracker=1');
    return payload;
  });
  control.get('/outside', async () => 'x');
  t.equal((await control.inject({ method: 'GET', url: '/outside' })).headers['set-cookie'], 'tracker=1', 'the careless hook does set it (control)');
  const r = await submitted(t, app);
  for (const res of [await app.inject({ method: 'GET', url: '/api/channels' }), await r.followup(), await r.sendMessage('x'), await app.inject({ method: 'POST', url: '/api/submissions', payload: {} })]) {
    t.notOk('set-cookie' in res.headers, `no Set-Cookie (${res.statusCode})`);
  }
});

t.test('the security plugin alone: headers, and no Onion-Location when none is given', async (t) => {
  const app = Fastify();
  await app.register(security, {});
  app.get('/page', async () => 'page');
  app.get('/api/x', async () => ({ ok: true }));
  t.teardown(() => app.close());
  const page = await app.inject({ method: 'GET', url: '/page' });
  checkHeaders(t, page, '/page', false);
  t.notOk('onion-location' in page.headers);
  t.notOk('cache-control' in page.headers, 'pages leave caching to the static plugin');
  checkHeaders(t, await app.inject({ method: 'GET', url: '/api/x' }), '/api/x', true);
  t.equal((await app.inject({ method: 'GET', url: '/api/x' })).headers['strict-transport-security'], 'max-age=63072000; includeSubDomains');
});
