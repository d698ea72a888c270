// Shared by the console's browser tests: an instance with the console app (its built pages) on
// 127.0.0.1 and the reporter app for injecting reports, a browser page watched for problems,
// signing in through the form, and reporters that submit in Node.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildApp } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import type { Services } from '../../server/services.js';
import { totpCode } from '../../server/totp.js';
import { axe, launchBrowser, watch, type PageWatch } from '../helpers/browser.js';
import { makeInstance, type TestInstance, type TestUser } from '../helpers/instance.js';
import { TestReporter } from '../helpers/reporter.js';

export const CONSOLE_PAGES = resolve('dist/public/console');
const SHOTS = process.env.SEALBOX_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

export interface ConsoleServer {
  inst: TestInstance;
  app: FastifyInstance;
  reporterApp: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** An instance (TestClock) with the console app and its pages listening, and the reporter app for inject. */
/** A console server and a browser for one test, both closed when the test ends. */
export async function consoleSession(t: Test, options: Parameters<typeof startConsole>[0] = {}): Promise<{ server: ConsoleServer; services: Services; browser: Browser }> {
  const server = await startConsole(options);
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  return { server, services: server.inst.services, browser };
}

export async function startConsole(options: { recoveryKey?: boolean; config?: Partial<Config> } = {}): Promise<ConsoleServer> {
  const inst = await makeInstance(options.config ?? {}, { recoveryKey: options.recoveryKey ?? true });
  const app = await buildApp('console', inst.services, { pagesDir: CONSOLE_PAGES, logStream: inst.log });
  const reporterApp = await inst.app('reporter');
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    inst, app, reporterApp, url,
    close: async () => {
      await app.close();
      inst.close();
    },
  };
}

export interface Session {
  context: BrowserContext;
  page: Page;
  w: PageWatch;
}

/**
 * A new browser context and page at `width` px, watched (requests with bodies, console errors,
 * CSP violations, other origins). The page's clock starts at the server's TestClock time, so
 * that deadlines and "overdue" read the same on both sides.
 */
export async function openPage(browser: Browser, server: ConsoleServer, options: { width?: number; height?: number; locale?: string; clock?: boolean } = {}): Promise<Session> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 }, locale: options.locale ?? 'en-GB', timezoneId: 'UTC', acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  if (options.clock !== false) await context.clock.install({ time: server.inst.clock.now() });
  const page = await context.newPage();
  const w = await watch(context, page, server.url);
  return { context, page, w };
}

/** The next TOTP code for `secret`: the server's clock moves on a step first (each code is accepted once). */
export function nextCode(server: ConsoleServer, secret: string): string {
  server.inst.clock.advance(30_000);
  return totpCode(secret, server.inst.clock.now());
}

/** Signs in through the form, as a person would, and waits for the first page after it. */
export async function signIn(page: Page, server: ConsoleServer, user: Pick<TestUser, 'username' | 'passphrase' | 'totpSecret'>, expect: RegExp = /Inbox|Audit trail/): Promise<void> {
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Passphrase').fill(user.passphrase);
  await page.getByLabel('Authentication code').fill(nextCode(server, user.totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: expect }).waitFor({ timeout: 30_000 });
}

/** axe (serious and critical only) and, when SEALBOX_SCREENSHOTS is set, a full-page screenshot. */
export async function check(t: Test, page: Page, name: string): Promise<void> {
  t.same(await axe(page), [], `axe: no serious or critical violation on ${name}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  t.ok(overflow <= 0, `${name} does not scroll sideways (overflow ${overflow})`);
  if (SHOTS) {
    const width = page.viewportSize()?.width ?? 0;
    await page.screenshot({ path: `${SHOTS}/console-${name}-${width}.png`, fullPage: true });
  }
}

/** Submits a report in Node through the reporter API, as the reporting page would. */
export async function submit(server: ConsoleServer, channelId: string, answers: Record<string, unknown>): Promise<TestReporter> {
  const reporter = new TestReporter(server.reporterApp);
  const res = await reporter.submit(channelId, answers);
  if (res.statusCode !== 201) throw new Error(`submission failed: ${res.body}`);
  return reporter;
}

export { axe, launchBrowser };
