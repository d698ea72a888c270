// Browser tests: Debian's Chromium driven by playwright-core (never a downloaded browser), the
// reporter app with the built page on 127.0.0.1, every request recorded, console errors, page
// errors and CSP violations collected, and axe-core run on demand.
import { readFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { addUser, makeInstance, type TestInstance, type TestUser } from './instance.js';

export const CHROMIUM = '/usr/bin/chromium';
export const PAGES_DIR = resolve('dist/public/report');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export interface ReporterServer {
  inst: TestInstance;
  app: FastifyInstance;
  /** The address the browser uses: a recording proxy in front of the app (see `wire`). */
  url: string;
  alice: TestUser;
  bob: TestUser;
  /** Every byte the browser sent, as it went over TCP: request lines, headers and bodies. */
  wire(): Buffer;
  close(): Promise<void>;
}

/**
 * A TCP proxy that keeps every byte the client sends. Playwright's request events do not carry
 * Blob bodies (the page uploads files as Blobs), so checks that nothing readable leaves the browser
 * look at the wire itself.
 */
export async function recordingProxy(target: string): Promise<{ url: string; wire(): Buffer; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const sent: Buffer[] = [];
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => sent.push(chunk));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    wire: () => Buffer.concat(sent),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((done) => proxy.close(() => done()));
    },
  };
}

/** An instance with two reviewers (alice on both channels, bob on staff) and the reporter app with its page. */
export async function startReporterServer(options: { powBits?: number } = {}): Promise<ReporterServer> {
  const inst = await makeInstance({ powBits: options.powBits ?? 4 });
  const alice = addUser(inst.services, 'alice', ['reviewer'], ['staff', 'public']);
  const bob = addUser(inst.services, 'bob', ['reviewer'], ['staff']);
  const app = await buildApp('reporter', inst.services, { pagesDir: PAGES_DIR, logStream: inst.log });
  const direct = await app.listen({ host: '127.0.0.1', port: 0 });
  const proxy = await recordingProxy(direct);
  return {
    inst, app, url: proxy.url, alice, bob, wire: proxy.wire,
    close: async () => {
      await proxy.close();
      await app.close();
      inst.close();
    },
  };
}

export interface RecordedRequest {
  url: string;
  method: string;
  body: Buffer | null;
}

export interface PageWatch {
  requests: RecordedRequest[];
  /** Console errors, page errors, CSP violations, failed requests to other origins. */
  problems: string[];
}

/** Records every request (with its body) and every problem the page reports. */
export async function watch(context: BrowserContext, page: Page, origin: string): Promise<PageWatch> {
  const w: PageWatch = { requests: [], problems: [] };
  context.on('request', (r) => {
    w.requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() });
    if (!r.url().startsWith(origin) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) w.problems.push(`request to another origin: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') w.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.problems.push(`pageerror: ${e.message}`));
  page.on('worker', (worker) => worker.on('close', () => undefined));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return w;
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) and returns the serious and critical violations.
 * The source is evaluated through the DevTools protocol, which the page's CSP does not govern,
 * so the server's CSP stays as strict as ever.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const a = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when any recorded request body contains `marker` (as UTF-8, or base64/base64url of it would not matter: bodies are ciphertext). */
export function bodiesContaining(requests: RecordedRequest[], marker: string): RecordedRequest[] {
  const needle = Buffer.from(marker, 'utf8');
  return requests.filter((r) => r.body !== null && r.body.includes(needle));
}

export { addUser };
