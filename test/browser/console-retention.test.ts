// Retention in Chromium: a report closed almost a year ago is marked in the inbox and warned about
// on its page; a reviewer keeps it longer with a reason, which leaves the browser only as an
// encrypted note; the form says what is missing; axe finds nothing serious, also at 320 px.
import t from 'tap';
import { decryptNote, openSealedKey, toB64u } from '../../crypto/index.js';
import { DAY_MS } from '../../server/retention.js';
import { iso } from '../../server/time.js';
import { bodiesContaining } from '../helpers/browser.js';
import { addUser } from '../helpers/instance.js';
import { check, launchBrowser, openPage, signIn, startConsole, submit } from './console-fixtures.js';

const REASON = 'MARKER-REASON pending proceedings at the district court';

t.test('the deletion warning and keeping a report longer', async (t) => {
  const server = await startConsole();
  const { services } = server.inst;
  const clock = server.inst.clock;
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const bob = addUser(services, 'bob', ['reviewer'], ['staff']);

  const due = await submit(server, 'staff', { category: 'BRIBERY', description: 'MARKER-DESC closed long ago' });
  const fresh = await submit(server, 'staff', { category: 'OTHER', description: 'MARKER-DESC closed today' });
  const now = () => iso(clock.now());
  services.repos.reports.updateTriage(due.reportId, { status: 'closed', outcome: 'referred', closedAt: now() }, now());
  // Closed 363 days ago: deleted in two days, inside the 72-hour warning.
  clock.advance(363 * DAY_MS);
  services.repos.reports.updateTriage(fresh.reportId, { status: 'closed', outcome: 'referred', closedAt: now() }, now());
  const deleteAt = iso(new Date(Date.parse(services.repos.reports.byId(due.reportId)!.closedAt!) + 365 * DAY_MS));

  const { page, w, context } = await openPage(browser, server);
  await page.goto(server.url);
  await signIn(page, server, alice);
  await page.locator('table.inbox').waitFor();
  const dueRow = page.locator('tbody tr', { has: page.locator(`a[href="#/reports/${due.reportId}"]`) });
  const freshRow = page.locator('tbody tr', { has: page.locator(`a[href="#/reports/${fresh.reportId}"]`) });
  t.match(await dueRow.locator('.deletion-badge').textContent(), /^To be deleted 28 Nov 2027$/, 'the inbox marks the report about to be deleted');
  t.equal(await freshRow.locator('.deletion-badge').count(), 0, 'not the one closed today');
  await check(t, page, 'inbox-retention');

  await dueRow.locator('a.row-link').click();
  await page.getByRole('heading', { level: 1, name: /^Report received/ }).waitFor({ timeout: 20_000 });
  const warning = page.locator('.deletion-warning');
  await warning.waitFor();
  t.match(await warning.textContent(), /This report will be deleted on 28 Nov 2027, 16:05/, 'the banner names the date');
  t.match(await page.locator('.deadlines').textContent(), /To be deleted:?\s*28 Nov 2027, 16:05/);
  const panel = page.getByRole('region', { name: 'Retention' });
  t.match(await panel.textContent(), /will be deleted on 28 Nov 2027, 16:05/);
  await check(t, page, 'report-retention');

  // The banner's button takes the keyboard to the form.
  await warning.getByRole('button', { name: 'Keep it longer' }).click();
  t.equal(await page.evaluate(() => document.activeElement?.id), 'retention-until');

  // Nothing filled in: both problems said, focus on the first, nothing sent.
  const sent = () => w.requests.filter((r) => r.url.endsWith('/retention')).length;
  await panel.getByRole('button', { name: 'Keep the report' }).click();
  await page.getByText('Choose a day from 29 Nov 2027 on.').waitFor();
  await page.getByText('Give the reason for keeping the report.').waitFor();
  t.equal(await page.evaluate(() => document.activeElement?.id), 'retention-until');
  t.equal(sent(), 0);
  await check(t, page, 'report-retention-invalid');

  await page.getByLabel('Keep until').fill('2028-06-30');
  await page.getByLabel('Reason').fill(REASON);
  await panel.getByRole('button', { name: 'Keep the report' }).click();
  await page.locator('[role="status"]', { hasText: 'The report will now be deleted on 30 Jun 2028, 00:00.' }).waitFor();
  await page.locator('.message.note', { hasText: REASON }).waitFor();
  t.match(await page.locator('.message.note').last().textContent(), /Kept until 30 Jun 2028\. Reason: MARKER-REASON/, 'the reason shows with the notes');
  t.equal(await warning.count(), 0, 'no warning any more');
  t.match(await panel.textContent(), /will be deleted on 30 Jun 2028, 00:00/);

  t.equal(services.repos.reports.byId(due.reportId)!.retainUntil, '2028-06-30T00:00:00.000Z');
  const event = services.repos.audit.list({ action: 'report.retention_extended', limit: 5 })[0]!;
  t.same(event.details, { channelId: 'staff', from: deleteAt, to: '2028-06-30T00:00:00.000Z', noteId: (event.details as { noteId: string }).noteId });
  const note = services.repos.notes.listForReport(due.reportId).find((n) => n.id === (event.details as { noteId: string }).noteId)!;
  const ki = openSealedKey(toB64u(services.repos.reports.key(due.reportId, bob.keyId)!.sealedInternalKey!), bob.secrets.box);
  t.match(decryptNote(ki, due.reportId, { nonce: toB64u(note.nonce), ciphertext: toB64u(note.ciphertext) }), REASON, 'bob reads the reason');
  t.same(bodiesContaining(w.requests, 'MARKER-REASON').map((r) => r.url), [], 'the reason never left the browser readable');
  t.notMatch(JSON.stringify(services.repos.audit.list({ limit: 1000 })), 'MARKER', 'nor reached the audit trail');

  // A phone-sized screen.
  await page.setViewportSize({ width: 320, height: 720 });
  await check(t, page, 'report-retention-320');
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');
  await context.close();
});
