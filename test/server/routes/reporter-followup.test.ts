// GET /api/followup and POST /api/followup/messages: the receipt header, the status the reporter
// sees, times to the hour, the conversation, closed reports and the per-receipt write limit.
import t from 'tap';
import {
  encryptBytes, encryptMessage, fromB64u, NO_PREVIOUS_MESSAGE, randomBytes, sealMessage, toB64u,
} from '../../../crypto/index.js';
import { hourFloor, iso } from '../../../server/time.js';
import { isError, setup, submitted, TestReporter, unchanged } from './reporter-fixtures.js';

const B64U = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

t.test('followup: a malformed or missing receipt header is 400 SBX_INVALID_TOKEN', async (t) => {
  const { app, services } = await setup(t);
  const r = await submitted(t, app);
  const token = toB64u(r.keys.receiptToken);
  const last = B64U.indexOf(token.at(-1)!);
  const headers: (string | undefined)[] = [
    undefined,
    '',
    'Receipt',
    'Receipt ',
    `receipt ${token}`,
    `Bearer ${token}`,
    `Receipt  ${token}`,
    `Receipt ${token} `,
    `Receipt ${token}=`,
    `Receipt ${token.slice(1)}`,
    `Receipt ${token}A`,
    `Receipt ${token.slice(0, -1)}${B64U[last | 1]}`, // the same bytes, spelled with a spare bit set
    `Receipt ${Buffer.from(r.keys.receiptToken).toString('base64')}`,
    `Receipt ${toB64u(randomBytes(31))}`,
    `Receipt ${toB64u(randomBytes(33))}`,
    `Receipt ${'é'.repeat(43)}`,
    `Receipt ${'A'.repeat(10_000)}`,
  ];
  for (const h of headers) {
    const res = await unchanged(t, services, `header ${JSON.stringify(h?.slice(0, 60))}`, () =>
      app.inject({ method: 'GET', url: '/api/followup', headers: h === undefined ? {} : { authorization: h } }));
    isError(t, res, 400, 'SBX_INVALID_TOKEN', `header ${JSON.stringify(h?.slice(0, 60))}`);
  }
  for (const [method, url] of [['POST', '/api/followup/messages'], ['POST', '/api/followup/attachments'], ['HEAD', `/api/followup/attachments/${toB64u(randomBytes(16))}`]] as const) {
    // A body that is otherwise valid, so that only the receipt is wrong.
    const payload = url.endsWith('messages') ? r.message('x') : { attachmentId: toB64u(randomBytes(16)), size: 41, meta: r.message('x') };
    const res = await app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, payload: method === 'POST' ? payload : undefined });
    t.equal(res.statusCode, 400, `${method} ${url}: 400 without a receipt`);
    if (method !== 'HEAD') t.equal(res.json().code, 'SBX_INVALID_TOKEN');
  }
});

t.test('followup: an unknown receipt is 404 SBX_NOT_FOUND, and guessing is throttled', async (t) => {
  const { app, services, inst } = await setup(t);
  await submitted(t, app);
  const guess = () => new TestReporter(app);
  const res = await unchanged(t, services, 'unknown receipt', () => guess().followup());
  const body = isError(t, res, 404, 'SBX_NOT_FOUND');
  t.notMatch(body.message as string, /token|tag/i, 'the message says nothing about the token');
  isError(t, await guess().sendMessage('x'), 404, 'SBX_NOT_FOUND', 'message with an unknown receipt');

  // The unknown-receipt ceiling: a flood of guesses answers 429 with Retry-After.
  const limiter = services.limits.unknownReceipts;
  for (;;) {
    try {
      limiter.take();
    } catch {
      break;
    }
  }
  const limited = await guess().followup();
  isError(t, limited, 429, 'SBX_RATE_LIMITED');
  t.ok(Number(limited.headers['retry-after']) >= 1);
  inst.clock.advance(Number(limited.headers['retry-after']) * 1000);
  isError(t, await guess().followup(), 404, 'SBX_NOT_FOUND', 'after Retry-After guesses are answered again');
});

