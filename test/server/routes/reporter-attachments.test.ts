// Attachments: declare, upload whole (PUT) or in pieces (HEAD/PATCH, the core of tus), every error,
// path traversal in the id, and the stored stream decrypting to the original file.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import t, { type Test } from 'tap';
import {
  decryptAttachmentBytes, decryptAttachmentMeta, encryptAttachmentMeta, encryptBytes, encryptedSize, openSealedKey, PARAMS,
  randomBytes, toB64u,
} from '../../../crypto/index.js';
import { MAX_ATTACHMENTS, MAX_PIECE } from '../../../server/routes/reporter/attachments.js';
import { iso } from '../../../server/time.js';
import { waitFor } from '../../helpers/wait.js';
import { counts, isError, setup, submitted, TestReporter, unchanged, type Setup } from './reporter-fixtures.js';

type App = Setup['app'];
const OCTET = 'application/octet-stream';
const OFFSET = 'application/offset+octet-stream';

const urlOf = (id: string) => `/api/followup/attachments/${id}`;
const put = (app: App, r: TestReporter, id: string, body: Uint8Array | Readable, type = OCTET) =>
  app.inject({ method: 'PUT', url: urlOf(id), headers: { ...r.auth, 'content-type': type }, payload: body instanceof Uint8Array ? Buffer.from(body) : body });
const patch = (app: App, r: TestReporter, id: string, offset: number | string, body: Uint8Array | Readable, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'PATCH', url: urlOf(id),
    headers: { ...r.auth, 'content-type': OFFSET, 'upload-offset': String(offset), ...headers },
    payload: body instanceof Uint8Array ? Buffer.from(body) : body,
  });
const head = (app: App, r: TestReporter, id: string) => app.inject({ method: 'HEAD', url: urlOf(id), headers: r.auth });

/** A file of `n` bytes with some structure, so that a misplaced piece shows. */
function file(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >> 8)) & 0xff;
  return out;
}

/** Decrypts a stored attachment as a reviewer would: metadata with K, then the stream with the file key. */
async function openStored(s: Setup, r: TestReporter, attachmentId: string): Promise<{ name: string; type: string; size: number; bytes: Uint8Array }> {
  const row = s.services.repos.attachments.get(attachmentId)!;
  const envelope = s.services.repos.reports.key(r.reportId, s.alice.keyId)!;
  const k = openSealedKey(toB64u(envelope.sealedKey), s.alice.box);
  const meta = decryptAttachmentMeta(k, r.reportId, attachmentId, { nonce: toB64u(row.metaNonce), ciphertext: toB64u(row.metaCiphertext) });
  const stream = readFileSync(join(s.services.paths.blobs, attachmentId));
  const bytes = await decryptAttachmentBytes(Uint8Array.from(Buffer.from(meta.key, 'base64url')), stream);
  return { name: meta.name, type: meta.type, size: meta.size, bytes };
}

/** Byte equality without tap's deep diff (far too slow for megabytes). */
const sameBytes = (t: Test, actual: Uint8Array, expected: Uint8Array, what: string) =>
  t.ok(actual.length === expected.length && Buffer.compare(Buffer.from(actual), Buffer.from(expected)) === 0, `${what} (${actual.length} bytes)`);

const blobSize = (s: Setup, id: string): number | undefined => {
  const p = join(s.services.paths.blobs, id);
  return existsSync(p) ? statSync(p).size : undefined;
};

