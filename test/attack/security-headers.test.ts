// Attack surface in the headers: every kind of answer of both apps (pages, scripts, styles, API
// successes and errors, preflights), checked against the Mozilla HTTP Observatory's tests, with
// the decisions this project made where the Observatory leaves a choice:
//
// - Content-Security-Policy: default-src 'none'; scripts from 'self' only, no 'unsafe-inline' or
//   'unsafe-eval' ('wasm-unsafe-eval' is what libsodium's WebAssembly needs and no more); no inline
//   styles; object-src 'none', base-uri 'none', frame-ancestors 'none', form-action set; no
//   upgrade-insecure-requests (an onion address is plain http).
// - Strict-Transport-Security: sent on every answer, two years with includeSubDomains. Browsers
//   ignore it over plain http (localhost, onion) and keep it once a TLS proxy serves the apps, so
//   nothing depends on the proxy adding it. No preload: that is the operator's call for a domain.
// - X-Content-Type-Options nosniff, X-Frame-Options DENY, Referrer-Policy no-referrer,
//   Cross-Origin-Opener/Resource-Policy same-origin, no CORS header at all, no X-Powered-By.
// - Cookies: the reporter app sets none, ever. The console's one cookie is sbx_session (the name
//   PROTOCOL.md §6 fixes): HttpOnly, SameSite=Strict, Path=/, no Domain, a session cookie, and
//   Secure over HTTPS. It keeps its name rather than take the __Host- prefix over HTTPS: the
//   prefix's guarantees (Secure, Path=/, no Domain) are checked here instead.
// - Pages: same-origin scripts and styles only (so Subresource Integrity has nothing to guard),
//   no inline script, event handler or style attribute. API answers are never cached.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { randomBytes, toB64u } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { loginBody, submitReport } from '../server/routes/console-fixtures.js';
import { makeInstance } from '../helpers/instance.js';
import { fastUser } from './fixtures.js';

/** Six months: the Observatory's minimum for HSTS. */
const HSTS_MIN = 15_768_000;

type Res = LightMyRequestResponse;

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), sources);
  }
  return map;
}