t.test('followup: a known receipt sees its report, timed to the hour, with status "received"', async (t) => {
  const { app, services, inst } = await setup(t);
  inst.clock.advance(23 * 60_000 + 4567);
  const r = await submitted(t, app, 'public', { summary: 'the report' });
  const res = await r.followup();
  t.equal(res.statusCode, 200);
  const { doc, content, messages } = await r.read();
  t.same(Object.keys(doc).sort(), ['acknowledgedAt', 'attachments', 'channelId', 'closedAt', 'content', 'messages', 'receivedAt', 'reportId', 'reporterSealedKey', 'status']);
  t.match(doc, { reportId: r.reportId, channelId: 'public', status: 'received', receivedAt: '2026-11-28T16:00:00.000Z', acknowledgedAt: null, closedAt: null, messages: [], attachments: [] });
  t.same(content.answers, { summary: 'the report' });
  t.same(messages, []);

  // Messages: the reporter's at the hour of writing; the unit's, whatever the console stored, at the hour too.
  inst.clock.advance(2 * 3600_000 + 17 * 60_000);
  const m = await r.sendMessage('first message');
  t.equal(m.statusCode, 201);
  t.same(Object.keys(m.json()).sort(), ['createdAt', 'id']);
  t.equal(m.json().createdAt, '2026-11-28T18:00:00.000Z');
  const stored = services.repos.messages.listForReport(r.reportId);
  t.equal(stored.length, 1);
  t.match(stored[0], { id: m.json().id, author: 'reporter', authorUserId: null, createdAt: '2026-11-28T18:00:00.000Z' });
  t.equal(services.repos.reports.byId(r.reportId)!.lastReporterSeq, stored[0]!.seq, 'a reporter message marks the report unread');

  const reply = encryptMessage(r.reportKey, r.reportId, 'reviewer', 'a question from the unit');
  services.repos.messages.add({
    reportId: r.reportId, author: 'reviewer', authorUserId: null, createdAt: '2026-11-28T18:42:13.123Z',
    nonce: Buffer.from(fromB64u(reply.nonce)), ciphertext: Buffer.from(fromB64u(reply.ciphertext)),
  });
  const read = await r.read();
  t.same(read.messages, [{ author: 'reporter', text: 'first message' }, { author: 'reviewer', text: 'a question from the unit' }]);
  t.same(read.doc.messages.map((x: { createdAt: string }) => x.createdAt), ['2026-11-28T18:00:00.000Z', '2026-11-28T18:00:00.000Z']);
  t.same(Object.keys(read.doc.messages[1]).sort(), ['author', 'ciphertext', 'createdAt', 'id', 'nonce', 'version']);

  // The audit trail has the message, at the hour, with no token.
  const audit = services.db.sqlite.prepare("SELECT at, actor, target FROM audit_events WHERE action = 'report.message'").all();
  t.same(audit, [{ at: '2026-11-28T18:00:00.000Z', actor: 'reporter', target: r.reportId }]);

  // Every console status shows as the reporter's status; the unit's times show to the hour.
  const statuses = [['acknowledged', 'acknowledged'], ['in_review', 'in_review'], ['needs_information', 'needs_information'], ['closed', 'closed'], ['new', 'received']] as const;
  for (const [status, shown] of statuses) {
    services.repos.reports.updateTriage(r.reportId, { status }, iso(inst.clock.now()));
    t.equal((await r.followup()).json().status, shown, `${status} shows as ${shown}`);
  }
  services.repos.reports.updateTriage(r.reportId, { status: 'closed', outcome: 'no_action', acknowledgedAt: '2026-11-28T19:07:41.000Z', closedAt: '2026-11-30T09:59:59.999Z' }, iso(inst.clock.now()));
  const closed = (await r.followup()).json();
  t.match(closed, { status: 'closed', acknowledgedAt: '2026-11-28T19:00:00.000Z', closedAt: '2026-11-30T09:00:00.000Z' });
  t.notOk('outcome' in closed, 'the outcome is the unit’s, not shown to the reporter');
});