t.test('declare: 201, the record at the hour, an audit event; the follow-up lists it', async (t) => {
  const s = await setup(t);
  s.inst.clock.advance(41 * 60_000);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('evidence.pdf', 'application/pdf', file(1000));
  t.equal(d.res.statusCode, 201);
  t.same(d.res.json(), { attachmentId: d.attachmentId });
  const row = s.services.repos.attachments.get(d.attachmentId)!;
  t.match(row, { reportId: r.reportId, size: d.stream.length, received: 0, complete: false, createdAt: '2026-11-28T16:00:00.000Z' });
  t.equal(d.stream.length, encryptedSize(1000));
  const audit = s.services.db.sqlite.prepare("SELECT at, actor, target, details FROM audit_events WHERE action = 'report.attachment'").all();
  t.same(audit, [{ at: '2026-11-28T16:00:00.000Z', actor: 'reporter', target: r.reportId, details: JSON.stringify({ attachmentId: d.attachmentId, size: d.stream.length }) }]);
  const doc = (await r.followup()).json();
  t.same(doc.attachments, [{ id: d.attachmentId, createdAt: '2026-11-28T16:00:00.000Z', size: d.stream.length, complete: false, meta: { nonce: toB64u(row.metaNonce), ciphertext: toB64u(row.metaCiphertext) } }]);
  t.equal(s.services.repos.reports.byId(r.reportId)!.lastReporterSeq, row.seq, 'a declared file marks the report unread');
  const h = await head(s.app, r, d.attachmentId);
  t.equal(h.statusCode, 204);
  t.equal(h.headers['upload-offset'], '0');
  t.equal(h.headers['upload-length'], String(d.stream.length));
  t.equal(h.headers['tus-resumable'], '1.0.0');
});