/** What the Observatory (and this project's stricter choices) would fault in one answer's headers. */
function observatoryFaults(res: Res, kind: 'reporter' | 'console', api: boolean): string[] {
  const h = res.headers;
  const faults: string[] = [];
  const csp = h['content-security-policy'];
  if (typeof csp !== 'string') {
    faults.push('no Content-Security-Policy');
  } else {
    const d = directives(csp);
    const src = (name: string) => d.get(name) ?? d.get('default-src') ?? [];
    if (d.get('default-src')?.join(' ') !== "'none'") faults.push(`default-src is not 'none': ${d.get('default-src')?.join(' ')}`);
    for (const name of ['script-src', 'style-src', 'object-src', 'connect-src', 'img-src', 'font-src', 'worker-src', 'frame-src', 'media-src', 'manifest-src']) {
      for (const s of src(name)) {
        if (["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'https:', 'ws:', 'wss:'].includes(s)) faults.push(`${name} allows ${s}`);
        if (/^(https?:)?\/\//.test(s) || /^\*\./.test(s)) faults.push(`${name} allows another origin: ${s}`);
      }
    }
    if (src('script-src').includes('data:') || src('script-src').includes('blob:')) faults.push('script-src allows data: or blob:');
    if (src('object-src').join(' ') !== "'none'") faults.push("object-src is not 'none'");
    if (d.get('base-uri')?.join(' ') !== "'none'") faults.push("base-uri is not 'none'");
    if (d.get('frame-ancestors')?.join(' ') !== "'none'") faults.push("frame-ancestors is not 'none'");
    if (!d.get('form-action') || d.get('form-action')!.some((s) => !["'self'", "'none'"].includes(s))) faults.push('form-action is not restricted');
    if (d.has('upgrade-insecure-requests')) faults.push('upgrade-insecure-requests breaks the plain-http onion address');
  }
  const hsts = /max-age=(\d+)/.exec(String(h['strict-transport-security'] ?? ''));
  if (!hsts || Number(hsts[1]) < HSTS_MIN) faults.push(`Strict-Transport-Security max-age below six months: ${String(h['strict-transport-security'])}`);
  if (h['x-content-type-options'] !== 'nosniff') faults.push('X-Content-Type-Options is not nosniff');
  if (h['x-frame-options'] !== 'DENY') faults.push('X-Frame-Options is not DENY');
  if (h['referrer-policy'] !== 'no-referrer') faults.push(`Referrer-Policy is not no-referrer: ${String(h['referrer-policy'])}`);
  if (h['cross-origin-opener-policy'] !== 'same-origin') faults.push('Cross-Origin-Opener-Policy is not same-origin');
  if (h['cross-origin-resource-policy'] !== 'same-origin') faults.push('Cross-Origin-Resource-Policy is not same-origin');
  for (const name of Object.keys(h)) if (name.startsWith('access-control-')) faults.push(`CORS header ${name}`);
  if ('x-powered-by' in h || 'server' in h) faults.push('the answer names the server software');
  if (kind === 'reporter' && 'set-cookie' in h) faults.push('the reporter app set a cookie');
  if (api && h['cache-control'] !== 'no-store') faults.push(`an API answer may be cached: ${String(h['cache-control'])}`);
  return faults;
}

/** Attributes of every Set-Cookie of an answer, by cookie name. */
function cookies(res: Res): Map<string, { value: string; attrs: Map<string, string> }> {
  const raw = res.headers['set-cookie'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  const out = new Map<string, { value: string; attrs: Map<string, string> }>();
  for (const line of list) {
    const [pair, ...attrs] = line.split(';').map((p) => p.trim());
    const [name, value = ''] = pair!.split('=');
    out.set(name!, { value, attrs: new Map(attrs.map((a) => [a.split('=')[0]!.toLowerCase(), a.split('=').slice(1).join('=')])) });
  }
  return out;
}

/** The built pages when there are some (npm test builds them first), else a stand-in page. */
function pagesOf(kind: 'report' | 'console'): { dir: string; built: boolean } {
  const built = join(import.meta.dirname, '..', '..', 'dist', 'public', kind);
  if (existsSync(join(built, 'index.html'))) return { dir: built, built: true };
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-pages-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Sealbox</title><link rel="stylesheet" href="/main.css"><script type="module" src="/main.js"></script>%NOSCRIPT%');
  writeFileSync(join(dir, 'main.js'), 'export {};');
  writeFileSync(join(dir, 'main.css'), 'body{}');
  return { dir, built: false };
}

/** What a page's HTML may not hold: inline script, handlers or styles, or another origin's resources. */
function pageFaults(html: string): string[] {
  const faults: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const src = /\ssrc="([^"]*)"/.exec(m[1]!)?.[1];
    if (src === undefined) faults.push('an inline <script>');
    else if (!src.startsWith('/') || src.startsWith('//')) faults.push(`a script from elsewhere: ${src}`);
    if (m[2]!.trim() !== '') faults.push('a <script> with inline content');
  }
  if (/\son[a-z]+\s*=/i.test(html)) faults.push('an inline event handler');
  if (/\sstyle\s*=/i.test(html)) faults.push('an inline style attribute');
  if (/<style\b/i.test(html)) faults.push('an inline <style>');
  if (/<(iframe|object|embed)\b/i.test(html)) faults.push('a frame or plug-in');
  for (const m of html.matchAll(/\s(?:src|href)="([^"]*)"/gi)) {
    if (/^(https?:)?\/\//i.test(m[1]!)) faults.push(`a resource from another origin: ${m[1]}`);
  }
  return faults;
}

const inst = await makeInstance({ trustProxy: true });
t.teardown(() => inst.close());
const { services } = inst;
const pages = { reporter: pagesOf('report'), console: pagesOf('console') };
const apps: Record<'reporter' | 'console', FastifyInstance> = {
  reporter: await buildApp('reporter', services, { logStream: inst.log, pagesDir: pages.reporter.dir }),
  console: await buildApp('console', services, { logStream: inst.log, pagesDir: pages.console.dir }),
};
t.teardown(() => Promise.all(Object.values(apps).map((a) => a.close())));
const reviewer = fastUser(services, 'rita', ['reviewer'], ['staff']);
const reporter = await submitReport(apps.reporter, 'staff');

/** The page, every script and style it names, a missing page, HEAD and a preflight. */
async function pageAnswers(kind: 'reporter' | 'console'): Promise<[string, Res, boolean][]> {
  const app = apps[kind];
  const out: [string, Res, boolean][] = [];
  const index = await app.inject({ method: 'GET', url: '/' });
  out.push(['GET /', index, false], ['GET /index.html', await app.inject({ method: 'GET', url: '/index.html' }), false]);
  for (const m of index.body.matchAll(/(?:src|href|content)="(\/[^"/][^"]*\.(?:js|css))"/g)) {
    out.push([`GET ${m[1]}`, await app.inject({ method: 'GET', url: m[1]! }), false]);
  }
  out.push(
    ['HEAD /', await app.inject({ method: 'HEAD', url: '/' }), false],
    ['GET a missing page', await app.inject({ method: 'GET', url: '/no-such-page' }), false],
    ['GET a dot file', await app.inject({ method: 'GET', url: '/.env' }), false],
    ['OPTIONS / from another origin', await app.inject({ method: 'OPTIONS', url: '/', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }), false],
  );
  return out;
}

async function reporterApiAnswers(): Promise<[string, Res, boolean][]> {
  const app = apps.reporter;
  const out: [string, Res, boolean][] = [];
  const add = async (what: string, res: Promise<Res>) => out.push([what, await res, true]);
  await add('GET /api/channels 200', app.inject({ method: 'GET', url: '/api/channels' }));
  await add('GET /api/page-settings 200', app.inject({ method: 'GET', url: '/api/page-settings' }));
  await add('GET /api/followup 200', reporter.followup() as Promise<Res>);
  await add('GET /api/followup 400', app.inject({ method: 'GET', url: '/api/followup' }));
  await add('GET /api/followup 404', app.inject({ method: 'GET', url: '/api/followup', headers: { authorization: `Receipt ${toB64u(randomBytes(32))}` } }));
  await add('POST /api/followup/messages 201', reporter.sendMessage('hello') as Promise<Res>);
  await add('POST /api/reports 415', app.inject({ method: 'POST', url: '/api/reports', payload: 'x', headers: { 'content-type': 'text/plain' } }));
  await add('POST /api/submissions 404', app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId: 'nope' } }));
  await add('GET an unknown API route', app.inject({ method: 'GET', url: '/api/nope' }));
  await add('OPTIONS /api/reports from another origin', app.inject({
    method: 'OPTIONS', url: '/api/reports', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  }));
  // The submission ceiling, reached: its 429 carries the headers too.
  try {
    for (let i = 0; i <= services.limits.submissions.burst; i++) services.limits.submissions.take();
  } catch {
    await add('POST /api/submissions 429', app.inject({ method: 'POST', url: '/api/submissions', payload: { channelId: 'staff' } }));
  }
  return out;
}

