// A reviewer's messages to the reporter and internal notes: stored, shown, audited, never the
// notes to the reporter; sizes and shapes checked like the reporter's own messages.
import t from 'tap';
import {
  decryptMessage, decryptNote, encryptMessage, encryptNote, generateReportKey, NO_PREVIOUS_MESSAGE, openConversation, randomBytes, sealMessage, toB64u,
} from '../../../crypto/index.js';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, submitReport, unchanged } from './console-fixtures.js';

const { app, reporterApp, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const report = await submitReport(reporterApp, 'staff');
const elsewhere = await submitReport(reporterApp, 'public');
const reviewer = await signIn(app, clock, zoe);
const id = report.reportId;
const internalKey = generateReportKey();

t.test('a reviewer\'s message reaches the reporter, with its exact time', async (t) => {
  clock.advance(17 * 60_000 + 3000);
  const sealed = encryptMessage(report.reportKey, id, 'reviewer', 'Thank you — could you tell us the date? شكرا');
  const res = await reviewer.send('POST', `/api/reports/${id}/messages`, sealed);
  t.equal(res.statusCode, 201);
  const { id: messageId, createdAt } = res.json();
  t.equal(createdAt, clock.now().toISOString(), 'reviewer events are not rounded to the hour');
  t.match(auditOf(services, 'report.message').at(-1), { actor: `user:${zoe.id}`, target: id, details: { messageId } });

  const seen = await report.read();
  t.same(seen.messages.map((m: { author: string; text: string }) => [m.author, m.text]), [['reviewer', 'Thank you — could you tell us the date? شكرا']]);
  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  t.match(doc.messages[0], { id: messageId, author: 'reviewer', createdAt, nonce: sealed.nonce, ciphertext: sealed.ciphertext });
  t.equal(decryptMessage(report.reportKey, id, 'reviewer', doc.messages[0]), 'Thank you — could you tell us the date? شكرا');
  t.equal(doc.unread, false, 'a reviewer\'s own message does not mark the report unread');
});

t.test('an internal note is stored for reviewers only', async (t) => {
  const sealed = encryptNote(internalKey, id, 'The broker named is known to us.');
  const res = await reviewer.send('POST', `/api/reports/${id}/notes`, sealed);
  t.equal(res.statusCode, 201);
  const { id: noteId, createdAt } = res.json();
  t.match(auditOf(services, 'report.note').at(-1), { actor: `user:${zoe.id}`, target: id, details: { noteId } });
  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  t.same(doc.notes, [{ id: noteId, authorUserId: zoe.id, createdAt, nonce: sealed.nonce, ciphertext: sealed.ciphertext }]);
  t.equal(decryptNote(internalKey, id, doc.notes[0]), 'The broker named is known to us.');
  const followup = (await report.followup()).body;
  t.notOk(followup.includes(sealed.ciphertext.slice(0, 40)), 'the reporter never gets a note');
});

t.test('shapes and sizes, as for the reporter\'s messages', async (t) => {
  const good = encryptMessage(report.reportKey, id, 'reviewer', 'x');
  for (const what of ['messages', 'notes']) {
    const url = `/api/reports/${id}/${what}`;
    await unchanged(t, services, `refused ${what}`, async () => {
      isError(t, await reviewer.send('POST', url, { ...good, ciphertext: 'A'.repeat(100_000) }), 413, 'SBX_TOO_LARGE', `${what}: over 64 KiB`);
      isError(t, await reviewer.send('POST', url, { nonce: good.nonce, ciphertext: toB64u(randomBytes(600)) }), 400, 'SBX_INVALID_REQUEST', `${what}: not a padding bucket`);
      isError(t, await reviewer.send('POST', url, { ...good, nonce: toB64u(randomBytes(23)) }), 400, 'SBX_INVALID_REQUEST', `${what}: short nonce`);
      isError(t, await reviewer.send('POST', url, { ...good, author: 'reporter' }), 400, 'SBX_INVALID_REQUEST', `${what}: unknown field`);
      isError(t, await reviewer.send('POST', url, 'null', { 'content-type': 'application/json' }), 400, 'SBX_INVALID_REQUEST', `${what}: null`);
      isError(t, await reviewer.send('POST', url, `{"nonce":"${'A'.repeat(140_000)}"}`, { 'content-type': 'application/json' }), 413, 'SBX_TOO_LARGE', `${what}: over the body limit`);
      isError(t, await reviewer.send('POST', `/api/reports/${elsewhere.reportId}/${what}`, good), 404, 'SBX_NOT_FOUND', `${what}: another channel's report`);
      isError(t, await app.inject({ method: 'POST', url, payload: good }), 401, 'SBX_UNAUTHENTICATED', `${what}: no session`);
    });
  }
});

t.test('a reviewer\'s version 2 message: kept under its own id, named by what follows; that id again is 409 and keeps nothing', async (t) => {
  const before = (await reviewer.get(`/api/reports/${id}`)).json().messages;
  const prev = openConversation(report.reportKey, id, before).next;
  const { body } = sealMessage(report.reportKey, id, 'reviewer', 'Version two, naming the last one', prev);
  const res = await reviewer.send('POST', `/api/reports/${id}/messages`, body);
  t.equal(res.statusCode, 201);
  t.equal(res.json().id, body.id);
  const doc = (await reviewer.get(`/api/reports/${id}`)).json();
  t.match(doc.messages.at(-1), { id: body.id, version: 2, author: 'reviewer' });
  const opened = openConversation(report.reportKey, id, doc.messages);
  t.same(opened.messages.at(-1), { ...doc.messages.at(-1), text: 'Version two, naming the last one', missingBefore: false });
  t.same((await report.read()).messages.at(-1), { author: 'reviewer', text: 'Version two, naming the last one' }, 'the reporter reads it');
  await unchanged(t, services, 'id taken', async () => {
    const again = sealMessage(report.reportKey, id, 'reviewer', 'again', prev).body;
    isError(t, await reviewer.send('POST', `/api/reports/${id}/messages`, { ...again, id: body.id }), 409, 'SBX_MESSAGE_ID_TAKEN', 'the same id');
    isError(t, await reviewer.send('POST', `/api/reports/${id}/messages`, { ...again, id: 'short' }), 400, 'SBX_INVALID_REQUEST', 'a bad id');
  });
  t.equal(NO_PREVIOUS_MESSAGE.length, 43);
});
