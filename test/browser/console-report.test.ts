// A report from arrival to closure in Chromium: submitted through crypto/ in Node with files, found
// in the inbox by keyboard, decrypted in the console (answers by the questionnaire, the reporter's
// message, files with a damaged one named, an image previewed), the internal key made and shared,
// acknowledged in one step, answered, noted, triaged and closed; the reporter reads the answers
// in Node. No plaintext reaches the server in any request body; axe finds nothing serious at
// 1280 px, 1024 px or on a tablet.
import t from 'tap';
import { makeT } from '../../client/console/i18n/index.js';
import { localText } from '../../domain/text.js';
import { openSealedKey, toB64u } from '../../crypto/index.js';
import { CATEGORIES as categoryOptions } from '../../domain/categories.js';
import { defaultQuestionnaire } from '../../domain/defaults/questionnaire.js';
import { attach, damage } from '../client/console-fixtures.js';
import { png } from '../client/image-fixtures.js';
import { bodiesContaining } from '../helpers/browser.js';
import { addUser } from '../helpers/instance.js';
import { check, consoleSession, openPage, signIn, submit } from './console-fixtures.js';

const MARKERS = {
  description: 'MARKER-DESC the examination officer held the container until 400 dollars were paid',
  person: 'MARKER-PERSON-Officer-Dupont',
  identity: 'MARKER-IDENTITY-my-name',
  reporterMessage: 'MARKER-REPORTER-MSG the container number is MSKU-1234',
  file: 'MARKER-FILE-ledger-line',
  ack: 'MARKER-ACK we received it and will call no one',
  reply: 'MARKER-REPLY which port was it?',
  note: 'MARKER-NOTE check the roster for the 2nd',
};