async function consoleApiAnswers(): Promise<[string, Res, boolean][]> {
  const app = apps.console;
  const out: [string, Res, boolean][] = [];
  const add = async (what: string, res: Promise<Res>) => out.push([what, await res, true]);
  inst.clock.advance(30_000);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(reviewer, inst.clock) });
  out.push(['POST /api/auth/login 200', login, true]);
  const cookie = `sbx_session=${cookies(login).get('sbx_session')?.value ?? ''}`;
  await add('GET /api/auth/me 200', app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } }));
  await add('GET /api/reports 200', app.inject({ method: 'GET', url: '/api/reports', headers: { cookie } }));
  await add('GET /api/users 403', app.inject({ method: 'GET', url: '/api/users', headers: { cookie } }));
  await add('GET /api/auth/me 401', app.inject({ method: 'GET', url: '/api/auth/me' }));
  await add('GET /api/reports/{unknown} 404', app.inject({ method: 'GET', url: `/api/reports/${toB64u(randomBytes(16))}`, headers: { cookie } }));
  await add('PUT /api/settings/lists cross-site 403', app.inject({ method: 'PUT', url: '/api/settings/lists', headers: { cookie, origin: 'https://evil.example' }, payload: {} }));
  await add('POST /api/auth/params form 415', app.inject({ method: 'POST', url: '/api/auth/params', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=x' }));
  await add('POST /api/auth/login 401', app.inject({ method: 'POST', url: '/api/auth/login', payload: { ...loginBody(reviewer, inst.clock), username: 'nobody' } }));
  await add('GET /api/openapi.json 200', app.inject({ method: 'GET', url: '/api/openapi.json' }));
  await add('OPTIONS /api/auth/login from another origin', app.inject({
    method: 'OPTIONS', url: '/api/auth/login', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  }));
  await add('POST /api/auth/logout 204', app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie }, payload: {} }));
  return out;
}

function checkAll(t: Test, kind: 'reporter' | 'console', answers: [string, Res, boolean][]): void {
  for (const [what, res, api] of answers) {
    t.same(observatoryFaults(res, kind, api), [], `${kind} ${what} (${res.statusCode}): no fault`);
    t.ok(res.statusCode < 500, `${kind} ${what}: no 5xx`);
  }
}

