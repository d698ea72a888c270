// The inbox in Chromium over 120 seeded reports: counts per status, pages of 50 with "Show more",
// server-side filters (status, channel, severity, category, assignee "me", overdue) kept in the
// address, overdue reports marked in words, French, and the layout at 1024 px and on a tablet.
import t from 'tap';
import { makeT } from '../../client/console/i18n/index.js';
import { makeReport } from '../../scripts/seed.js';
import { PROCESSES } from '../../domain/categories.js';
import { addUser } from '../helpers/instance.js';
import { check, consoleSession, openPage, signIn } from './console-fixtures.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const OFFICES = ['Seaport North', 'Border Post East'];

t.test('filters, counts, paging and deadlines over 120 reports', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const alice = addUser(services, 'alice', ['reviewer'], ['staff', 'public'], { kdf: 'real' });
  services.repos.settings.set('offices', OFFICES);
  const now = server.inst.clock.now().getTime();
  const rows = Array.from({ length: 120 }, (_, i) => makeReport(i % 3 === 0 ? 'staff' : 'public', [alice.keyId], [alice.id], OFFICES, PROCESSES.map((p) => p.value), now));
  services.repos.bulk.insertReports(rows);
  const counts = services.repos.reports.countByStatus(['staff', 'public']);

  const { page, w } = await openPage(browser, server);
  await page.goto(server.url);
  await signIn(page, server, alice);
  await page.locator('table.inbox').waitFor();
  t.equal(await page.locator('.counts a', { hasText: 'All' }).locator('.count').textContent(), '120');
  for (const [status, label] of [['new', 'New'], ['closed', 'Closed']] as const) {
    t.equal(await page.locator('.counts a', { hasText: label }).locator('.count').textContent(), String(counts[status] ?? 0), `${label} count`);
  }
  t.equal(await page.locator('tbody tr').count(), 50, 'a page of 50');
  await page.getByRole('button', { name: 'Show more reports' }).click();
  await page.locator('table.inbox caption', { hasText: '(100 shown)' }).waitFor();
  t.equal(await page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex), 51, 'focus moves to the first row that arrived');
  await page.getByRole('button', { name: 'Show more reports' }).click();
  await page.locator('table.inbox caption', { hasText: '(120 shown)' }).waitFor();
  t.equal(await page.getByRole('button', { name: 'Show more reports' }).count(), 0, 'no more pages');
  const received = await page.locator('tbody th time, tbody th a').evaluateAll((as) => as.length);
  t.equal(received, 120);
  await check(t, page, 'inbox-120');

  // Overdue: each listed row says so in words.
  await page.getByLabel('Overdue only').check();
  await page.waitForFunction(() => location.hash.includes('overdue=true'));
  await page.locator('table.inbox caption').waitFor();
  const overdueRows = await page.locator('tbody tr').count();
  const overdueBadges = await page.locator('tbody tr', { has: page.locator('.overdue-badge') }).count();
  t.ok(overdueRows > 0, 'some seeded reports are overdue');
  t.equal(overdueBadges, overdueRows, 'every overdue row carries the word');
  t.equal(await page.locator('tbody tr.overdue').count(), overdueRows);
  await check(t, page, 'inbox-overdue');

  // Status, channel, severity, category and assignee filters: the server filters, the address keeps them.
  /** Waits until every row shows `want` in column `n` (or the list is empty), as the server filtered. */
  const column = (n: number, want: string) => page.waitForFunction(([n, want]) => {
    // A badge cell may carry more after its badge (a deletion marker): the badge's word is the value.
    const cells = [...document.querySelectorAll(`tbody td:nth-child(${n})`)].map((c) => (c.querySelector('.badge') ?? c).textContent);
    return document.querySelector('p.empty') !== null || (cells.length > 0 && cells.every((c) => c === want));
  }, [n, want] as const);
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await page.getByLabel('Status', { exact: true }).selectOption('closed');
  await page.locator('.counts a[aria-current="true"]', { hasText: 'Closed' }).waitFor();
  await column(3, 'Closed');
  t.equal(await page.locator('tbody tr').count(), Math.min(50, counts.closed ?? 0), 'only closed reports');
  await page.getByLabel('Channel', { exact: true }).selectOption('staff');
  await column(2, 'Customs staff');
  await column(3, 'Closed');
  t.match(page.url(), /#\/inbox\?status=closed&channel=staff$/, 'both filters, in the address');
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await page.getByLabel('Severity', { exact: true }).selectOption('critical');
  await column(4, 'Critical');
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await page.getByLabel('Category', { exact: true }).selectOption('BRIBERY');
  await column(5, 'Bribery');
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await page.getByLabel('Assigned to', { exact: true }).selectOption('me');
  await column(6, 'alice');
  t.pass('each filter narrows the list on the server');
  const expected = rows.filter((r) => r.assignees.includes(alice.id)).length;
  t.equal(await page.locator('table.inbox caption').textContent(), `Reports, newest first (${Math.min(50, expected)} shown)`);

  // Oldest first: the server pages in the other direction; the address keeps the order.
  await page.getByRole('button', { name: 'Clear the filters' }).click();
  await page.getByLabel('Order').selectOption('oldest');
  await page.locator('table.inbox caption', { hasText: 'Reports, oldest first (50 shown)' }).waitFor();
  t.match(page.url(), /#\/inbox\?sort=oldest$/);
  const shownOldest = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('a.row-link')?.getAttribute('href') ?? ''));
  const oldestIds = rows.slice(0, 50).map((r) => r.id); // seq follows the order of insertion
  t.same(shownOldest.map((h) => h.split('/').pop()), oldestIds, 'the 50 oldest, oldest first');
  await page.getByLabel('Order').selectOption('newest');
  await page.locator('table.inbox caption', { hasText: 'Reports, newest first (50 shown)' }).waitFor();

  // In French, at 1024 px and on a tablet.
  await page.getByLabel('Language').selectOption('fr');
  await page.locator('table.inbox caption', { hasText: 'Signalements, du plus récent au plus ancien (50 affichés)' }).waitFor();
  t.match(await page.locator('thead').textContent(), /Reçu le.*Accuser réception avant le.*Répondre avant le/);
  await check(t, page, 'inbox-fr');
  for (const [width, height] of [[1024, 768], [768, 1024]] as const) {
    await page.setViewportSize({ width, height });
    await check(t, page, `inbox-fr-${width}`);
  }
  // In Spanish, and in Arabic right to left, at 1280 px.
  await page.setViewportSize({ width: 1280, height: 900 });
  for (const locale of ['es', 'ar']) {
    const tr = makeT(locale);
    await page.getByRole('combobox', { name: makeT(locale === 'es' ? 'fr' : 'es')('lang.label'), exact: true }).selectOption(locale);
    await page.locator('table.inbox caption', { hasText: tr('inbox.caption', { n: 50 }) }).waitFor();
    t.match(await page.locator('thead').textContent(), new RegExp([tr('inbox.received'), tr('inbox.acknowledgeBy'), tr('inbox.feedbackBy')].map(escapeRegExp).join('.*')), `${locale}: the deadlines' columns`);
    t.equal(await page.evaluate(() => document.documentElement.dir), locale === 'ar' ? 'rtl' : 'ltr');
    await check(t, page, `inbox-${locale}`);
  }
  t.same(w.problems, [], 'no console error, CSP violation or other origin');
});
