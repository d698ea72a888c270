// The page's key work in Node against a real reporter app: submit, open a follow-up, messages,
// uploads with metadata removed, resumption after dropped connections, cancel, typos.
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { formatReceiptCode, generateReceiptCode, ReceiptCodeError } from '../../crypto/index.js';
import { ApiError, CancelledError, getJson, NetworkError, request, type Http } from '../../client/report/worker/http.js';
import { ReporterSession, submitReport, type SubmitInput } from '../../client/report/worker/session.js';
import { DEFAULT_PIECE } from '../../client/report/worker/upload.js';
import type { ChannelsResponse, SubmitProgress, UploadProgress } from '../../client/report/types.js';
import { addUser, makeInstance, type TestInstance, type TestUser } from '../helpers/instance.js';
import { answerAsReviewer, readAsReviewer } from './reviewer.js';
import { contains, GPS_MARKER, png, structuralJpeg } from './image-fixtures.js';

interface Ctx {
  inst: TestInstance;
  app: FastifyInstance;
  http: Http;
  alice: TestUser;
  bob: TestUser;
}

async function setup(t: Test): Promise<Ctx> {
  const inst = await makeInstance();
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff', 'public']);
  const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff']);
  const app = await inst.app('reporter');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  t.teardown(async () => {
    await app.close();
    inst.close();
  });
  return { inst, app, alice, bob, http: { fetch, base: `http://127.0.0.1:${address.port}` } };
}

async function input(http: Http, channelId: string, answers: Record<string, unknown>, leaveOut: string[] = []): Promise<SubmitInput> {
  const { channels } = await getJson<ChannelsResponse>(http, '/api/channels');
  const channel = channels.find((c) => c.id === channelId)!;
  const excluded = channel.recipients.filter((r) => leaveOut.includes(r.label)).map((r) => r.userId);
  return { channelId, locale: 'en', questionnaire: 'customs-default@1', answers, excluded };
}

t.test('submit, then the reviewer reads it, answers, and the reporter reads and replies', async (t) => {
  const { inst, http, alice, bob } = await setup(t);
  const phases: SubmitProgress['phase'][] = [];
  const answers = { category: 'BRIBERY', description: 'MARKER-DESCRIPTION a payment at the port', people: [{ name: 'X' }] };
  const done = await submitReport(http, await input(http, 'staff', answers, ['bob']), (p) => {
    if (!phases.includes(p.phase)) phases.push(p.phase);
  });
  t.same(phases, ['challenge', 'pow', 'encrypting', 'sending']);
  t.match(done.code, /^[0-9A-HJKMNP-TV-Z]{25}$/);
  t.equal(done.reportId, done.session.reportId);
  const seen = await readAsReviewer(inst.services, alice, done.reportId);
  t.same(seen.content.answers, answers);
  t.equal(seen.content.questionnaire, 'customs-default@1');
  t.equal(inst.services.repos.reports.key(done.reportId, bob.keyId), undefined, 'bob was left out');

  answerAsReviewer(inst.services, alice, done.reportId, 'MARKER-ANSWER please send the declaration number');
  const { session, view } = await ReporterSession.open(http, formatReceiptCode(done.code).toLowerCase());
  t.equal(view.status, 'received');
  t.same(view.content.answers, answers);
  t.same(view.messages.map((m) => [m.author, m.text]), [['reviewer', 'MARKER-ANSWER please send the declaration number']]);
  await session.sendMessage('MARKER-REPLY it is 12345');
  const again = await session.load();
  t.same(again.messages.map((m) => m.text), ['MARKER-ANSWER please send the declaration number', 'MARKER-REPLY it is 12345']);
  t.same((await readAsReviewer(inst.services, alice, done.reportId)).messages.at(-1), { author: 'reporter', text: 'MARKER-REPLY it is 12345' });

  // A message that fails to decrypt is marked, not shown in part.
  const m = inst.services.repos.messages.listForReport(done.reportId)[0]!;
  inst.services.db.sqlite.prepare('UPDATE messages SET ciphertext = ? WHERE id = ?').run(Buffer.alloc(m.ciphertext.length, 1), m.id);
  t.equal((await session.load()).messages[0]!.text, null);
  session.forget();
  await t.rejects(session.sendMessage('after forgetting'), /not open/);
});

