// Attack: path traversal through every path parameter of both apps (attachment ids first, then
// report, user and channel ids and link tokens) and through the page server. Every attempt gets a
// 4xx and no secret, and while they run no file outside data/blobs and the pages folder is touched:
// a spy on node:fs sees every path the server opens, stats, reads, writes or removes.
import fs, { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join, resolve, sep } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import t, { type Test } from 'tap';
import { randomBytes, toB64u } from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { signIn, unchanged } from '../server/routes/console-fixtures.js';
import { isError } from '../server/routes/reporter-fixtures.js';
import { consoleWorld } from './console-world.js';
import { routeKey, routesOf, type Route } from './fixtures.js';

const world = await consoleWorld(t);
const { inst, services, clock, users, reporter, reportId, attachmentId, requests } = world;
const { paths } = services;

// The pages folder sits inside the data folder, so that "../server-secret" from it is the real
// server secret and "../sealbox.db" the real database.
const pagesDir = join(paths.dir, 'pages');
mkdirSync(join(pagesDir, 'assets'), { recursive: true });
writeFileSync(join(pagesDir, 'index.html'), '<!doctype html><title>Sealbox</title>%NOSCRIPT%');
writeFileSync(join(pagesDir, 'assets', 'app-1.js'), 'export {};');
const apps: Record<'reporter' | 'console', FastifyInstance> = {
  reporter: await buildApp('reporter', services, { logStream: inst.log, pagesDir }),
  console: await buildApp('console', services, { logStream: inst.log, pagesDir }),
};
t.teardown(() => Promise.all(Object.values(apps).map((a) => a.close())));
const admin = await signIn(apps.console, clock, users.admin);

const SECRETS: [string, Buffer][] = [
  ['the server secret', readFileSync(paths.secret)],
  ['the database', Buffer.from('SQLite format 3')],
  ['/etc/passwd', Buffer.from('root:x:0:0')],
];

/** Path segments an attacker puts where an id goes, as they appear in the URL. */
const SEGMENTS = [
  '..', '.', '...', '..%2f..%2fserver-secret', '..%2F..%2Fsealbox.db', '%2e%2e', '%2E%2E%2F%2E%2E%2Fserver-secret', '.%2e%2fserver-secret',
  '%252e%252e%252fserver-secret', '..%5c..%5cserver-secret', '%5c%5cserver%5cshare', '%2fetc%2fpasswd', '%2F..%2F..%2Fetc%2Fpasswd',
  'C%3a%5cWindows%5cwin.ini', 'file%3a%2f%2f%2fetc%2fpasswd', '%00', `${'A'.repeat(22)}%00`, `${'A'.repeat(21)}%00`, '..%00', '%00..%2fserver-secret',
  '%c0%ae%c0%ae%2fserver-secret', '%e0%80%ae%e0%80%ae%2f', '%ef%bc%8e%ef%bc%8e%ef%bc%8fserver-secret', '%e2%80%a5%2fserver-secret',
  `${'A'.repeat(20)}%2fA`, 'blobs%2f..%2f..%2fserver-secret', `..%2fblobs%2f${attachmentId}`, '%7e', 'server-secret', 'sealbox.db',
  '%', '%zz', '%2', 'A'.repeat(201), 'A'.repeat(5000), `${'..%2f'.repeat(60)}etc%2fpasswd`,
];
/** The same as decoded strings, for ids that travel in a JSON body. */
const DECODED = [
  '..', '../server-secret', '../../server-secret', '../../../../etc/passwd', '/etc/passwd', '..\\..\\server-secret', 'C:\\Windows\\win.ini',
  '\0', `${'A'.repeat(21)}\0`, `${'A'.repeat(20)}/A`, `${'A'.repeat(20)}..`, 'blobs/../server-secret', '%2e%2e%2fserver-secret', '．．／server-secret',
  'A'.repeat(5000), '', 'A'.repeat(21), 'A'.repeat(23),
];
/** Page URLs that climb out of the pages folder, each in its own spelling. */
const PAGE_URLS = [
  '/../server-secret', '/..%2fserver-secret', '/%2e%2e/server-secret', '/%2e%2e%2fserver-secret', '/.%2e/sealbox.db', '/assets/..%2f..%2fserver-secret',
  '/assets/%2e%2e/%2e%2e/server-secret', '/assets/..%5c..%5cserver-secret', '/%252e%252e%252fserver-secret', '//etc/passwd', '/%2fetc%2fpasswd',
  '/assets/%00', '/index.html%00.js', '/%c0%ae%c0%ae/server-secret', `/${'..%2f'.repeat(20)}etc%2fpasswd`, '/blobs/', `/blobs/${attachmentId}`,
  '/../sealbox.db', '/assets/../../server-secret', '/.env', '/assets/.%2e/.%2e/server-secret', `/${'A'.repeat(5000)}`,
];

