// The console's small pure pieces: passphrase strength, the TOTP secret and URI (checked against
// the server's own TOTP), deadlines, routes, the idle timer, the questionnaire check, errors, and
// the request helper.
import t from 'tap';
import { ApiError, api, NetworkError, query, send } from '../../client/console/api.js';
import { dueSoon, isOverdue, overdueOf } from '../../domain/deadlines.js';
import { errorText, toInfo } from '../../client/console/errors.js';
import { makeT } from '../../client/console/i18n/index.js';
import { IdleTimer } from '../../client/console/idle.js';
import { charCount, entropyBits, strengthOf } from '../../client/console/passphrase.js';
import { checkQuestionnaire } from '../../domain/questionnaire-schema.js';
import { hrefOf, parseRoute } from '../../client/console/route.js';
import { base32, groupSecret, newTotpSecret, otpauthUri } from '../../client/console/totp-secret.js';
import { WorkerError } from '../../client/console/worker-client.js';
import { defaultQuestionnaire } from '../../domain/defaults/questionnaire.js';
import { isTotpSecret, totpCode, verifyTotp } from '../../server/totp.js';
import { unchanged, waitFor } from '../helpers/wait.js';

t.test('passphrase strength', async (t) => {
  t.equal(strengthOf('short'), 0, 'under 12 characters');
  t.equal(strengthOf('aaaaaaaaaaaa'), 1, 'repeats are weak');
  t.equal(strengthOf('password1234'), 1, 'common words and runs are weak');
  t.equal(strengthOf('qwertyuiop12'), 1);
  t.ok(strengthOf('Tr0ub4dor&3x') >= 2);
  t.equal(strengthOf('correct horse battery staple'), 4, 'several words are strong');
  t.equal(strengthOf('café crème brûlée 42'), 4);
  t.equal(charCount('ééé👍'), 4, 'code points, not UTF-16 units');
  t.equal(entropyBits(''), 0);
});

t.test('the TOTP secret works with the server\'s TOTP', async (t) => {
  t.equal(base32(new Uint8Array([0xff, 0x00, 0x10])), '74ABA', 'RFC 4648, no padding');
  const secret = newTotpSecret();
  t.ok(isTotpSecret(secret), '32 base32 characters');
  const at = new Date('2026-11-28T16:05:00Z');
  t.ok(verifyTotp(secret, totpCode(secret, at), at, null) !== undefined, 'a code from it verifies');
  t.equal(newTotpSecret((b) => b.fill(0)), 'A'.repeat(32));
  t.equal(otpauthUri('rita.k', 'ABCD'), 'otpauth://totp/Sealbox:rita.k?secret=ABCD&issuer=Sealbox&algorithm=SHA1&digits=6&period=30');
  t.equal(groupSecret('ABCDEFGHIJ'), 'ABCD EFGH IJ');
  t.equal(groupSecret(''), '');
});

t.test('deadlines', async (t) => {
  const item = { status: 'new' as const, acknowledgedAt: null, acknowledgeBy: '2026-12-05T16:00:00.000Z', feedbackBy: '2027-03-05T16:00:00.000Z' };
  const at = (iso: string) => Date.parse(iso);
  t.same(overdueOf(item, at('2026-12-05T16:00:00.000Z')), { acknowledge: false, feedback: false }, 'not yet at the deadline itself');
  t.same(overdueOf(item, at('2026-12-06T00:00:00.000Z')), { acknowledge: true, feedback: false });
  t.same(overdueOf({ ...item, acknowledgedAt: '2026-12-01T00:00:00.000Z' }, at('2026-12-06T00:00:00.000Z')), { acknowledge: false, feedback: false });
  t.same(overdueOf(item, at('2027-04-01T00:00:00.000Z')), { acknowledge: true, feedback: true });
  t.notOk(isOverdue({ ...item, status: 'closed' }, at('2027-04-01T00:00:00.000Z')), 'a closed report is never overdue');
  t.ok(isOverdue(item, at('2027-04-01T00:00:00.000Z')));
  t.ok(dueSoon(item.acknowledgeBy, at('2026-12-04T00:00:00.000Z')));
  t.notOk(dueSoon(item.acknowledgeBy, at('2026-12-01T00:00:00.000Z')));
  t.notOk(dueSoon(item.acknowledgeBy, at('2026-12-06T00:00:00.000Z')), 'past is overdue, not soon');
});