t.test('declare: refusals keep nothing', async (t) => {
  const s = await setup(t);
  const { app, services } = s;
  const r = await submitted(t, app);
  const other = await submitted(t, app);
  const good = await r.declareAttachment('a.txt', 'text/plain', file(10));
  const meta = encryptAttachmentMeta(r.reportKey, r.reportId, 'x', { name: 'n', type: 't', size: 1, key: toB64u(randomBytes(32)), chunkSize: PARAMS.chunkSize });
  const declare = (payload: unknown, who = r, headers: Record<string, string> = {}) =>
    unchanged(t, services, 'declaration refused', () => app.inject({ method: 'POST', url: '/api/followup/attachments', headers: { ...who.auth, ...headers }, payload: payload as string }));
  const id = () => toB64u(randomBytes(16));

  // The size must be the length of some encrypted stream.
  // Within a chunk every length is some file's; right after a full chunk, 1 to 17 bytes are no file's.
  for (const size of [0, 1, 24, 40, encryptedSize(65_536) + 1, encryptedSize(65_536) + 16, encryptedSize(131_072) + 1, encryptedSize(131_072) + 17]) {
    const res = await declare({ attachmentId: id(), size, meta });
    isError(t, res, 400, 'SBX_INVALID_REQUEST', `size ${size} is no stream length`);
  }
  for (const size of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '41', null]) {
    isError(t, await declare({ attachmentId: id(), size, meta }), 400, 'SBX_INVALID_REQUEST', `size ${String(size)}`);
  }
  // Over the channel's limit: 413; at the limit: accepted.
  services.repos.channels.update('staff', { maxAttachmentBytes: 100_000 });
  const over = await declare({ attachmentId: id(), size: encryptedSize(100_001), meta });
  isError(t, over, 413, 'SBX_TOO_LARGE', 'over the channel limit');
  t.match(over.json().message, /100000 bytes/);
  t.equal((await app.inject({ method: 'POST', url: '/api/followup/attachments', headers: r.auth, payload: { attachmentId: id(), size: encryptedSize(100_000), meta } })).statusCode, 201, 'at the limit');

  // The id: taken (by this report or another), malformed.
  isError(t, await declare({ attachmentId: good.attachmentId, size: 41, meta }), 409, 'SBX_ATTACHMENT_EXISTS', 'duplicate id');
  isError(t, await declare({ attachmentId: good.attachmentId, size: 41, meta }, other), 409, 'SBX_ATTACHMENT_EXISTS', 'another report’s id');
  for (const bad of ['', 'short', toB64u(randomBytes(15)), toB64u(randomBytes(17)), '../../../../etc/passwd', `${id().slice(0, -1)}=`, 'A'.repeat(10_000)]) {
    isError(t, await declare({ attachmentId: bad, size: 41, meta }), 400, 'SBX_INVALID_REQUEST', `id ${bad.slice(0, 30)}`);
  }
  // The metadata: an encrypted object of at most 4 KiB.
  isError(t, await declare({ attachmentId: id(), size: 41 }), 400, 'SBX_INVALID_REQUEST', 'no meta');
  isError(t, await declare({ attachmentId: id(), size: 41, meta: null }), 400, 'SBX_INVALID_REQUEST', 'null meta');
  isError(t, await declare({ attachmentId: id(), size: 41, meta: { ...meta, extra: 1 } }), 400, 'SBX_INVALID_REQUEST', 'meta with an extra field');
  isError(t, await declare({ attachmentId: id(), size: 41, meta: { ...meta, ciphertext: toB64u(randomBytes(700)) } }), 400, 'SBX_INVALID_REQUEST', 'meta of no bucket');
  const bigMeta = encryptBytes(r.reportKey, 'x', new Uint8Array(5000));
  const tooBig = await declare({ attachmentId: id(), size: 41, meta: bigMeta });
  isError(t, tooBig, 413, 'SBX_TOO_LARGE', 'meta over 4 KiB');
  t.match(tooBig.json().message, /4 KiB/);
  isError(t, await declare({ attachmentId: id(), size: 41, meta: { ...meta, ciphertext: 'A'.repeat(20_000) } }), 413, 'SBX_TOO_LARGE', 'body over 16 KiB');
  isError(t, await declare({ attachmentId: id(), size: 41, meta, extra: 1 }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
  isError(t, await declare('{"attachmentId"', r, { 'content-type': 'application/json' }), 400, 'SBX_INVALID_JSON', 'bad JSON');
  isError(t, await declare(JSON.stringify({ attachmentId: id(), size: 41, meta }), r, { 'content-type': 'text/plain' }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'text/plain');
  isError(t, await declare(Buffer.from('{}'), r, { 'content-type': OCTET }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'octet-stream');

  // A closed report takes no files.
  services.repos.reports.updateTriage(other.reportId, { status: 'closed', closedAt: iso(s.inst.clock.now()) }, iso(s.inst.clock.now()));
  isError(t, await declare({ attachmentId: id(), size: 41, meta }, other), 409, 'SBX_REPORT_CLOSED', 'closed report');
  services.repos.channels.update('staff', { messagesAfterClose: true });
  t.equal((await app.inject({ method: 'POST', url: '/api/followup/attachments', headers: other.auth, payload: { attachmentId: id(), size: 41, meta } })).statusCode, 201, 'unless the channel allows it');
});

t.test('declare: at most MAX_ATTACHMENTS per report; the write limit applies', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const meta = encryptAttachmentMeta(r.reportKey, r.reportId, 'x', { name: 'n', type: 't', size: 0, key: toB64u(randomBytes(32)), chunkSize: PARAMS.chunkSize });
  for (let i = 0; i < MAX_ATTACHMENTS; i++) {
    s.services.repos.attachments.create({ id: toB64u(randomBytes(16)), reportId: r.reportId, size: 41, createdAt: '2026-11-28T16:00:00.000Z', metaNonce: Buffer.alloc(24), metaCiphertext: Buffer.alloc(528) });
  }
  const res = await unchanged(t, s.services, 'too many', () => s.app.inject({ method: 'POST', url: '/api/followup/attachments', headers: r.auth, payload: { attachmentId: toB64u(randomBytes(16)), size: 41, meta } }));
  isError(t, res, 413, 'SBX_TOO_MANY_ATTACHMENTS');

  const other = await submitted(t, s.app);
  const limiter = s.services.limits.followupWrites;
  const key = s.services.keys.receiptTag(other.keys.receiptToken).toString('hex');
  for (let i = 0; i < limiter.burst; i++) limiter.take(key);
  const limited = await unchanged(t, s.services, 'limited', () => s.app.inject({ method: 'POST', url: '/api/followup/attachments', headers: other.auth, payload: { attachmentId: toB64u(randomBytes(16)), size: 41, meta } }));
  isError(t, limited, 429, 'SBX_RATE_LIMITED');
  t.ok(Number(limited.headers['retry-after']) >= 1);
});

t.test('PUT: the whole stream in one request; complete; decrypts to the original file', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const original = file(200_000);
  const d = await r.declareAttachment('photo.jpg', 'image/jpeg', original);
  const res = await put(s.app, r, d.attachmentId, d.stream);
  t.equal(res.statusCode, 204);
  t.equal(res.body, '');
  t.match(s.services.repos.attachments.get(d.attachmentId), { received: d.stream.length, complete: true });
  t.equal(blobSize(s, d.attachmentId), d.stream.length);
  sameBytes(t, readFileSync(join(s.services.paths.blobs, d.attachmentId)), d.stream, 'the blob is the stream byte for byte');
  const opened = await openStored(s, r, d.attachmentId);
  t.match(opened, { name: 'photo.jpg', type: 'image/jpeg', size: original.length });
  sameBytes(t, opened.bytes, original, 'decrypts to the original');
  const h = await head(s.app, r, d.attachmentId);
  t.equal(h.headers['upload-offset'], String(d.stream.length));
  t.equal((await r.followup()).json().attachments[0].complete, true);

  // Again after complete: 409, nothing changes.
  isError(t, await unchanged(t, s.services, 'PUT again', () => put(s.app, r, d.attachmentId, d.stream)), 409, 'SBX_ALREADY_COMPLETE');
  isError(t, await unchanged(t, s.services, 'PATCH after complete', () => patch(s.app, r, d.attachmentId, d.stream.length, new Uint8Array(1))), 409, 'SBX_ALREADY_COMPLETE');

  // An empty file is one empty final chunk: 41 bytes.
  const empty = await r.declareAttachment('empty', 'text/plain', new Uint8Array(0));
  t.equal(empty.stream.length, 41);
  t.equal((await put(s.app, r, empty.attachmentId, empty.stream)).statusCode, 204);
  sameBytes(t, (await openStored(s, r, empty.attachmentId)).bytes, new Uint8Array(0), 'decrypts to the original');
});

t.test('PUT: a body of the wrong length is 400 SBX_SIZE_MISMATCH and nothing is kept', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('a.bin', 'application/octet-stream', file(100_000));
  const row = () => s.services.repos.attachments.get(d.attachmentId)!;
  const before = counts(s.services);
  for (const body of [d.stream.subarray(0, d.stream.length - 1), new Uint8Array(0), Buffer.concat([d.stream, Buffer.alloc(1)]), Buffer.concat([d.stream, Buffer.alloc(70_000)])]) {
    const res = await put(s.app, r, d.attachmentId, body);
    isError(t, res, 400, 'SBX_SIZE_MISMATCH', `a body of ${body.length} bytes for ${d.stream.length}`);
    t.match(row(), { received: 0, complete: false }, 'nothing counted');
    t.equal(blobSize(s, d.attachmentId) ?? 0, 0, 'no byte kept on disk');
  }
  // A stream without Content-Length that ends short, or runs long, is refused the same way.
  const short = await put(s.app, r, d.attachmentId, Readable.from([Buffer.from(d.stream.subarray(0, 1000)), Buffer.from(d.stream.subarray(1000, d.stream.length - 1))]));
  isError(t, short, 400, 'SBX_SIZE_MISMATCH', 'a chunked body that ends short');
  t.equal(blobSize(s, d.attachmentId) ?? 0, 0, 'the bytes of a short body are dropped');
  t.match(row(), { received: 0, complete: false });
  const long = await put(s.app, r, d.attachmentId, Readable.from([Buffer.from(d.stream), Buffer.alloc(10)]));
  isError(t, long, 400, 'SBX_SIZE_MISMATCH', 'a chunked body that runs long');
  t.equal(blobSize(s, d.attachmentId) ?? 0, 0);
  t.same({ ...counts(s.services), blobs: before.blobs }, before, 'no rows added');
  // The right body after all that: accepted.
  t.equal((await put(s.app, r, d.attachmentId, d.stream)).statusCode, 204);
  sameBytes(t, (await openStored(s, r, d.attachmentId)).bytes, file(100_000), 'decrypts to the original');
});