t.test('typos are told apart from unknown reports, before anything is sent', async (t) => {
  const { http } = await setup(t);
  let requests = 0;
  const counting: Http = { base: http.base, fetch: (async (...args: Parameters<typeof fetch>) => { requests++; return fetch(...args); }) as typeof fetch };
  const code = generateReceiptCode();
  const typo = code.slice(0, 24) + (code[24] === '0' ? '1' : '0');
  await t.rejects(ReporterSession.open(counting, typo), { name: 'ReceiptCodeError', reason: 'check' });
  t.match(await ReporterSession.open(counting, code.slice(0, 20)).catch((e: unknown) => e), { reason: 'length', length: 20 });
  t.match(await ReporterSession.open(counting, `${code.slice(0, 5)}-U${code.slice(6)}`).catch((e: unknown) => e), { reason: 'character', character: 'U', position: 7 });
  t.equal(requests, 0, 'a typo sends nothing');
  const err = await ReporterSession.open(counting, code).catch((e: unknown) => e);
  t.ok(err instanceof ApiError && err.status === 404 && err.code === 'SBX_NOT_FOUND', 'an unknown receipt is a 404');
  t.ok(new ReceiptCodeError('check', 'x') instanceof Error);
});

t.test('a receipt already in use gets a new code and the same challenge', async (t) => {
  const { http } = await setup(t);
  const first = await submitReport(http, await input(http, 'public', { category: 'OTHER', description: 'one' }));
  const second = generateReceiptCode();
  const codes = [first.code, second];
  const done = await submitReport(http, await input(http, 'public', { category: 'OTHER', description: 'two' }), undefined, () => codes.shift()!);
  t.equal(done.code, second);
  t.not(done.reportId, first.reportId);
  // Every code taken: the error surfaces after three attempts.
  await t.rejects(submitReport(http, await input(http, 'public', { category: 'OTHER', description: 'three' }), undefined, () => first.code),
    { name: 'ApiError', code: 'SBX_RECEIPT_TAKEN' });
  await t.rejects(submitReport(http, await input(http, 'nope', {}).catch(() => ({ channelId: 'nope', locale: 'en', questionnaire: 'q@1', answers: {}, recipients: [], excluded: [] }))),
    { status: 404, code: 'SBX_CHANNEL_NOT_FOUND' });
});