t.test('routes', async (t) => {
  t.match(parseRoute('#/inbox?status=new'), { name: 'inbox' });
  t.equal((parseRoute('#/inbox?status=new') as { query: URLSearchParams }).query.get('status'), 'new');
  t.same(parseRoute('#/reports/abc_-1'), { name: 'report', id: 'abc_-1' });
  t.same(parseRoute('#/reports/'), { name: 'home' });
  t.same(parseRoute('#/reports/a%20b'), { name: 'home' }, 'ids are base64url');
  t.same(parseRoute('#/setup/tok'), { name: 'setup', token: 'tok' });
  t.same(parseRoute('#/setup'), { name: 'home' });
  for (const name of ['users', 'channels', 'settings', 'account'] as const) t.same(parseRoute(`#/${name}`), { name });
  t.match(parseRoute('#/audit?actor=system'), { name: 'audit' });
  t.same(parseRoute(''), { name: 'home' });
  t.same(parseRoute('#/nowhere'), { name: 'home' });
  t.equal(hrefOf({ name: 'inbox', query: new URLSearchParams('status=new&overdue=true') }), '#/inbox?status=new&overdue=true');
  t.equal(hrefOf({ name: 'inbox', query: new URLSearchParams() }), '#/inbox');
  t.equal(hrefOf({ name: 'audit', query: new URLSearchParams('action=report.view') }), '#/audit?action=report.view');
  t.equal(hrefOf({ name: 'report', id: 'x' }), '#/reports/x');
  t.equal(hrefOf({ name: 'setup', token: 'y' }), '#/setup/y');
  t.equal(hrefOf({ name: 'home' }), '#/');
  t.equal(hrefOf({ name: 'users' }), '#/users');
});

t.test('the idle timer warns, then locks; activity puts it off', async (t) => {
  let now = 0;
  const events: string[] = [];
  const timer = new IdleTimer({ limitMs: 60, warnMs: 20, now: () => now, onWarn: () => events.push('warn'), onLock: () => events.push('lock') });
  // The timer runs on real time (it fires after 40 ms, then re-arms); `now` is what it reads.
  const seen = () => [...events];
  now = 30;
  await unchanged(seen, { what: 'the events 30 ms into a 60 ms limit', forMs: 60 });
  t.same(events, [], 'an early firing only re-arms');
  now = 45;
  await waitFor(() => events.length > 0, { what: 'the warning', timeoutMs: 60 });
  t.same(events, ['warn']);
  timer.touch();
  now = 50;
  await unchanged(seen, { what: 'the events after activity', forMs: 60 });
  t.same(events, ['warn'], 'activity withdrew the lock');
  now = 200;
  await waitFor(() => events.length > 1, { what: 'the lock', timeoutMs: 120 });
  t.same(events, ['warn', 'lock'], 'long idle: it locks');
  const stopped = new IdleTimer({ limitMs: 10, warnMs: 5, onWarn: () => events.push('x'), onLock: () => events.push('y') });
  stopped.stop();
  await unchanged(seen, { what: 'the events of a stopped timer', forMs: 30 });
  t.notOk(events.includes('y'), 'a stopped timer does nothing');
});