t.test('PUT: content type, unknown and foreign ids, after PATCH', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const other = await submitted(t, s.app);
  const d = await r.declareAttachment('a', 'b', file(5000));
  for (const type of [OFFSET, 'application/json', 'text/plain', 'application/octet-stream; charset=binary', 'multipart/form-data; boundary=x']) {
    const res = await unchanged(t, s.services, type, () => put(s.app, r, d.attachmentId, d.stream, type));
    isError(t, res, 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', `PUT as ${type}`);
  }
  isError(t, await unchanged(t, s.services, 'unknown id', () => put(s.app, r, toB64u(randomBytes(16)), d.stream)), 404, 'SBX_NOT_FOUND', 'unknown id');
  isError(t, await unchanged(t, s.services, 'foreign id', () => put(s.app, other, d.attachmentId, d.stream)), 404, 'SBX_NOT_FOUND', 'another report’s attachment');
  t.equal((await unchanged(t, s.services, 'foreign HEAD', () => head(s.app, other, d.attachmentId))).statusCode, 404, 'HEAD of another report’s attachment (no body)');
  isError(t, await unchanged(t, s.services, 'foreign PATCH', () => patch(s.app, other, d.attachmentId, 0, d.stream)), 404, 'SBX_NOT_FOUND', 'PATCH of another report’s attachment');
  t.equal((await head(s.app, r, toB64u(randomBytes(16)))).statusCode, 404, 'HEAD of an unknown id');
  isError(t, await unchanged(t, s.services, 'unknown receipt', () => put(s.app, new TestReporter(s.app), d.attachmentId, d.stream)), 404, 'SBX_NOT_FOUND', 'unknown receipt');

  t.equal((await patch(s.app, r, d.attachmentId, 0, d.stream.subarray(0, 100))).statusCode, 204);
  const res = await unchanged(t, s.services, 'PUT after PATCH', () => put(s.app, r, d.attachmentId, d.stream));
  isError(t, res, 409, 'SBX_OFFSET_MISMATCH', 'PUT after a PATCH');
  t.equal(blobSize(s, d.attachmentId), 100);
});