t.test('pages of both apps: the Observatory finds nothing, and the HTML has nothing inline or foreign', async (t) => {
  for (const kind of ['reporter', 'console'] as const) {
    if (!pages[kind].built) t.comment(`${kind}: no built pages (npm run build); a stand-in page is checked`);
    const answers = await pageAnswers(kind);
    t.equal(answers[0]![1].statusCode, 200, `${kind}: the page is served`);
    t.ok(answers.length >= 5, `${kind}: ${answers.length - 6} scripts and styles checked`);
    checkAll(t, kind, answers);
    t.same(pageFaults(answers[0]![1].body), [], `${kind}: the page's HTML`);
    t.equal(answers[0]![1].headers['cache-control'], 'no-store', `${kind}: the page itself is never cached`);
  }
});

t.test('API answers of both apps, successes and errors: the Observatory finds nothing', async (t) => {
  const reporterAnswers = await reporterApiAnswers();
  t.ok(reporterAnswers.some(([, res]) => res.statusCode === 429), 'a 429 is among them');
  checkAll(t, 'reporter', reporterAnswers);
  checkAll(t, 'console', await consoleApiAnswers());
});

t.test('the console\'s session cookie: HttpOnly, SameSite=Strict, Path=/, no Domain, no lifetime; Secure over HTTPS', async (t) => {
  for (const https of [false, true]) {
    inst.clock.advance(30_000);
    const res = await apps.console.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(reviewer, inst.clock), headers: https ? { 'x-forwarded-proto': 'https' } : {} });
    t.equal(res.statusCode, 200);
    const all = cookies(res);
    t.same([...all.keys()], ['sbx_session'], 'one cookie');
    const { value, attrs } = all.get('sbx_session')!;
    t.match(value, /^[A-Za-z0-9_-]{43}$/, '256 random bits');
    t.ok(attrs.has('httponly'), 'HttpOnly');
    t.equal(attrs.get('samesite'), 'Strict', 'SameSite=Strict');
    t.equal(attrs.get('path'), '/', 'Path=/');
    t.notOk(attrs.has('domain'), 'no Domain: this host only');
    t.notOk(attrs.has('max-age') || attrs.has('expires'), 'a session cookie');
    t.equal(attrs.has('secure'), https, https ? 'Secure over HTTPS' : 'not Secure over plain http (localhost, onion), where it would never come back');
    const logout = await apps.console.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: `sbx_session=${value}`, ...(https ? { 'x-forwarded-proto': 'https' } : {}) }, payload: {} });
    const cleared = cookies(logout).get('sbx_session')!;
    t.equal(cleared.value, '', 'logout clears it');
    t.ok(cleared.attrs.has('httponly') && cleared.attrs.get('samesite') === 'Strict' && cleared.attrs.has('secure') === https, 'with the same attributes');
  }
});

t.test('the checks themselves catch what they are for', async (t) => {
  const base = await apps.reporter.inject({ method: 'GET', url: '/api/health' });
  t.same(observatoryFaults(base, 'reporter', true), [], 'the real answer passes');
  const csp = String(base.headers['content-security-policy']);
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['unsafe-inline scripts', { 'content-security-policy': csp.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'") }, /script-src allows 'unsafe-inline'/],
    ['unsafe-eval', { 'content-security-policy': csp.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'") }, /script-src allows 'unsafe-eval'/],
    ['a CDN', { 'content-security-policy': csp.replace("script-src 'self'", "script-src 'self' https://cdn.example") }, /another origin/],
    ['framing allowed', { 'content-security-policy': csp.replace("frame-ancestors 'none'", "frame-ancestors 'self'") }, /frame-ancestors/],
    ['no CSP', { 'content-security-policy': undefined }, /no Content-Security-Policy/],
    ['short HSTS', { 'strict-transport-security': 'max-age=300' }, /Strict-Transport-Security/],
    ['sniffing', { 'x-content-type-options': undefined }, /nosniff/],
    ['a referrer', { 'referrer-policy': 'strict-origin-when-cross-origin' }, /Referrer-Policy/],
    ['CORS', { 'access-control-allow-origin': '*' }, /CORS/],
    ['a cookie', { 'set-cookie': 'x=1' }, /cookie/],
    ['caching', { 'cache-control': 'public, max-age=60' }, /cached/],
  ];
  for (const [what, headers, fault] of cases) {
    const clean = Object.fromEntries(Object.entries({ ...base.headers, ...headers }).filter(([, v]) => v !== undefined));
    t.match(observatoryFaults({ headers: clean } as unknown as Res, 'reporter', true).join('; '), fault, what);
  }
  t.match(pageFaults('<script>alert(1)</script>').join(), /inline <script>/);
  t.match(pageFaults('<script src="https://cdn.example/x.js"></script>').join(), /elsewhere/);
  t.match(pageFaults('<button onclick="x()">').join(), /event handler/);
  t.match(pageFaults('<p style="color:red">').join(), /style attribute/);
});
