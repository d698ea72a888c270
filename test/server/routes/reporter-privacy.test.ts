// Privacy of the reporter: the request log holds method, route, status and duration only; neither
// the log nor the database file (nor its WAL) holds a user agent, a query string, a forwarded
// address, the receipt token or anything of a body.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { randomBytes, toB64u } from '../../../crypto/index.js';
import type { Injector } from '../../helpers/reporter.js';
import { setup, TestReporter } from './reporter-fixtures.js';

const marker = (name: string) => `${name}-${toB64u(randomBytes(9))}`;

t.test('the request log and the database hold nothing that identifies a reporter', async (t) => {
  const s = await setup(t);
  const { app, services, inst } = s;
  const ua = marker('UA_MARKER');
  const query = marker('QUERY_MARKER');
  const forwarded = '203.0.113.77';
  const bodyMarker = marker('BODY_MARKER');
  const identifying = { 'user-agent': `Mozilla/5.0 ${ua}`, 'x-forwarded-for': forwarded, 'x-real-ip': forwarded, referer: `https://intranet.example/${ua}`, cookie: `sid=${ua}` };

  // A whole reporter session, every request with the identifying headers and a query string.
  const tapped: Injector = {
    inject: (opts) => app.inject({
      ...opts,
      payload: opts.payload as string,
      url: `${opts.url}${opts.url.includes('?') ? '&' : '?'}q=${query}`,
      headers: { ...identifying, ...opts.headers },
    }),
  };
  const inject = tapped.inject;
  // The test reporter, speaking through `inject` above.
  const r = new TestReporter(tapped);
  const token = toB64u(r.keys.receiptToken);
  const submitted201 = await r.submit('staff', { summary: bodyMarker, details: `${bodyMarker} in the details` });
  t.equal(submitted201.statusCode, 201);
  t.equal((await r.followup()).statusCode, 200);
  t.equal((await r.sendMessage(`message ${bodyMarker}`)).statusCode, 201);
  const d = await r.declareAttachment(`${bodyMarker}.pdf`, 'application/pdf', new TextEncoder().encode(`file ${bodyMarker}`));
  t.equal(d.res.statusCode, 201);
  const url = `/api/followup/attachments/${d.attachmentId}`;
  t.equal((await inject({ method: 'PATCH', url, headers: { ...r.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: Buffer.from(d.stream.subarray(0, 30)) })).statusCode, 204);
  t.equal((await inject({ method: 'HEAD', url, headers: r.auth })).statusCode, 204);
  t.equal((await inject({ method: 'PATCH', url, headers: { ...r.auth, 'content-type': 'application/offset+octet-stream', 'upload-offset': '30' }, payload: Buffer.from(d.stream.subarray(30)) })).statusCode, 204);
  // And errors, which are where careless loggers quote input.
  t.equal((await inject({ method: 'POST', url: '/api/reports', payload: { reportId: bodyMarker, receiptToken: token } })).statusCode, 400);
  t.equal((await inject({ method: 'POST', url: '/api/reports', payload: `{"x":"${bodyMarker}`, headers: { 'content-type': 'application/json' } })).statusCode, 400);
  t.equal((await inject({ method: 'GET', url: '/api/followup', headers: { authorization: `Receipt ${token}x` } })).statusCode, 400);
  t.equal((await inject({ method: 'GET', url: `/api/${bodyMarker}` })).statusCode, 404);
  t.equal((await inject({ method: 'PUT', url: `/api/followup/attachments/${bodyMarker}`, headers: { ...r.auth, 'content-type': 'application/octet-stream' }, payload: Buffer.from(bodyMarker) })).statusCode, 400);
  t.equal((await inject({ method: 'GET', url: '/api/followup', headers: new TestReporter(app).auth })).statusCode, 404);

  // The log: one line per request, each with only the allowed keys.
  const lines = inst.log.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.ok(lines.length >= 14, `${lines.length} log lines`);
  for (const line of lines) {
    t.same(Object.keys(line).filter((k) => !['level', 'msg', 'reqId'].includes(k)).sort(), ['method', 'ms', 'route', 'status'], 'method, route, status, ms and nothing else');
    t.notOk('time' in line, 'no timestamp: a log line must not date a submission to the millisecond');
    t.equal(line.msg, 'request');
    t.equal(line.reqId, '-', 'no request id that could link requests');
    t.type(line.ms, 'number');
    t.notMatch(String(line.route), /\?|[A-Za-z0-9_-]{22}/, 'the route is the pattern, never the URL');
  }
  t.ok(lines.some((l) => l.route === '/api/followup/attachments/:attachmentId' && l.method === 'PATCH'), 'routes are logged as patterns');
  t.ok(lines.some((l) => l.route === '(no route)' && l.status === 404), 'an unknown URL is logged without it');
  const log = inst.log.text;
  for (const [what, secret] of [['user agent', ua], ['query string', query], ['forwarded address', forwarded], ['receipt token', token], ['body', bodyMarker], ['attachment id', d.attachmentId], ['report id', r.reportId]] as const) {
    t.notOk(log.includes(secret), `the log holds no ${what}`);
  }
  t.notMatch(log, /127\.0\.0\.1|remoteAddress|remotePort|hostname|"url"|"req"|"res"|headers/i, 'no address, URL, request or header in the log');

  // The database, its WAL and the blobs: no user agent, no token, no query, no plaintext.
  services.db.sqlite.pragma('wal_checkpoint(PASSIVE)');
  const files = [services.paths.database, `${services.paths.database}-wal`, `${services.paths.database}-shm`].filter(existsSync);
  t.ok(files.length >= 2, `searched ${files.map((f) => f.split('/').pop()).join(', ')}`);
  for (const dir of [services.paths.blobs]) for (const f of readdirSync(dir)) files.push(join(dir, f));
  const tokenBytes = Buffer.from(r.keys.receiptToken);
  for (const file of files) {
    const bytes = readFileSync(file);
    const name = file.split('/').pop();
    for (const [what, secret] of [['user agent', ua], ['query string', query], ['forwarded address', forwarded], ['receipt token (base64url)', token], ['plaintext', bodyMarker], ['receipt code', r.code.replace(/-/g, '')]] as const) {
      t.equal(bytes.indexOf(Buffer.from(secret)), -1, `${name} holds no ${what}`);
    }
    t.equal(bytes.indexOf(tokenBytes), -1, `${name} holds no receipt token (raw bytes)`);
    t.equal(bytes.indexOf(Buffer.from(tokenBytes.toString('hex'))), -1, `${name} holds no receipt token (hex)`);
  }
  // What leads to the report is the keyed hash of the token, and it is there.
  t.equal(services.repos.reports.byReceiptTag(services.keys.receiptTag(r.keys.receiptToken))?.id, r.reportId);
});