t.test('PATCH: pieces, HEAD, resume after an offset mismatch, complete', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const original = file(300_000);
  const d = await r.declareAttachment('video.mp4', 'video/mp4', original);
  const size = d.stream.length;
  const cuts = [0, 1, 65_536, 65_537, 200_000, size];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i]!, cuts[i + 1]!];
    // First the wrong offset (a client that lost track), then the one HEAD gives.
    for (const wrong of [from + 1, from - 1, 0, size].filter((w) => w !== from && w >= 0)) {
      const res = await unchanged(t, s.services, `offset ${wrong} at ${from}`, () => patch(s.app, r, d.attachmentId, wrong, d.stream.subarray(wrong, Math.min(size, wrong + 10))));
      const body = isError(t, res, 409, 'SBX_OFFSET_MISMATCH', `offset ${wrong} when the server has ${from}`);
      t.match(body.message as string, String(from), 'the message names the offset to resume from');
    }
    const h = await head(s.app, r, d.attachmentId);
    t.equal(h.headers['upload-offset'], String(from));
    const res = await patch(s.app, r, d.attachmentId, Number(h.headers['upload-offset']), d.stream.subarray(from, to));
    t.equal(res.statusCode, 204, `piece ${from}–${to}`);
    t.equal(res.headers['upload-offset'], String(to));
    t.equal(res.headers['tus-resumable'], '1.0.0');
    t.equal(s.services.repos.attachments.get(d.attachmentId)!.complete, to === size, to === size ? 'complete at the end' : 'not complete yet');
  }
  sameBytes(t, (await openStored(s, r, d.attachmentId)).bytes, original, 'the pieces make the file');
});