/** A request to `url` for `route`, with what it needs to get past the checks before the path. */
function request(kind: 'reporter' | 'console', route: Route, url: string) {
  const headers: Record<string, string> = kind === 'console' ? { cookie: admin.cookie } : { ...reporter.auth };
  let payload: string | Buffer | undefined;
  if (kind === 'console' && !['GET', 'HEAD'].includes(route.method)) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(requests[routeKey(route)]?.(reportId).payload ?? {});
  } else if (route.method === 'PUT') {
    headers['content-type'] = 'application/octet-stream';
    payload = Buffer.alloc(41);
  } else if (route.method === 'PATCH') {
    Object.assign(headers, { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' });
    payload = Buffer.alloc(41);
  } else if (route.method === 'POST') {
    headers['content-type'] = 'application/json';
    payload = '{}';
  }
  return apps[kind].inject({ method: route.method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });
}

/** A valid value for every path parameter but the attacked one. */
function fill(route: Route, attacked: string, segment: string): string {
  return route.url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === attacked) return segment;
    if (name === 'attachmentId') return attachmentId;
    if (name === 'token') return toB64u(randomBytes(32));
    if (route.url.startsWith('/api/users/')) return users.target.id;
    if (route.url.startsWith('/api/channels/')) return 'public';
    return reportId;
  });
}

/** Every file path the server touches while `fn` runs. */
async function filesTouched<T>(fn: () => Promise<T>): Promise<{ result: T; touched: string[] }> {
  const touched: string[] = [];
  const restore: (() => void)[] = [];
  const spy = (module: Record<string, unknown>, names: string[]) => {
    for (const name of names) {
      const original = module[name] as ((...args: unknown[]) => unknown) | undefined;
      if (typeof original !== 'function') continue;
      module[name] = function (this: unknown, ...args: unknown[]) {
        const target = args[0];
        if (typeof target === 'string' || Buffer.isBuffer(target) || target instanceof URL) touched.push(String(target));
        return original.apply(this, args);
      };
      restore.push(() => {
        module[name] = original;
      });
    }
  };
  const names = ['open', 'openSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'readFile', 'readFileSync', 'createReadStream', 'createWriteStream',
    'truncate', 'unlink', 'rename', 'readdir', 'writeFile', 'access', 'existsSync', 'realpath'];
  spy(fs as unknown as Record<string, unknown>, names);
  spy(fsp as unknown as Record<string, unknown>, names);
  // ESM importers (server/blobs.ts) see the spies only once the builtins' exports are synced.
  syncBuiltinESMExports();
  try {
    return { result: await fn(), touched };
  } finally {
    for (const undo of restore) undo();
    syncBuiltinESMExports();
  }
}

const inside = (file: string, dir: string) => resolve(file).startsWith(resolve(dir) + sep);
function checkAnswer(t: Test, what: string, res: LightMyRequestResponse): void {
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `${what}: 4xx (${res.statusCode})`);
  for (const [name, bytes] of SECRETS) if (res.rawPayload.includes(bytes)) t.fail(`${what}: the answer holds ${name}`);
}

