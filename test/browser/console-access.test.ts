// Who sees what, and for how long: a reviewer of the public channel cannot open a staff report
// (the page says not found; the API answers 404), and after 30 minutes without activity the
// console warns, then locks: the worker holding the keys is terminated, the session ended, and
// the next visit to a report asks for the passphrase again. The page's clock is fast-forwarded.
import t from 'tap';
import type { Worker } from 'playwright-core';
import { bodiesContaining } from '../helpers/browser.js';
import { addUser } from '../helpers/instance.js';
import { check, launchBrowser, openPage, signIn, startConsole, submit } from './console-fixtures.js';

t.test('a public-channel reviewer cannot open a staff report; the idle lock wipes the keys', async (t) => {
  const server = await startConsole();
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  const pat = addUser(server.inst.services, 'pat', ['reviewer'], ['public'], { kdf: 'real' });
  const staff = await submit(server, 'staff', { category: 'NEPOTISM_HR', description: 'MARKER-STAFF a posting was sold' });
  const pub = await submit(server, 'public', { category: 'BRIBERY', description: 'MARKER-PUBLIC a fee was invented' });

  const { page, w, context } = await openPage(browser, server);
  const workers: Worker[] = [];
  page.on('worker', (worker) => workers.push(worker));
  await page.goto(`${server.url}/#/reports/${staff.reportId}`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await signIn(page, server, pat, /Report/);

  // The deep link survives sign-in, and the staff report is "not found", as the API says.
  await page.getByRole('heading', { level: 1, name: 'Report not found' }).waitFor();
  await page.getByText('There is no such report in your channels.').waitFor();
  await check(t, page, 'report-not-found');
  const status = await page.evaluate(async (id) => (await fetch(`/api/reports/${id}`)).status, staff.reportId);
  t.equal(status, 404, 'the API answers 404 for another channel\'s report');
  t.notOk(await page.getByText('MARKER-STAFF').count(), 'nothing of it shows');
  await page.getByRole('link', { name: 'Back to the inbox' }).click();
  await page.locator('table.inbox').waitFor();
  t.equal(await page.locator('tbody tr').count(), 1, 'the inbox lists only the public report');
  t.notOk(await page.getByRole('option', { name: 'Customs staff' }).count(), 'nor offers the staff channel as a filter');

  await page.locator('a.row-link').first().click();
  await page.getByText('MARKER-PUBLIC a fee was invented').waitFor({ timeout: 20_000 });
  t.equal(workers.length, 1, 'one worker holds the keys');
  const closed = new Promise<void>((resolve) => workers[0]!.once('close', () => resolve()));

  // 29 minutes idle: a warning. Activity puts the lock off.
  await page.clock.fastForward('29:10');
  const banner = page.getByRole('alert').filter({ hasText: 'The console will lock in one minute' });
  await banner.waitFor();
  await check(t, page, 'idle-warning');
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await banner.waitFor({ state: 'detached' });
  await page.clock.fastForward('10:00');
  t.ok(await page.getByText('MARKER-PUBLIC a fee was invented').isVisible(), 'still open after activity');

  // Another 30 minutes idle: locked. The worker is terminated, the session ended, the page says why.
  const loggedOut = page.waitForRequest((r) => r.url().endsWith('/api/auth/logout'));
  await page.clock.fastForward('30:30');
  await page.getByText('The console locked after 30 minutes without activity, and your keys were wiped from memory.').waitFor();
  await closed;
  t.pass('the worker that held the keys was terminated');
  t.equal(await page.getByText('MARKER-PUBLIC').count(), 0, 'no decrypted text is left on the page');
  t.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');
  await loggedOut;
  t.ok(w.requests.some((r) => r.url.endsWith('/api/auth/logout') && r.body?.toString() === '{}'), 'the session is ended too');
  const after = await page.evaluate(async (id) => (await fetch(`/api/reports/${id}`)).status, pub.reportId);
  t.equal(after, 401, 'the old session no longer works');
  await check(t, page, 'locked');

  // Going to a report now asks for the passphrase again.
  await page.goto(`${server.url}/#/reports/${pub.reportId}`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  for (const marker of ['MARKER-STAFF', 'MARKER-PUBLIC', pat.passphrase]) {
    t.same(bodiesContaining(w.requests, marker).map((r) => r.url), [], `no request body holds ${marker}`);
  }
  t.same(w.problems.filter((p) => !/status of (401|404)/.test(p)), [], 'no console error, CSP violation or other origin');
  await context.close();
});