t.test('a report worked from arrival to closure', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const alice = addUser(services, 'alice', ['reviewer'], ['staff', 'public'], { kdf: 'real' });
  const bob = addUser(services, 'bob', ['reviewer'], ['staff']);
  services.repos.settings.set('offices', ['Seaport North', 'Border Post East']);

  const reporter = await submit(server, 'staff', {
    category: 'EXTORTION', description: MARKERS.description, danger: false, process: 'examination',
    people: [{ name: MARKERS.person, role: 'Examination officer' }, { role: 'Shift supervisor' }],
    identity: { name: MARKERS.identity }, legacyField: 'kept as it came',
  });
  const id = reporter.reportId;
  const ledger = new TextEncoder().encode(`${MARKERS.file}\n`.repeat(8000));
  await attach(server.reporterApp, reporter, 'ledger.txt', 'text/plain', ledger);
  await attach(server.reporterApp, reporter, 'photo.png', 'image/png', png().bytes);
  const broken = await attach(server.reporterApp, reporter, 'broken.txt', 'text/plain', new TextEncoder().encode('y'.repeat(150_000)));
  damage(server.inst, broken);
  await reporter.sendMessage(MARKERS.reporterMessage);
  server.inst.clock.advance(60_000);
  const other = await submit(server, 'public', { category: 'BRIBERY', description: 'MARKER-OTHER a second report' });

  const { page, w, context } = await openPage(browser, server);
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await check(t, page, 'signin');
  await signIn(page, server, alice);
  await page.locator('table.inbox').waitFor();
  await check(t, page, 'inbox');
  t.equal(await page.locator('.counts a', { hasText: 'New' }).locator('.count').textContent(), '2', 'counts per status');
  t.equal(await page.locator('tr.unread').count(), 2, 'both unread');
  t.match(await page.locator('tbody tr').first().textContent(), /Traders, brokers.*New.*5 Dec 2026.*5 Mar 2027/, 'newest first, with both deadlines');

  // Keyboard: down to the second report (the staff one), Enter opens it.
  await page.locator('a.row-link').first().focus();
  await page.keyboard.press('ArrowDown');
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), `#/reports/${id}`);
  await page.keyboard.press('ArrowUp');
  t.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), `#/reports/${other.reportId}`);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { level: 1, name: /^Report received 28 Nov 2026/ }).waitFor({ timeout: 20_000 });
  t.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the report');
  await page.getByText(MARKERS.description).waitFor();
  const answers = (await page.locator('.answers').textContent())!;
  t.match(answers, /Category\s*Extortion: threats, invented fees/, 'choices by their labels');
  t.match(answers, /Process involved\s*Physical examination/);
  t.match(answers, new RegExp(`People involved.*Name\\s*${MARKERS.person}.*Role or unit\\s*Shift supervisor`, 's'), 'repeatable groups as entries');
  t.match(answers, /Is anyone in immediate danger to life or safety\?\s*No/);
  t.match(answers, new RegExp(`Your identity.*${MARKERS.identity}`, 's'));
  t.match(answers, /Other answers\s*legacyField\s*kept as it came/, 'unknown keys are shown raw');
  await page.getByText(MARKERS.reporterMessage).waitFor();
  await page.getByText('You are the first to open this report: the key for internal notes was made').waitFor();
  const bobEnvelope = services.repos.reports.key(id, bob.keyId)!;
  t.ok(bobEnvelope.sealedInternalKey, 'bob holds the internal key too');
  t.equal(services.repos.audit.list({ action: 'report.view', limit: 100 }).filter((e) => e.target === id).length, 1,
    'opening the report (and making its internal key) is one view in the audit trail');
  const ki = openSealedKey(toB64u(bobEnvelope.sealedInternalKey!), bob.secrets.box);
  await check(t, page, 'report');

  // Files: decrypted with progress, saved from a blob URL, the image previewed; the damaged one named.
  await page.getByRole('button', { name: 'Decrypt ledger.txt' }).click();
  const save = page.getByRole('link', { name: 'Save ledger.txt' });
  await save.waitFor();
  t.match(await save.getAttribute('href'), /^blob:/);
  const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
  t.equal(download.suggestedFilename(), 'ledger.txt');
  const parts: Buffer[] = [];
  for await (const p of await download.createReadStream()) parts.push(p as Buffer);
  t.same(new Uint8Array(Buffer.concat(parts)), ledger, 'the saved file is the original');
  await page.getByRole('button', { name: 'Decrypt photo.png' }).click();
  const preview = page.getByRole('img', { name: 'Preview of photo.png' });
  await preview.waitFor();
  t.same(await preview.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.src.slice(0, 5)]), [4, 'blob:'], 'previewed from a blob URL');
  await page.getByRole('button', { name: 'Decrypt broken.txt' }).click();
  await page.getByText('“broken.txt” is damaged and cannot be opened').waitFor();
  t.equal(await page.locator('li.file.damaged').count(), 1, 'only that one is marked');
  t.ok(await page.getByRole('link', { name: 'Save ledger.txt' }).isVisible(), 'the rest of the report stays usable');

  // Acknowledge in one step: the template in the report's language, edited, then sent.
  const ack = page.locator('#ack-text');
  await ack.waitFor();
  t.match(await ack.inputValue(), /^Thank you\. We have received your report/, 'the template in English');
  await ack.fill(MARKERS.ack);
  await page.getByRole('button', { name: 'Acknowledge and send' }).click();
  await page.locator('.message.reviewer', { hasText: MARKERS.ack }).waitFor();
  await page.locator('.subtitle .badge', { hasText: 'Acknowledged' }).waitFor();
  t.equal(await ack.count(), 0, 'the acknowledgement form is gone');
  t.match(services.repos.reports.byId(id), { status: 'acknowledged', acknowledgedAt: /^2026-11-28T16:/ });

  await page.locator('#reply-text').fill(MARKERS.reply);
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.locator('.message.reviewer', { hasText: MARKERS.reply }).waitFor();
  await page.getByLabel('New internal note').fill(MARKERS.note);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.message.note', { hasText: MARKERS.note }).waitFor();
  t.match(await page.locator('.message.note').textContent(), /^alice/, 'notes name their author');

  // Triage: labels from the lists, an assignee; closing needs an outcome.
  await page.getByLabel('Severity', { exact: true }).selectOption('high');
  await page.getByLabel('Category', { exact: true }).selectOption('EXTORTION');
  await page.getByLabel('Customs office').selectOption('Seaport North');
  await page.getByLabel('Process', { exact: true }).selectOption('examination');
  await page.getByRole('group', { name: 'Assigned to' }).getByLabel('bob').check();
  await page.getByRole('button', { name: 'Save triage' }).click();
  await page.locator('[role="status"]', { hasText: 'The triage was saved.' }).waitFor();
  const triaged = services.repos.reports.byId(id)!;
  t.match(triaged, { severity: 'high', category: 'EXTORTION', office: 'Seaport North', process: 'examination' });
  t.same(services.repos.reports.assignees(id), [bob.id]);
  await page.getByLabel('Status', { exact: true }).selectOption('closed');
  await page.getByRole('button', { name: 'Save triage' }).click();
  await page.getByText('Closing a report needs an outcome.').waitFor();
  await check(t, page, 'report-closing');
  await page.getByLabel('Outcome').selectOption('substantiated');
  await page.getByRole('button', { name: 'Save triage' }).click();
  await page.locator('.subtitle .badge', { hasText: 'Closed' }).waitFor();
  t.match(services.repos.reports.byId(id), { status: 'closed', outcome: 'substantiated' });
  const audit = services.repos.audit.list({ action: 'report.triage', limit: 10 });
  t.same(audit.map((e) => Object.keys(e.details as object).sort()), [['status'], ['assignees', 'category', 'office', 'process', 'severity'], ['outcome', 'status']],
    'every change is audited');

  // The layout holds at 1024 px and on a tablet.
  for (const [width, height] of [[1024, 768], [768, 1024]] as const) {
    await page.setViewportSize({ width, height });
    await check(t, page, `report-${width}`);
  }
  await page.getByRole('link', { name: 'Back to the inbox' }).click();
  await page.locator('table.inbox').waitFor();
  t.equal(await page.locator('tr.unread').count(), 1, 'the opened report is read now');
  await check(t, page, 'inbox-768');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The reporter reads the acknowledgement and the answer; the note never reaches them.
  const read = await reporter.read();
  t.same(read.messages.map((m: { author: string; text: string }) => [m.author, m.text]), [
    ['reporter', MARKERS.reporterMessage], ['reviewer', MARKERS.ack], ['reviewer', MARKERS.reply],
  ]);
  t.equal(read.doc.status, 'closed');
  t.notMatch(JSON.stringify(read.doc), /MARKER-NOTE/);
  const note = services.repos.notes.listForReport(id)[0]!;
  const { decryptNote } = await import('../../crypto/index.js');
  t.equal(decryptNote(ki, id, { nonce: toB64u(note.nonce), ciphertext: toB64u(note.ciphertext) }), MARKERS.note, 'the note is under the Ki bob holds');

  // The report in French: labels from the questionnaire's French texts, the console's own in French.
  await page.getByLabel('Language').selectOption('fr');
  await page.evaluate((rid) => { location.hash = `#/reports/${rid}`; }, id);
  await page.getByRole('heading', { level: 1, name: /^Signalement reçu le 28 nov\. 2026/ }).waitFor({ timeout: 20_000 });
  await page.locator('.answers dd', { hasText: 'Extorsion : menaces, frais inventés, marchandises retenues' }).waitFor();
  t.match(await page.locator('.answers').textContent(), /Personnes impliquées/, 'the questionnaire\'s French labels');
  await check(t, page, 'report-fr');

  // And in Arabic, right to left: the questionnaire's Arabic labels, the console's own texts.
  await page.getByRole('combobox', { name: makeT('fr')('lang.label'), exact: true }).selectOption('ar');
  await page.locator('.answers dd', { hasText: localText(categoryOptions.find((o) => o.value === 'EXTORTION')!.label, 'ar') }).waitFor();
  t.same(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
  const people = defaultQuestionnaire.sections.flatMap((s) => s.fields).find((f) => f.id === 'people')!;
  t.ok((await page.locator('.answers').textContent())!.includes(localText(people.label, 'ar')), 'the questionnaire\'s Arabic labels');
  await page.getByRole('heading', { level: 2, name: makeT('ar')('conversation.title') }).waitFor();
  await check(t, page, 'report-ar');

  // Nothing readable left the browser.
  t.ok(w.requests.some((r) => r.url.endsWith(`/api/reports/${id}/messages`) && r.method === 'POST'), 'the messages were recorded');
  for (const marker of Object.values(MARKERS)) {
    t.same(bodiesContaining(w.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 24)}`);
  }
  t.notOk(w.requests.some((r) => r.url.includes('MARKER')), 'nor any URL');
  t.notMatch(server.inst.log.text, /MARKER/, 'nor the server log');
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');
  await context.close();
});