t.test('followup: every time in the answer is on the hour', async (t) => {
  const { app, inst } = await setup(t);
  inst.clock.advance(59 * 60_000 + 59_999);
  const r = await submitted(t, app);
  await r.sendMessage('m');
  const d = await r.declareAttachment('f.txt', 'text/plain', new Uint8Array(10));
  t.equal(d.res.statusCode, 201);
  const doc = (await r.followup()).json();
  const times = [doc.receivedAt, ...doc.messages.map((m: { createdAt: string }) => m.createdAt), ...doc.attachments.map((a: { createdAt: string }) => a.createdAt)];
  t.equal(times.length, 3);
  for (const at of times) t.equal(at, hourFloor(new Date(at)), `${at} is on the hour`);
});

t.test('messages: refusals (400, 404, 413, 415) keep nothing', async (t) => {
  const { app, services } = await setup(t);
  const r = await submitted(t, app);
  const send = (payload: unknown, headers: Record<string, string> = {}) =>
    unchanged(t, services, 'message refused', () => app.inject({ method: 'POST', url: '/api/followup/messages', headers: { ...r.auth, ...headers }, payload: payload as string }));
  const good = r.message('hello');
  const b = (n: number) => toB64u(randomBytes(n));
  isError(t, await send({ ...good, extra: 1 }), 400, 'SBX_INVALID_REQUEST', 'unknown field');
  isError(t, await send({ nonce: good.nonce }), 400, 'SBX_INVALID_REQUEST', 'no ciphertext');
  isError(t, await send({ ciphertext: good.ciphertext }), 400, 'SBX_INVALID_REQUEST', 'no nonce');
  isError(t, await send({ ...good, nonce: b(23) }), 400, 'SBX_INVALID_REQUEST', 'short nonce');
  isError(t, await send({ ...good, nonce: b(25) }), 400, 'SBX_INVALID_REQUEST', 'long nonce');
  isError(t, await send({ ...good, ciphertext: b(527) }), 400, 'SBX_INVALID_REQUEST', 'no padding bucket');
  isError(t, await send({ ...good, ciphertext: b(600 + 16) }), 400, 'SBX_INVALID_REQUEST', 'no padding bucket (600)');
  isError(t, await send({ ...good, ciphertext: 12 }), 400, 'SBX_INVALID_REQUEST', 'a number');
  isError(t, await send([good]), 400, 'SBX_INVALID_REQUEST', 'an array');
  isError(t, await send('null', { 'content-type': 'application/json' }), 400, 'SBX_INVALID_REQUEST', 'null');
  isError(t, await send('{"nonce"', { 'content-type': 'application/json' }), 400, 'SBX_INVALID_JSON', 'bad JSON');
  isError(t, await send(JSON.stringify(good), { 'content-type': 'text/plain' }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'text/plain');
  isError(t, await send(Buffer.from(JSON.stringify(good)), { 'content-type': 'application/octet-stream' }), 415, 'SBX_UNSUPPORTED_MEDIA_TYPE', 'octet-stream');
  // Over the 64 KiB bucket but within the 128 KiB body limit: the message check says 413.
  const over = await send({ ...good, ciphertext: 'A'.repeat(100_000) });
  isError(t, over, 413, 'SBX_TOO_LARGE', 'over 64 KiB');
  t.match(over.json().message, /64 KiB/);
  isError(t, await send({ ...good, ciphertext: toB64u(new Uint8Array((1 << 17) + 16)) }), 413, 'SBX_TOO_LARGE', 'over the body limit');
  // The largest bucket is accepted.
  const largest = encryptBytes(r.reportKey, `sealbox/v1/message/${r.reportId}/reporter`, new Uint8Array((1 << 16) - 1));
  t.equal((await app.inject({ method: 'POST', url: '/api/followup/messages', headers: r.auth, payload: largest })).statusCode, 201, 'a 64 KiB bucket fits');
});

t.test('messages: a closed report takes none, unless its channel allows messages after closing', async (t) => {
  const { app, services, inst } = await setup(t);
  const r = await submitted(t, app, 'public');
  services.repos.reports.updateTriage(r.reportId, { status: 'closed', outcome: 'substantiated', closedAt: iso(inst.clock.now()) }, iso(inst.clock.now()));
  const res = await unchanged(t, services, 'closed', () => r.sendMessage('too late'));
  isError(t, res, 409, 'SBX_REPORT_CLOSED');
  t.equal((await r.followup()).statusCode, 200, 'a closed report can still be read');

  services.repos.channels.update('public', { messagesAfterClose: true });
  const after = await r.sendMessage('thank you');
  t.equal(after.statusCode, 201, 'the channel takes messages after closing');
  t.same((await r.read()).messages, [{ author: 'reporter', text: 'thank you' }]);

  // A report in any open status takes messages.
  const other = await submitted(t, app, 'staff');
  for (const status of ['acknowledged', 'in_review', 'needs_information'] as const) {
    services.repos.reports.updateTriage(other.reportId, { status }, iso(inst.clock.now()));
    t.equal((await other.sendMessage(status)).statusCode, 201, `${status} takes messages`);
  }
});

t.test('messages: the per-receipt write limit answers 429 with Retry-After, for that receipt only', async (t) => {
  const { app, services, inst } = await setup(t);
  const r = await submitted(t, app);
  const other = await submitted(t, app);
  const limiter = services.limits.followupWrites;
  const key = services.keys.receiptTag(r.keys.receiptToken).toString('hex');
  let sent = 0;
  for (;;) {
    const res = await r.sendMessage(`message ${sent}`);
    if (res.statusCode !== 201) {
      const body = await unchanged(t, services, 'rate limited', () => r.sendMessage('one more'));
      isError(t, body, 429, 'SBX_RATE_LIMITED');
      t.ok(Number(body.headers['retry-after']) >= 1, 'Retry-After');
      isError(t, res, 429, 'SBX_RATE_LIMITED');
      break;
    }
    sent++;
  }
  t.equal(sent, limiter.burst, `a burst of ${limiter.burst} messages`);
  t.equal(services.repos.messages.listForReport(r.reportId).length, limiter.burst);
  t.equal((await other.sendMessage('not limited')).statusCode, 201, 'another receipt is not limited');
  t.throws(() => limiter.take(key), { statusCode: 429, code: 'SBX_RATE_LIMITED' }, 'the limit is keyed by the receipt tag');
  inst.clock.advance(60_000);
  t.equal((await r.sendMessage('a minute later')).statusCode, 201, 'the bucket refills');
  // Reading is not a write.
  t.equal((await r.followup()).statusCode, 200);
});

t.test('messages version 2: stored under the id sealed into the AD, that id twice is 409 and keeps nothing, a bad id is 400', async (t) => {
  const { app, services } = await setup(t);
  const r = await submitted(t, app);
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/api/followup/messages', headers: r.auth, payload: payload as string });
  const { body } = sealMessage(r.reportKey, r.reportId, 'reporter', 'version two', NO_PREVIOUS_MESSAGE);
  const res = await post(body);
  t.equal(res.statusCode, 201);
  t.equal(res.json().id, body.id, 'the id the sender chose, which the AD names');
  const old = await post(r.message('version one'));
  t.equal(old.statusCode, 201);
  t.not(old.json().id, body.id);
  const doc = (await r.followup()).json();
  t.same(doc.messages.map((m: { id: string; version: number }) => [m.id, m.version]), [[body.id, 2], [old.json().id, 1]]);
  t.same((await r.read()).messages, [{ author: 'reporter', text: 'version two' }, { author: 'reporter', text: 'version one' }]);

  const again = sealMessage(r.reportKey, r.reportId, 'reporter', 'another text', NO_PREVIOUS_MESSAGE).body;
  const send = (payload: unknown) => unchanged(t, services, 'version 2 refused', () => post(payload));
  isError(t, await send({ ...again, id: body.id }), 409, 'SBX_MESSAGE_ID_TAKEN', 'an id already taken');
  isError(t, await send({ ...again, id: toB64u(randomBytes(15)) }), 400, 'SBX_INVALID_REQUEST', 'a 15-byte id');
  isError(t, await send({ ...again, id: `${again.id.slice(0, 21)}+` }), 400, 'SBX_INVALID_REQUEST', 'not base64url');
  isError(t, await send({ ...again, id: 7 }), 400, 'SBX_INVALID_REQUEST', 'a number');
});