// Load everything a request may load lazily, so that the spy sees only what the attacks do.
await apps.reporter.inject({ method: 'GET', url: '/assets/app-1.js' });
await apps.console.inject({ method: 'GET', url: `/api/reports/${reportId}/attachments/${attachmentId}`, headers: { cookie: admin.cookie } });

t.test('the spy sees the server\'s own file access (a control)', async (t) => {
  const { touched } = await filesTouched(async () => {
    await apps.console.inject({ method: 'GET', url: `/api/reports/${reportId}/attachments/${attachmentId}`, headers: { cookie: admin.cookie } });
    await apps.reporter.inject({ method: 'GET', url: '/assets/app-1.js' });
  });
  t.ok(touched.some((f) => resolve(f) === join(paths.blobs, attachmentId)), 'the attachment download, in data/blobs');
  t.ok(touched.some((f) => resolve(f) === join(pagesDir, 'assets', 'app-1.js')), 'the page script, in the pages folder');
});

t.test('every path parameter of both apps: 4xx, nothing changed, no file outside data/blobs and the pages touched', async (t) => {
  const attacked: string[] = [];
  const { touched } = await unchanged(t, services, 'the attacks', () => filesTouched(async () => {
    for (const kind of ['reporter', 'console'] as const) {
      for (const route of routesOf(apps[kind]).filter((r) => r.url.includes(':'))) {
        attacked.push(`${kind} ${routeKey(route)}`);
        for (const param of [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!)) {
          for (const segment of SEGMENTS) {
            clock.advance(1000); // keeps the per-receipt and global ceilings out of the way
            checkAnswer(t, `${kind} ${route.method} ${route.url} with ${param} = ${segment.slice(0, 40)}`, await request(kind, route, fill(route, param, segment)));
          }
        }
      }
    }
  }));
  t.ok(attacked.includes('reporter PUT /api/followup/attachments/:attachmentId'), 'the reporter\'s upload routes are among them');
  t.ok(attacked.includes('console GET /api/reports/:id/attachments/:attachmentId'), 'the console\'s download route too');
  t.comment(`routes attacked: ${attacked.length}`);
  // Unrouted URLs (a raw "..", an over-long id) fall through to the page server, which looks for
  // such a file in the pages folder and finds none: that is the only file access allowed here.
  t.same(touched.filter((f) => !inside(f, paths.blobs) && !inside(f, pagesDir)), [], 'no file outside data/blobs and the pages folder was touched');
  t.same(touched.filter((f) => inside(f, paths.blobs)), [], 'nor any blob: every attack was refused before the store');
});

t.test('declaring an attachment whose id is a path is refused before anything is kept', async (t) => {
  const meta = reporter.message('x');
  await unchanged(t, services, 'declarations', async () => {
    for (const id of DECODED) {
      clock.advance(60_000);
      const res = await apps.reporter.inject({ method: 'POST', url: '/api/followup/attachments', headers: reporter.auth, payload: { attachmentId: id, size: 41, meta } });
      isError(t, res, 400, 'SBX_INVALID_REQUEST', `attachmentId ${JSON.stringify(id.slice(0, 40))}`);
    }
  });
});

t.test('the blob store itself names no file outside its folder (in case a route forgot its schema)', async (t) => {
  for (const id of DECODED) {
    t.throws(() => services.blobs.path(id), { statusCode: 400, code: 'SBX_INVALID_REQUEST' }, JSON.stringify(id.slice(0, 40)));
  }
  t.ok(inside(services.blobs.path(attachmentId), paths.blobs), 'a real id is a file inside data/blobs');
});

t.test('the page server of both apps: nothing outside the pages folder is served or touched', async (t) => {
  for (const kind of ['reporter', 'console'] as const) {
    const { touched } = await filesTouched(async () => {
      for (const url of PAGE_URLS) checkAnswer(t, `${kind} GET ${url.slice(0, 60)}`, await apps[kind].inject({ method: 'GET', url }));
    });
    const outside = touched.filter((f) => !inside(f, pagesDir));
    t.same(outside, [], `${kind}: every file touched is in the pages folder`);
  }
});