t.test('questionnaire files are checked before they replace a channel\'s', async (t) => {
  t.same(checkQuestionnaire(JSON.stringify(defaultQuestionnaire)).problems, [], 'the default passes');
  t.ok(checkQuestionnaire(JSON.stringify(defaultQuestionnaire)).value);
  t.same(checkQuestionnaire('{not json').problems, [{ path: '', problem: 'notJson' }]);
  t.same(checkQuestionnaire('[]').problems, [{ path: '', problem: 'notObject' }]);
  t.same(checkQuestionnaire('{}').problems.map((p) => p.path), ['id', 'version', 'sections']);
  const bad = {
    id: 'q', version: 2,
    sections: [
      { id: 's', title: { en: 'S' }, fields: [
        { id: 'a', type: 'text', label: { en: 'A' } },
        { id: 'a', type: 'colour', label: {} },
        { id: 'c', type: 'select', label: { en: 'C' } },
        { id: 'd', type: 'select', label: { en: 'D' }, options: [{ value: 1, label: { en: 'x' } }] },
        { id: 'g', type: 'group', label: { en: 'G' }, fields: [{ type: 'text', label: { en: 'n' } }] },
        { id: 'h', type: 'group', label: { en: 'H' } },
        'field',
      ] },
      { id: 's', title: 'S', fields: Array.from({ length: 201 }, (_, i) => ({ id: `f${i}`, type: 'text', label: { en: 'x' } })) },
      7,
    ],
  };
  const problems = checkQuestionnaire(JSON.stringify(bad)).problems;
  t.same(problems.map((p) => `${p.path} ${p.problem}`), [
    'sections[0].fields[1].id duplicate',
    'sections[0].fields[1].type fieldType',
    'sections[0].fields[1].label missing',
    'sections[0].fields[2].options empty',
    'sections[0].fields[3].options[0] missing',
    'sections[0].fields[4].fields[0].id missing',
    'sections[0].fields[5].fields missing',
    'sections[0].fields[6] notObject',
    'sections[1].id duplicate',
    'sections[1].title missing',
    'sections[1].fields tooMany',
    'sections[2] notObject',
  ]);
  t.same(checkQuestionnaire(JSON.stringify({ id: 'q', version: 1, sections: Array.from({ length: 51 }, (_, i) => ({ id: `s${i}`, title: { en: 'x' }, fields: [] })) })).problems,
    [{ path: 'sections', problem: 'tooMany' }]);
  t.same(checkQuestionnaire(JSON.stringify({ id: 'q', version: 1, sections: [{ title: { en: 'x' }, fields: [] }] })).problems, [{ path: 'sections[0].id', problem: 'missing' }]);
});

t.test('errors say what happened', async (t) => {
  const tr = makeT('en');
  t.equal(errorText(tr, undefined), '');
  t.equal(errorText(tr, toInfo(new NetworkError())), tr('error.network'));
  t.equal(errorText(tr, { name: 'CryptoError', message: 'x', code: 'SBX_DECRYPT_FAILED' }), tr('error.decrypt'));
  const codes: Record<string, string> = {
    SBX_BAD_CREDENTIALS: tr('signin.bad'), SBX_RATE_LIMITED: tr('error.rateLimited'), SBX_NOT_FOUND: tr('error.notFound'),
    SBX_TOKEN_INVALID: tr('enrol.invalidLink'), SBX_TOTP_INVALID: tr('enrol.totpWrong'), SBX_USERNAME_TAKEN: tr('error.usernameTaken'),
    SBX_FORBIDDEN: tr('error.forbidden'), SBX_USER_DISABLED: tr('users.resetDisabled'), SBX_REPORT_CLOSED: tr('error.closed'),
    SBX_ATTACHMENT_DAMAGED: tr('files.storageDamaged'), SBX_DATABASE_BUSY: tr('error.busy'), SBX_INSUFFICIENT_STORAGE: tr('error.storageFull'),
  };
  for (const [code, text] of Object.entries(codes)) t.equal(errorText(tr, toInfo(new ApiError(400, code, 'm'))), text, code);
  t.equal(errorText(tr, toInfo(new ApiError(400, 'SBX_INVALID_REQUEST', 'bad name'))), 'The server refused this: bad name');
  t.equal(errorText(tr, toInfo(new ApiError(413, 'SBX_TOO_LARGE', 'm'))), tr('error.tooLarge'));
  t.equal(errorText(tr, toInfo(new ApiError(500, 'SBX_HTTP_ERROR', 'm'))), 'Something went wrong (SBX_HTTP_ERROR). Please try again.');
  t.same(toInfo(new WorkerError({ name: 'Error', message: 'w' })), { name: 'Error', message: 'w' });
  t.same(toInfo(new Error('e')), { name: 'Error', message: 'e' });
  t.same(toInfo('s'), { name: 'Error', message: 's' });
  t.equal(errorText(tr, { name: 'Error', message: 'x' }), 'Something went wrong (Error). Please try again.');
});