t.test('PATCH: refusals (413 past the size or over 8 MiB, 415, 400 on a bad offset header)', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('a', 'b', file(10_000));
  const size = d.stream.length;
  t.equal((await patch(s.app, r, d.attachmentId, 0, d.stream.subarray(0, 5000))).statusCode, 204);
  const refused = async (what: string, res: Promise<Awaited<ReturnType<typeof patch>>>, status: number, code: string) => {
    const got = await unchanged(t, s.services, what, () => res);
    isError(t, got, status, code, what);
    t.equal(blobSize(s, d.attachmentId), 5000, `${what}: the blob keeps its 5000 bytes`);
  };
  await refused('past the size', patch(s.app, r, d.attachmentId, 5000, new Uint8Array(size - 5000 + 1)), 413, 'SBX_TOO_LARGE');
  await refused('past the size, chunked', patch(s.app, r, d.attachmentId, 5000, Readable.from([Buffer.alloc(size - 5000), Buffer.alloc(1)])), 413, 'SBX_TOO_LARGE');
  for (const type of [OCTET, 'application/json', 'text/plain', `${OFFSET}; x=y`]) {
    await refused(`as ${type}`, patch(s.app, r, d.attachmentId, 5000, d.stream.subarray(5000), { 'content-type': type }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE');
  }
  for (const offset of ['', '-1', '1.5', 'abc', '0x10', '1e3', '9'.repeat(16), ' 5000']) {
    await refused(`Upload-Offset ${JSON.stringify(offset)}`, patch(s.app, r, d.attachmentId, offset, d.stream.subarray(5000)), 400, 'SBX_INVALID_REQUEST');
  }
  const noOffset = s.app.inject({ method: 'PATCH', url: urlOf(d.attachmentId), headers: { ...r.auth, 'content-type': OFFSET }, payload: Buffer.from(d.stream.subarray(5000)) });
  await refused('no Upload-Offset', noOffset, 400, 'SBX_INVALID_REQUEST');
  // Resumes after all of that.
  const done = await patch(s.app, r, d.attachmentId, 5000, d.stream.subarray(5000));
  t.equal(done.statusCode, 204);
  sameBytes(t, (await openStored(s, r, d.attachmentId)).bytes, file(10_000), 'decrypts to the original');
});

t.test('PATCH: a piece over 8 MiB is 413 before a byte is read', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const plain = MAX_PIECE + 100_000;
  const d = await r.declareAttachment('big', 'b', file(plain));
  const res = await unchanged(t, s.services, 'over 8 MiB', () => patch(s.app, r, d.attachmentId, 0, d.stream.subarray(0, MAX_PIECE + 1)));
  isError(t, res, 413, 'SBX_TOO_LARGE', 'a 8 MiB + 1 piece');
  t.match(res.json().message, /8 MiB/);
  // Exactly 8 MiB is fine, and a chunked piece over 8 MiB is cut at 8 MiB.
  t.equal((await patch(s.app, r, d.attachmentId, 0, d.stream.subarray(0, MAX_PIECE))).statusCode, 204);
  t.equal(blobSize(s, d.attachmentId), MAX_PIECE);
  const rest = d.stream.subarray(MAX_PIECE);
  t.equal((await patch(s.app, r, d.attachmentId, MAX_PIECE, rest)).statusCode, 204);
  sameBytes(t, (await openStored(s, r, d.attachmentId)).bytes, file(plain), 'decrypts to the original');
});

