// The statistics page in Chromium: an auditor opens it from the navigation, reads the charts (SVG
// images with a title and a description) and their tables, in which small counts read "<5" as
// the server sent them; changes the year; downloads the CSV. axe finds nothing serious at 1280 px
// or at 320 px; a reviewer has no link to the page and is refused on it.
import t from 'tap';
import type { TriagePatch } from '../../db/repositories/reports.js';
import { reportInput } from '../db/fixtures.js';
import { addUser } from '../helpers/instance.js';
import { check, consoleSession, openPage, signIn } from './console-fixtures.js';

t.test('an auditor reads the statistics and the risk map', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const ines = addUser(services, 'ines', ['auditor'], [], { kdf: 'real' });
  const zoe = addUser(services, 'zoe', ['reviewer'], ['staff'], { kdf: 'real' });
  services.repos.settings.set('offices', ['Seaport North', 'Border Post East']);
  const file = (n: number, channel: string, receivedAt: string, patch?: TriagePatch) => {
    for (let i = 0; i < n; i++) {
      const input = reportInput(channel, { receivedAt });
      if (!services.repos.reports.create(input, []).ok) throw new Error('expected a report');
      if (patch) services.repos.reports.updateTriage(input.id, patch, server.inst.clock.now().toISOString());
    }
  };
  // 2026: January 2 public and 3 staff reports, February 6 and 7 (all new); March 8 and 9, closed
  // substantiated at Seaport North, examination. 2025: 6 staff reports in May.
  file(2, 'public', '2026-01-05T10:00:00.000Z');
  file(3, 'staff', '2026-01-05T10:00:00.000Z');
  file(6, 'public', '2026-02-10T00:00:00.000Z');
  file(7, 'staff', '2026-02-10T00:00:00.000Z');
  const closed: TriagePatch = {
    status: 'closed', outcome: 'substantiated', category: 'BRIBERY', office: 'Seaport North', process: 'examination',
    acknowledgedAt: '2026-03-03T10:00:00.000Z', closedAt: '2026-04-01T10:00:00.000Z',
  };
  file(8, 'public', '2026-03-02T10:00:00.000Z', closed);
  file(9, 'staff', '2026-03-02T10:00:00.000Z', closed);
  file(6, 'staff', '2025-05-01T00:00:00.000Z');

  const { page, w, context } = await openPage(browser, server);
  await page.goto(server.url);
  await signIn(page, server, ines, /Audit trail/);
  const sent = page.waitForResponse((r) => r.url().endsWith('/api/statistics'));
  await page.getByRole('navigation').getByRole('link', { name: 'Statistics' }).click();
  await page.getByRole('heading', { level: 1, name: 'Statistics and risk map' }).waitFor();
  const body = await (await sent).text();
  t.notMatch(body.replace(/"(year|threshold)":\d+|"years":\[[\d,]+\]|"generatedAt":"[^"]+"|Days":[\d.]+/g, ''), /(?<![\d.])[1-4](?![\d.])/, 'the browser receives no count from 1 to 4');

  await page.getByText('Reports received in 2026: 35.').waitFor();
  for (const name of ['Reports per month and channel', 'Reports per status', 'Reports per category and outcome', 'Acknowledgement within 7 days',
    'Feedback within 3 months', 'Integrity risk map: substantiated reports per customs office and process']) {
    t.equal(await page.getByRole('img', { name }).count(), 1, `an SVG image named “${name}”`);
  }
  t.equal(await page.locator('svg[role="img"] > title').count(), 6);
  t.equal(await page.locator('svg[role="img"] > desc').count(), 6, 'each with a description');

  // January's two "<5" stand together; February's counts are hidden, or January's could be had
  // from the year's totals per channel; March shows.
  await page.getByText('Show the figures of “Reports per month and channel” as a table').click();
  const months = page.getByRole('table', { name: 'Reports per month and channel' });
  t.same(await months.locator('thead th').allTextContents(), ['Month', 'Traders, brokers, travellers and the public', 'Customs staff']);
  const row = async (table: typeof months, n: number) => (await table.locator('tbody tr').nth(n).locator('th, td').allTextContents());
  t.same(await row(months, 0), ['Jan', '<5', '<5']);
  t.same(await row(months, 1), ['Feb', 'hidden', 'hidden']);
  t.same(await row(months, 2), ['Mar', '8', '9']);
  t.same(await row(months, 3), ['Apr', '0', '0']);
  await page.getByText('Show the figures of “Reports per status” as a table').click();
  const statuses = page.getByRole('table', { name: 'Reports per status' });
  t.same(await statuses.locator('tbody td').allTextContents(), ['18', '0', '0', '0', '17']);
  await page.getByText('Show the figures of “Integrity risk map: substantiated reports per customs office and process” as a table').click();
  const risk = page.getByRole('table', { name: 'Integrity risk map: substantiated reports per customs office and process' });
  t.same((await row(risk, 0)).slice(0, 4), ['Seaport North', '0', '0', '17'], 'Seaport North: 17 in examination (the third process)');
  t.same((await risk.locator('thead th').allTextContents()).slice(0, 4), ['Customs office', 'Declaration processing', 'Valuation and classification', 'Physical examination']);
  await page.getByRole('rowheader', { name: 'to acknowledgement' }).waitFor();
  t.match(await page.locator('table.durations').textContent(), /to acknowledgement1 day1 day/, 'every acknowledgement after one day');
  t.match(await page.locator('table.durations').textContent(), /to feedback30 days30 days/, 'closed 30 days after receipt');
  await check(t, page, 'statistics');

  // Another year, from the select.
  await page.getByLabel('Year').selectOption('2025');
  await page.getByText('Reports received in 2025: 6.').waitFor();
  t.match(page.url(), /#\/statistics\?year=2025$/);

  // The CSV of the year shown.
  const link = page.getByRole('link', { name: 'Download the tables of 2025 (CSV)' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  t.equal(download.suggestedFilename(), 'sealbox-statistics-2025.csv');
  const parts: Buffer[] = [];
  for await (const p of await download.createReadStream()) parts.push(p as Buffer);
  const csv = Buffer.concat(parts).toString('utf8');
  t.match(csv, /^year,table,row,column,value\r\n2025,reports_total,,,6\r\n/);
  t.ok(csv.includes('2025,reports_by_month_and_channel,2025-05,staff,6\r\n'));
  t.equal(services.repos.audit.list({ action: 'statistics.export', limit: 10 }).length, 1, 'the download is audited');

  // Narrow screens: the charts shrink or scroll inside their own region.
  await page.setViewportSize({ width: 320, height: 800 });
  await check(t, page, 'statistics-320');
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('heading', { level: 1, name: 'Statistiques et carte des risques' }).waitFor();
  await page.getByText('Signalements reçus en 2025 : 6.').waitFor();
  await check(t, page, 'statistics-fr-320');
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');
  await context.close();

  // A reviewer has no link to it, and the page refuses them.
  const other = await openPage(browser, server);
  await other.page.goto(server.url);
  await signIn(other.page, server, zoe);
  t.equal(await other.page.getByRole('link', { name: 'Statistics' }).count(), 0, 'no link for a reviewer');
  await other.page.evaluate(() => { location.hash = '#/statistics'; });
  await other.page.getByText('You do not have access to this page.').waitFor();
  await other.context.close();
});
