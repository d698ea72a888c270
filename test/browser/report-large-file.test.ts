// A 200 MB file from the reporting page: read from disk, encrypted chunk by chunk in the worker and
// sent in pieces, while the browser's renderer memory grows by a fixed amount well below the file's
// size (the page never holds two whole copies of a file, nor one: a 2 GB phone copes). The reviewer
// decrypts it.
import { readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { encryptedSize } from '../../crypto/index.js';
import { readAsReviewer } from '../client/reviewer.js';
import { launchBrowser, startReporterServer } from '../helpers/browser.js';

const SIZE = 200 * 1024 * 1024;
/**
 * How much the renderers may grow while the file goes up: well under one copy of the file. The
 * growth is a fixed amount (garbage the collector has not reclaimed yet, the WebAssembly heap, blob
 * pieces in flight), not a share of the file: 69 MiB for a 50 MiB file, 77 MiB for 200 MiB here.
 */
const BOUND = 128 * 1024 * 1024;

/** The processes descending from this one (Chromium is started by this test's own process). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) if (p === pid) {
      out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Resident memory of this test's Chromium renderers (the page and its worker live in one), in bytes. */
function rendererRss(): number {
  let total = 0;
  for (const pid of descendants(process.pid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      total += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

t.test('a 200 MiB attachment goes up with the renderer growing by well under one copy of it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sealbox-large-'));
  const file = join(dir, 'evidence.bin');
  writeFileSync(file, '');
  truncateSync(file, SIZE); // zeros, without writing 200 MB: the page reads it like any picked file
  const server = await startReporterServer();
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const page = await (await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'en-GB' })).newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Start a report: Customs staff' }).click();
  await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption('SMUGGLING_FACILITATION');
  await page.getByRole('textbox', { name: 'What happened', exact: true }).fill('A large recording is attached.');
  await page.setInputFiles('#files-input', file);
  await page.getByText('This kind of file may carry hidden data').waitFor();

  const baseline = rendererRss();
  t.ok(baseline > 0, 'the renderer is found');
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rendererRss());
  }, 50);
  t.teardown(() => clearInterval(sampler));
  await page.getByRole('button', { name: 'Submit report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your report was received' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-upload="evidence.bin"] .status', { hasText: /^Sent$/ }).waitFor({ timeout: 240_000 });
  clearInterval(sampler);
  const growth = peak - baseline;
  t.ok(growth < BOUND, `renderer memory grew by ${(growth / 2 ** 20).toFixed(0)} MiB (from ${(baseline / 2 ** 20).toFixed(0)} MiB) for a ${SIZE / 2 ** 20} MiB file; bound ${BOUND / 2 ** 20} MiB`);

  const [report] = server.inst.services.repos.reports.list({ viewerId: server.alice.id, channelIds: ['staff'], limit: 1 }).reports;
  const attachments = server.inst.services.repos.attachments.listForReport(report!.id);
  t.equal(attachments.length, 1);
  t.match(attachments[0], { complete: true, size: encryptedSize(SIZE) }, 'the whole stream arrived');
  const view = await readAsReviewer(server.inst.services, server.alice, report!.id);
  const bytes = view.attachments[0]!.bytes!;
  t.equal(bytes.length, SIZE, 'the reviewer decrypts 200 MiB');
  t.ok(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(Buffer.alloc(SIZE)), 'byte for byte');
});