t.test('PATCH: a piece interrupted mid-stream keeps nothing of itself; the upload resumes', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('a', 'b', file(50_000));
  t.equal((await patch(s.app, r, d.attachmentId, 0, d.stream.subarray(0, 1000))).statusCode, 204);
  // Watch the blob store, to know when the server side has given up on the piece.
  const failures: unknown[] = [];
  const append = s.services.blobs.append.bind(s.services.blobs);
  s.services.blobs.append = async (...args) => append(...args).catch((error: unknown) => {
    failures.push(error);
    throw error;
  });
  const body = new PassThrough();
  const pending = patch(s.app, r, d.attachmentId, 1000, body, { 'content-length': String(d.stream.length - 1000) });
  body.write(Buffer.from(d.stream.subarray(1000, 20_000)));
  // The connection drops once the server is writing the piece: some of its bytes are on disk.
  const writing = () => (blobSize(s, d.attachmentId) ?? 0) > 1000;
  await waitFor(writing, { what: 'the server to have bytes of the piece on disk', timeoutMs: 5_000, intervalMs: 10 });
  t.ok(writing(), 'the server was writing the piece');
  body.destroy(Object.assign(new Error('connection lost'), { code: 'ECONNRESET' }));
  await pending.then(() => undefined, () => undefined);
  await waitFor(() => failures.length > 0, { what: 'blobs.append to give up on the interrupted piece', timeoutMs: 5_000, intervalMs: 10 });
  await new Promise((resolve) => setImmediate(resolve)); // the route's own catch and finally, after the failure
  t.match(failures, [{ statusCode: 400, code: 'SBX_UPLOAD_ABORTED' }], 'the piece failed as an interrupted upload');
  t.equal(blobSize(s, d.attachmentId), 1000, 'the blob is back at the last acknowledged offset');
  t.equal(s.services.repos.attachments.get(d.attachmentId)!.received, 1000);
  const h = await head(s.app, r, d.attachmentId);
  t.equal(h.headers['upload-offset'], '1000');
  t.equal((await patch(s.app, r, d.attachmentId, 1000, d.stream.subarray(1000))).statusCode, 204);
  sameBytes(t, (await openStored(s, r, d.attachmentId)).bytes, file(50_000), 'decrypts to the original');
});

t.test('PATCH: one writer at a time (409 SBX_UPLOAD_BUSY); a piece the database no longer fits is refused', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('a', 'b', file(50_000));
  const append = s.services.blobs.append.bind(s.services.blobs);
  let entered!: () => void;
  const writing = new Promise<void>((resolve) => (entered = resolve));
  s.services.blobs.append = async (...args) => {
    entered();
    return append(...args);
  };
  const slow = new PassThrough();
  const first = patch(s.app, r, d.attachmentId, 0, slow, { 'content-length': String(d.stream.length) });
  slow.write(Buffer.from(d.stream.subarray(0, 10)));
  await writing; // the first writer holds the attachment
  const second = await patch(s.app, r, d.attachmentId, 0, d.stream);
  isError(t, second, 409, 'SBX_UPLOAD_BUSY', 'a second writer');
  isError(t, await put(s.app, r, d.attachmentId, d.stream), 409, 'SBX_UPLOAD_BUSY', 'a PUT beside a PATCH');
  // Meanwhile the record moves on (a second server process, a bug): the first piece no longer fits.
  s.services.repos.attachments.addReceived(d.attachmentId, 1);
  slow.end(Buffer.from(d.stream.subarray(10)));
  const res = await first;
  isError(t, res, 409, 'SBX_OFFSET_MISMATCH', 'the record changed underneath');
  t.equal(s.services.repos.attachments.get(d.attachmentId)!.complete, false);
});

