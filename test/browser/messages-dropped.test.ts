// A server that drops a message (PROTOCOL.md §9, messages version 2), in Chromium: the reporter
// wrote, the unit answered, the reporter wrote again naming that answer; the server then withholds
// the answer. The reporting page and the console each show the warning at the message after the
// gap, and nowhere else; each then replies with a version 2 message that names the last message it
// was shown. axe on both; the warning in the four languages of each app.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeT } from '../../client/console/i18n/index.js';
import { en } from '../../client/report/i18n/en.js';
import { fr } from '../../client/report/i18n/fr.js';
import { es } from '../../client/report/i18n/es.js';
import { ar } from '../../client/report/i18n/ar.js';
import {
  decryptMessageV2, fromB64u, messageHash, NO_PREVIOUS_MESSAGE, ready, sealMessage, toB64u, type Sealed,
} from '../../crypto/index.js';
import { buildApp } from '../../server/app.js';
import { addUser, axe, PAGES_DIR } from '../helpers/browser.js';
import { check, consoleSession, openPage, signIn, submit } from './console-fixtures.js';

await ready;
const { server, services, browser } = await consoleSession(t);
const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
const reporterApp = await buildApp('reporter', services, { pagesDir: PAGES_DIR, logStream: server.inst.log });
const reporterUrl = await reporterApp.listen({ host: '127.0.0.1', port: 0 });
t.teardown(() => reporterApp.close());

const reporter = await submit(server, 'staff', { category: 'BRIBERY', description: 'MARKER-DESC a broker pays the night shift' });
const id = reporter.reportId;
services.repos.reports.updateTriage(id, { status: 'acknowledged', acknowledgedAt: server.inst.clock.now().toISOString() }, server.inst.clock.now().toISOString());

// The conversation as honest senders write it: each message names the one before it.
const first = sealMessage(reporter.reportKey, id, 'reporter', 'MARKER-FIRST the broker is called Omar', NO_PREVIOUS_MESSAGE);
t.equal((await reporter.app.inject({ method: 'POST', url: '/api/followup/messages', headers: reporter.auth, payload: first.body })).statusCode, 201);
const answer = sealMessage(reporter.reportKey, id, 'reviewer', 'MARKER-ANSWER which night shift?', first.hash);
services.repos.messages.add({
  id: answer.body.id, reportId: id, author: 'reviewer', authorUserId: alice.id, createdAt: server.inst.clock.now().toISOString(),
  nonce: Buffer.from(fromB64u(answer.body.nonce)), ciphertext: Buffer.from(fromB64u(answer.body.ciphertext)),
});
const third = sealMessage(reporter.reportKey, id, 'reporter', 'MARKER-THIRD the Tuesday shift at gate 4', answer.hash);
t.equal((await reporter.app.inject({ method: 'POST', url: '/api/followup/messages', headers: reporter.auth, payload: third.body })).statusCode, 201);

// The server withholds the unit's answer.
services.db.sqlite.prepare('DELETE FROM messages WHERE id = ?').run(answer.body.id);

/** The `prev` the newest message names, read in Node with the report key. */
function lastPrev(): string {
  const last = services.repos.messages.listForReport(id).at(-1)!;
  t.equal(last.version, 2, 'the reply is version 2');
  const sealed: Sealed = { nonce: toB64u(last.nonce), ciphertext: toB64u(last.ciphertext) };
  return decryptMessageV2(reporter.reportKey, id, last.id, last.author, sealed).prev;
}

/** The warnings a page shows, and the text of the message each sits in. */
const warnings = (page: Page) => page.locator('.message:has(.missing-before)').evaluateAll((items) => items.map((li) => li.textContent ?? ''));

t.test('the reporting page warns at the message after the gap, and replies naming what it was shown', async (t) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-GB' });
  t.teardown(() => context.close());
  const page = await context.newPage();
  await page.goto(reporterUrl);
  await page.getByRole('button', { name: 'Follow up on a report' }).click();
  await page.getByLabel('Receipt code').fill(reporter.code);
  await page.getByRole('button', { name: 'Open my report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Follow up on your report' }).waitFor();
  await page.locator('.message', { hasText: 'MARKER-THIRD' }).waitFor();
  const shown = await warnings(page);
  t.equal(shown.length, 1, 'one warning');
  t.match(shown[0], en['message.missingBefore']);
  t.match(shown[0], 'MARKER-THIRD', 'at the message after the gap');
  t.equal(await page.getByRole('note').filter({ hasText: en['message.missingBefore'] }).count(), 1, 'a screen reader finds it as a note');
  t.same(await axe(page), [], 'axe: the warning');

  await page.getByLabel('Your message').fill('MARKER-REPLY-PAGE I did not get your question');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.getByText('Your message was sent.').waitFor();
  t.equal(lastPrev(), third.hash, 'the page\'s reply names the last message it was shown');
});

t.test('the console warns at the same message, and replies naming the reporter\'s reply', async (t) => {
  const before = services.repos.messages.listForReport(id).at(-1)!;
  const { page, context } = await openPage(browser, server);
  t.teardown(() => context.close());
  await page.goto(server.url);
  await signIn(page, server, alice);
  await page.goto(`${server.url}/#/reports/${id}`);
  await page.locator('.message', { hasText: 'MARKER-REPLY-PAGE' }).waitFor();
  const shown = await warnings(page);
  t.equal(shown.length, 1, 'one warning: the reporter\'s reply named what it was shown');
  t.match(shown[0], makeT('en')('conversation.missingBefore'));
  t.match(shown[0], 'MARKER-THIRD');
  await check(t, page, 'message-missing');

  await page.locator('#reply-text').fill('MARKER-REPLY-CONSOLE our question was which night shift');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.locator('.message.reviewer', { hasText: 'MARKER-REPLY-CONSOLE' }).waitFor();
  t.equal(lastPrev(), messageHash({ nonce: toB64u(before.nonce), ciphertext: toB64u(before.ciphertext) }), 'the console\'s reply names the last message it was shown');
});

t.test('the warning is written in each language of both apps', async (t) => {
  const texts = [en, fr, es, ar].map((table) => table['message.missingBefore']);
  t.equal(new Set(texts).size, 4, 'the reporting page: four different texts');
  const consoleTexts = ['en', 'fr', 'es', 'ar'].map((locale) => makeT(locale)('conversation.missingBefore'));
  t.equal(new Set(consoleTexts).size, 4, 'the console: four different texts');
  t.notOk(consoleTexts.includes('conversation.missingBefore'), 'no key left untranslated');
});
