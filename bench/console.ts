// The review console in Debian's Chromium: time to sign in at the default Argon2id parameters,
// time to open and decrypt a report with five messages, and the inbox's load time over 10,000
// seeded reports, each against a stated target. Needs `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PARAMS } from '../crypto/index.js';
import { buildApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { createServices } from '../server/services.js';
import { totpCode } from '../server/totp.js';
import { seed } from '../scripts/seed.js';
import { CONSOLE_PAGES } from '../test/browser/console-fixtures.js';
import { answerAsReviewer } from '../test/client/reviewer.js';
import { launchBrowser } from '../test/helpers/browser.js';
import { addUser, TestClock } from '../test/helpers/instance.js';
import { TestReporter } from '../test/helpers/reporter.js';
import { fmtMs, median } from './measure.js';
import type { Section } from './table.js';

const REPORTS = Number(process.env.SEALBOX_BENCH_CONSOLE_REPORTS ?? 10_000);
const TARGETS = { signInMs: 3000, openMs: 1000, inboxMs: 1000 };
const SIGN_INS = 5;
const OPENS = 10;
const INBOX_LOADS = 10;

const status = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

export async function run(): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-bench-console-'));
  await seed(dir, REPORTS);
  // A movable clock: each sign-in needs a fresh TOTP step, and waiting 30 s per run is pointless.
  const clock = new TestClock(Date.now());
  const services = createServices(loadConfig({ SEALBOX_DATA_DIR: dir, SEALBOX_POW_BITS: '4', SEALBOX_LOG_LEVEL: 'silent' }), clock);
  const browser = await launchBrowser();
  const app = await buildApp('console', services, { pagesDir: CONSOLE_PAGES });
  try {
    const user = addUser(services, 'bench', ['reviewer'], ['staff', 'public']);
    const reporterApp = await buildApp('reporter', services);
    // One real report (the seeded ones are random bytes): five messages, three from the reporter.
    const reporter = new TestReporter(reporterApp);
    const res = await reporter.submit('staff', { category: 'BRIBERY', description: 'A four-kilobyte report. '.repeat(171).slice(0, 4096), people: [{ name: 'X' }] });
    if (res.statusCode !== 201) throw new Error(`submission refused: ${res.body}`);
    for (let i = 0; i < 5; i++) {
      if (i % 2 === 0) await reporter.sendMessage(`message ${i} from the reporter`);
      else answerAsReviewer(services, user, reporter.reportId, `answer ${i} from the unit`);
    }
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en' });
    const page = await context.newPage();

    // 1. "Sign in" → the inbox: KDF parameters, Argon2id in the worker, login, key bundle opened.
    const signIns: number[] = [];
    await page.goto(url);
    for (let i = 0; i < SIGN_INS; i++) {
      await page.getByLabel('Username').fill('bench');
      await page.getByLabel('Passphrase').fill(user.passphrase);
      clock.advance(30_000);
      await page.getByLabel('Authentication code').fill(totpCode(user.totpSecret, clock.now()));
      const start = performance.now();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor({ timeout: 60_000 });
      signIns.push(performance.now() - start);
      if (i < SIGN_INS - 1) {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      }
    }

    // 2. Opening the real report: GET, open K, decrypt the content and five messages, render.
    const last = page.getByText('answer 3 from the unit');
    const inbox = page.locator('table.inbox');
    const opens: number[] = [];
    for (let i = 0; i <= OPENS; i++) {
      await page.evaluate(() => { location.hash = '#/inbox'; });
      await inbox.waitFor();
      const start = performance.now();
      await page.evaluate((id) => { location.hash = `#/reports/${id}`; }, reporter.reportId);
      await last.waitFor({ timeout: 30_000 });
      // The first opening also makes the internal key and seals it to every member: not counted.
      if (i > 0) opens.push(performance.now() - start);
    }

    // 3. The inbox over all reports: the first page of 50 with counts per status, and the overdue filter.
    const loads: number[] = [];
    const overdue: number[] = [];
    for (const [target, hash] of [[loads, '#/inbox'], [overdue, '#/inbox?overdue=true']] as const) {
      for (let i = 0; i <= INBOX_LOADS; i++) {
        await page.evaluate((id) => { location.hash = `#/reports/${id}`; }, reporter.reportId);
        await last.waitFor();
        const start = performance.now();
        await page.evaluate((h) => { location.hash = h; }, hash);
        await page.locator('table.inbox tbody tr').nth(49).waitFor({ timeout: 30_000 });
        if (i > 0) target.push(performance.now() - start);
      }
    }
    await context.close();

    const signIn = median(signIns);
    const open = median(opens);
    const load = median(loads);
    const loadOverdue = median(overdue);
    return {
      title: 'Review console (Chromium, headless)',
      intro: `Debian’s /usr/bin/chromium driven by playwright-core against the console app on 127.0.0.1, ${REPORTS.toLocaleString('en')} seeded reports. `
        + 'The third column is the target each figure is held to; the fourth says whether it meets it.',
      headers: { baseline: 'target', ratio: 'status' },
      rows: [
        { operation: `"Sign in" → inbox shown, Argon2id ${PARAMS.opslimit} passes × ${PARAMS.memlimit / 2 ** 20} MiB in the worker, median of ${SIGN_INS}`, sealbox: fmtMs(signIn),
          baseline: `< ${fmtMs(TARGETS.signInMs)}`, ratio: status(signIn < TARGETS.signInMs),
          note: `POST /api/auth/params, Argon2id (libsodium in WebAssembly, one call, so the page shows an indeterminate progress bar), POST /api/auth/login, `
            + `key bundle opened, inbox page rendered. Runs: ${signIns.map((m) => fmtMs(m)).join(', ')}.` },
        { operation: `open a report with 5 messages (4 KiB content), decrypted and shown, median of ${OPENS}`, sealbox: fmtMs(open),
          baseline: `< ${fmtMs(TARGETS.openMs)}`, ratio: status(open < TARGETS.openMs),
          note: 'From the address change to the last message on the page: GET /api/reports/{id}, K opened (sealed box), content and messages decrypted in the worker, '
            + 'the background key-distribution check, rendering. The first opening, which also makes the internal key, is not counted.' },
        { operation: `inbox, first page of 50 of ${REPORTS.toLocaleString('en')} with counts per status, median of ${INBOX_LOADS}`, sealbox: fmtMs(load),
          baseline: `< ${fmtMs(TARGETS.inboxMs)}`, ratio: status(load < TARGETS.inboxMs),
          note: 'From the address change to the 50th row on the page: GET /api/reports?limit=50 (server-side paging and counts), rendering.' },
        { operation: `inbox filtered to overdue reports, first page of 50, median of ${INBOX_LOADS}`, sealbox: fmtMs(loadOverdue),
          baseline: `< ${fmtMs(TARGETS.inboxMs)}`, ratio: status(loadOverdue < TARGETS.inboxMs) },
      ],
    };
  } finally {
    await browser.close();
    await app.close();
    services.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