t.test('attachment ids cannot name a file outside data/blobs', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('a', 'b', file(10));
  const dataDir = s.services.paths.dir;
  const parent = dirname(dataDir);
  const snapshot = () => ({
    data: readdirSync(dataDir).sort(),
    parent: readdirSync(parent).filter((f) => !f.startsWith('sealbox-test-')).sort(),
    secret: createHash('sha256').update(readFileSync(s.services.paths.secret)).digest('hex'),
    blobs: readdirSync(s.services.paths.blobs).sort(),
  });
  const before = snapshot();
  const attempts = [
    '..%2F..%2Fetc%2Fpasswd', '..%2Fserver-secret', '..%2Fsealbox.db', '%2e%2e%2fpwned', '..%5c..%5cpwned', '..', '.', '%2e%2e',
    '../x', '../../pwned', './x', 'x/../../y', '%00', 'a%00b', `${d.attachmentId}%2F..`, `${d.attachmentId}.deleted`,
    'A'.repeat(21), 'A'.repeat(23), 'A'.repeat(150), 'A'.repeat(199),
  ];
  for (const id of attempts) {
    for (const [method, extra] of [['PUT', { 'content-type': OCTET }], ['PATCH', { 'content-type': OFFSET, 'upload-offset': '0' }], ['HEAD', {}]] as const) {
      const res = await unchanged(t, s.services, `${method} ${id}`, () => s.app.inject({
        method, url: `/api/followup/attachments/${id}`, headers: { ...r.auth, ...extra }, payload: method === 'HEAD' ? undefined : Buffer.from('pwned'),
      }));
      t.ok([400, 404].includes(res.statusCode), `${method} ${id.slice(0, 40)}: ${res.statusCode}`);
      if (method !== 'HEAD') t.match(res.json().code, /^SBX_/, `${method} ${id.slice(0, 40)}: an SBX_ code`);
    }
  }
  t.same(snapshot(), before, 'no file appeared or changed outside data/blobs, and none inside');
  t.equal(existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8').includes('pwned') : false, false);
});

t.test('attachment ids longer than the router allows get the protocol’s error, with the security headers', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  for (const url of [`/api/followup/attachments/${'A'.repeat(300)}`, '/api/followup/attachments/%E0%A4%A', '/api/followup/%']) {
    const res = await s.app.inject({ method: 'PUT', url, headers: { ...r.auth, 'content-type': OCTET }, payload: Buffer.from('x') });
    t.ok([400, 404].includes(res.statusCode), `${url.slice(0, 50)}: 400 or 404 (${res.statusCode})`);
    t.match(res.json(), { code: /^SBX_/ }, 'an SBX_ code');
    t.equal(res.headers['cache-control'], 'no-store', 'Cache-Control');
    t.ok(res.headers['content-security-policy'], 'CSP');
  }
});

t.test('over real HTTP a refused stream gets its answer, not a reset connection', async (t) => {
  const s = await setup(t);
  const r = await submitted(t, s.app);
  const d = await r.declareAttachment('a', 'b', file(100_000));
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = s.app.server.address() as { port: number };
  const { request } = await import('node:http');
  /** Sends `pieces` chunked (no Content-Length) and waits for the answer. */
  const send = (method: string, type: string, extra: Record<string, string>, pieces: Buffer[]) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: urlOf(d.attachmentId), headers: { ...r.auth, 'content-type': type, ...extra } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      void (async () => {
        for (const p of pieces) {
          if (!req.write(p)) await new Promise((ok) => req.once('drain', ok));
        }
        req.end();
      })();
    });
  const tooLong = [Buffer.from(d.stream), ...Array.from({ length: 20 }, () => Buffer.alloc(64 * 1024))];
  const p = await send('PATCH', OFFSET, { 'upload-offset': '0' }, tooLong);
  t.equal(p.status, 413, 'PATCH past the size: 413 arrives');
  t.equal(JSON.parse(p.body).code, 'SBX_TOO_LARGE');
  const w = await send('PUT', OCTET, {}, tooLong);
  t.equal(w.status, 400, 'PUT too long: 400 arrives');
  t.equal(JSON.parse(w.body).code, 'SBX_SIZE_MISMATCH');
  t.equal(blobSize(s, d.attachmentId) ?? 0, 0, 'nothing kept');
  const ok = await send('PUT', OCTET, {}, [Buffer.from(d.stream.subarray(0, 5000)), Buffer.from(d.stream.subarray(5000))]);
  t.equal(ok.status, 204, 'then the right stream, chunked, is taken');
  sameBytes(t, (await openStored(s, r, d.attachmentId)).bytes, file(100_000), 'decrypts to the original');
});