t.test('uploads: metadata removed from images, other files whole, the reviewer decrypts both', async (t) => {
  const { inst, http, alice } = await setup(t);
  const done = await submitReport(http, await input(http, 'public', { category: 'EXTORTION', description: 'photos attached' }));
  const jpeg = structuralJpeg({ trailing: true });
  const events: UploadProgress[] = [];
  const r1 = await done.session.upload(new Blob([jpeg as Uint8Array<ArrayBuffer>]), { name: 'IMG_0001.jpg', type: 'image/jpeg', strip: true, onProgress: (p) => events.push(p) });
  t.equal(r1.kind, 'jpeg');
  t.ok(r1.removed.includes('APP1 Exif'));
  t.ok(r1.encryptMs >= 0 && r1.totalMs >= r1.encryptMs);
  t.same(events[0], { phase: 'preparing' });
  t.match(events.at(-1), { phase: 'uploading' });
  const last = events.at(-1) as { sent: number; total: number };
  t.equal(last.sent, last.total, 'progress ends at the total');
  const { bytes: pngBytes } = png({ metadata: true });
  const r2 = await done.session.upload(new Blob([pngBytes as Uint8Array<ArrayBuffer>]), { name: 'scan.png', type: 'image/png', strip: false });
  t.same(r2.removed, [], 'stripping off: sent as is');
  const empty = await done.session.upload(new Blob([]), { name: 'empty.txt', type: 'text/plain', strip: true });
  t.equal(empty.size, 0);

  const seen = await readAsReviewer(inst.services, alice, done.reportId);
  const byName = Object.fromEntries(seen.attachments.map((a) => [a.meta.name, a]));
  t.ok(byName['IMG_0001.jpg']!.complete);
  t.equal(byName['IMG_0001.jpg']!.meta.size, r1.size);
  t.notOk(contains(byName['IMG_0001.jpg']!.bytes!, GPS_MARKER), 'no GPS data reached the unit');
  t.notOk(contains(byName['IMG_0001.jpg']!.bytes!, 'Exif'));
  t.same(byName['scan.png']!.bytes, pngBytes);
  t.same(byName['empty.txt']!.bytes, new Uint8Array(0));

  const view = await done.session.load();
  t.same(view.attachments.map((a) => [a.name, a.size, a.complete]), [['IMG_0001.jpg', r1.size, true], ['scan.png', pngBytes.length, true], ['empty.txt', 0, true]]);
  // A malformed image with stripping on is refused before anything is declared.
  await t.rejects(done.session.upload(new Blob([jpeg.subarray(0, 40) as Uint8Array<ArrayBuffer>]), { name: 'bad.jpg', type: 'image/jpeg', strip: true }), { name: 'StripError' });
});

t.test('uploads resume after dropped connections, from the offset the server reports', async (t) => {
  const { inst, http, alice } = await setup(t);
  const done = await submitReport(http, await input(http, 'public', { category: 'OTHER', description: 'big file' }));
  const big = new Uint8Array(5 * DEFAULT_PIECE + 12345).map((_, i) => (i * 7) & 0xff);
  let patches = 0;
  let heads = 0;
  // Drops: the 2nd PATCH before it is sent; the 4th after the server took it (the answer is lost);
  // one HEAD fails too; the 6th PATCH meets a 503.
  const flaky: Http = {
    base: http.base,
    fetch: ((url: string, init: RequestInit) => inner(url, init)) as typeof fetch,
  };
  const inner = (async (url: string, init: RequestInit) => {
      if (init.method === 'HEAD' && ++heads === 1) throw new TypeError('network down');
      if (init.method !== 'PATCH') return fetch(url, init);
      patches++;
      if (patches === 2) throw new TypeError('connection reset');
      if (patches === 4) {
        await fetch(url, init);
        throw new TypeError('answer lost');
      }
      if (patches === 6) return new Response('{"code":"SBX_UNAVAILABLE","message":"busy"}', { status: 503 });
      return fetch(url, init);
    });
  const session = new ReporterSession(flaky, done.reportId, undefined, (done.session as unknown as { receipt: never }).receipt);
  await session.load();
  const retries: number[] = [];
  const result = await session.upload(new Blob([big]), {
    name: 'ledger.bin', type: 'application/octet-stream', strip: true, retryDelayMs: 1,
    onProgress: (p) => { if (p.phase === 'retrying') retries.push(p.attempt); },
  });
  t.equal(result.kind, 'other');
  t.ok(retries.length >= 3, 'it retried');
  const seen = await readAsReviewer(inst.services, alice, done.reportId);
  t.ok(Buffer.from(seen.attachments[0]!.bytes!).equals(Buffer.from(big)), 'the stream arrived whole and in order');
});