t.test('requests: JSON for every change, typed failures', async (t) => {
  t.equal(query({ a: 1, b: '', c: undefined, d: null, e: false, f: true, g: 'x y' }), '?a=1&f=true&g=x+y');
  t.equal(query({}), '');
  const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
  const reply = (status: number, body: string) => ({
    base: 'http://x',
    fetch: (async (url: string, init?: RequestInit) => {
      seen.push({ url, init });
      return new Response(status === 204 ? null : body, { status });
    }) as unknown as typeof fetch,
  });
  t.same(await api(reply(200, '{"a":1}'), 'GET', '/api/a'), { a: 1 });
  t.equal(seen[0]!.init!.body, null, 'a read has no body');
  t.equal(await api(reply(204, ''), 'POST', '/api/auth/logout'), null);
  t.equal(seen[1]!.init!.body, '{}', 'a body-less change sends {}');
  t.same(seen[1]!.init!.headers, { 'content-type': 'application/json' });
  const e = await send(reply(404, '{"code":"SBX_NOT_FOUND","message":"No such report"}'), 'GET', '/api/x').catch((x: unknown) => x);
  t.ok(e instanceof ApiError && e.status === 404 && e.code === 'SBX_NOT_FOUND' && e.message === 'No such report');
  const proxy = await send(reply(502, '<html>'), 'GET', '/api/x').catch((x: unknown) => x);
  t.ok(proxy instanceof ApiError && proxy.code === 'SBX_HTTP_ERROR' && proxy.message === 'HTTP 502');
  const down = await send({ base: '', fetch: (async () => { throw new TypeError('failed'); }) as unknown as typeof fetch }, 'GET', '/x').catch((x: unknown) => x);
  t.ok(down instanceof NetworkError);
});

t.test('the page side of the worker: results, progress, errors, and stopping', async (t) => {
  // A stand-in for the browser's Worker: answers each request as the real worker would.
  class FakeWorker {
    static last: FakeWorker;
    onmessage: ((e: MessageEvent) => void) | null = null;
    onerror: (() => void) | null = null;
    terminated = false;
    constructor(readonly url: string, readonly options: WorkerOptions) {
      FakeWorker.last = this;
    }
    postMessage(msg: { rid: number; op: string; id?: string }) {
      const reply = (data: unknown) => queueMicrotask(() => this.onmessage?.({ data } as MessageEvent));
      if (msg.op === 'decryptAttachment') {
        reply({ rid: 999, ok: true, value: 'stray' });
        reply({ rid: msg.rid, progress: { received: 1, total: 2 } });
        reply({ rid: msg.rid, ok: true, value: 'file' });
      } else if (msg.op === 'openReport') reply({ rid: msg.rid, ok: false, error: { name: 'ApiError', message: 'No such report', status: 404, code: 'SBX_NOT_FOUND' } });
      else if (msg.op === 'sendMessage') queueMicrotask(() => this.onerror?.());
      else if (msg.op === 'wipe') reply({ rid: msg.rid, ok: true, value: null });
    }
    terminate() {
      this.terminated = true;
    }
  }
  const saved = (globalThis as { Worker?: unknown }).Worker;
  (globalThis as { Worker?: unknown }).Worker = FakeWorker;
  t.teardown(() => {
    (globalThis as { Worker?: unknown }).Worker = saved;
  });
  const { CryptoWorker } = await import('../../client/console/worker-client.js');
  const worker = new CryptoWorker('/worker-x.js');
  t.same(FakeWorker.last.options, { type: 'module', name: 'sealbox-console' });
  const progress: unknown[] = [];
  t.equal(await worker.call('decryptAttachment', { id: 'r', attachmentId: 'a' }, (p) => progress.push(p)), 'file');
  t.same(progress, [{ received: 1, total: 2 }]);
  const missing = await worker.call('openReport', { id: 'r' }).catch((e: unknown) => e);
  t.ok(missing instanceof WorkerError && missing.info.code === 'SBX_NOT_FOUND' && missing.name === 'ApiError');
  const crashed = await worker.call('sendMessage', { id: 'r', text: 'x' }).catch((e: unknown) => e);
  t.ok(crashed instanceof WorkerError && /stopped/.test(crashed.message), 'a crashed worker fails what was pending');
  await worker.stop();
  t.ok(FakeWorker.last.terminated, 'stopping terminates the worker');
  await worker.stop();
  await t.rejects(worker.call('wipe', {}), /locked/, 'a stopped worker takes no more calls');
});