t.test('uploads: giving up, offsets out of range, refusals and cancel', async (t) => {
  const { http } = await setup(t);
  const done = await submitReport(http, await input(http, 'public', { category: 'OTHER', description: 'failures' }));
  const receipt = (done.session as unknown as { receipt: never }).receipt;
  const file = new Blob([new Uint8Array(300_000)]);
  const withFetch = async (f: typeof fetch) => {
    const s = new ReporterSession({ base: http.base, fetch: f }, done.reportId, undefined, receipt);
    await s.load();
    return s;
  };
  const down = await withFetch((async (url: string, init: RequestInit) => {
    if (init.method === 'PATCH' || init.method === 'HEAD') throw new TypeError('offline');
    return fetch(url, init);
  }) as typeof fetch);
  await t.rejects(down.upload(file, { name: 'a', type: '', strip: false, attempts: 2, retryDelayMs: 1 }), NetworkError, 'gives up after the attempts');

  const liar = await withFetch((async (url: string, init: RequestInit) => {
    if (init.method === 'PATCH') throw new TypeError('offline');
    if (init.method === 'HEAD') return new Response(null, { status: 204, headers: { 'upload-offset': '999999999' } });
    return fetch(url, init);
  }) as typeof fetch);
  await t.rejects(liar.upload(file, { name: 'b', type: '', strip: false, retryDelayMs: 1 }), { code: 'SBX_OFFSET_MISMATCH' });

  const noOffset = await withFetch((async (url: string, init: RequestInit) => {
    if (init.method === 'PATCH') throw new TypeError('offline');
    if (init.method === 'HEAD') return new Response(null, { status: 204 });
    return fetch(url, init);
  }) as typeof fetch);
  await t.rejects(noOffset.upload(file, { name: 'c', type: '', strip: false, retryDelayMs: 1 }), { code: 'SBX_OFFSET_MISMATCH' });

  const gone = await withFetch((async (url: string, init: RequestInit) => {
    if (init.method === 'PATCH') return new Response('<html>proxy</html>', { status: 404 });
    return fetch(url, init);
  }) as typeof fetch);
  await t.rejects(gone.upload(file, { name: 'd', type: '', strip: false }), { status: 404, code: 'SBX_HTTP_ERROR' }, 'a refusal is not retried');

  const headGone = await withFetch((async (url: string, init: RequestInit) => {
    if (init.method === 'PATCH') throw new TypeError('offline');
    if (init.method === 'HEAD') return new Response('{"code":"SBX_NOT_FOUND","message":"gone"}', { status: 404 });
    return fetch(url, init);
  }) as typeof fetch);
  await t.rejects(headGone.upload(file, { name: 'e', type: '', strip: false, retryDelayMs: 1 }), { code: 'SBX_NOT_FOUND' });

  // Cancel during the wait between attempts, and before a piece.
  const controller = new AbortController();
  const slow = await withFetch((async (url: string, init: RequestInit) => {
    if (init.method === 'PATCH') {
      setTimeout(() => controller.abort(), 5);
      throw new TypeError('offline');
    }
    return fetch(url, init);
  }) as typeof fetch);
  await t.rejects(slow.upload(file, { name: 'f', type: '', strip: false, signal: controller.signal, retryDelayMs: 1000 }), CancelledError);
  const aborted = new AbortController();
  aborted.abort();
  await t.rejects(done.session.upload(file, { name: 'g', type: '', strip: false, signal: aborted.signal }), CancelledError, 'an aborted signal stops it at once');
  const midway = new AbortController();
  await t.rejects(done.session.upload(new Blob([new Uint8Array(3 * DEFAULT_PIECE)]), {
    name: 'h', type: '', strip: false, signal: midway.signal, onProgress: (p) => { if (p.phase === 'uploading' && p.sent > 0) midway.abort(); },
  }), CancelledError, 'cancelled between pieces');
  const inWait = new AbortController();
  await t.rejects(slow.upload(file, { name: 'i', type: '', strip: false, signal: inWait.signal, retryDelayMs: 1000, onProgress: (p) => {
    if (p.phase === 'retrying') inWait.abort();
  } }), CancelledError, 'aborted before the wait starts');
  await t.rejects(request(http, 'GET', '/api/channels', { signal: aborted.signal }), CancelledError);
});
