// "Export case" in Chromium: a reviewer opens a report, adds a note, clicks the button, and the
// download is a ZIP (unzipped here with fflate) holding the transcript with the answers, the
// conversation and the note (a <script> in an answer comes out as text), the files byte for byte
// and SHA256SUMS that match them. The export is audited; nothing decrypted leaves the browser;
// axe finds nothing serious.
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import t from 'tap';
import { attach } from '../client/console-fixtures.js';
import { bodiesContaining } from '../helpers/browser.js';
import { addUser } from '../helpers/instance.js';
import { check, consoleSession, openPage, signIn, submit } from './console-fixtures.js';

const MARKERS = {
  description: 'MARKER-DESC the officer asked for 300 <script>window.pwned = 1</script>',
  reporterMessage: 'MARKER-REPORTER-MSG it was a Tuesday',
  note: 'MARKER-NOTE check the roster',
  file: 'MARKER-FILE ledger line',
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

t.test('a reviewer exports a case as a ZIP', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const reporter = await submit(server, 'staff', { category: 'BRIBERY', description: MARKERS.description, people: [{ name: 'Officer <b>X</b>' }] });
  const id = reporter.reportId;
  const ledger = new TextEncoder().encode(`${MARKERS.file}\n`.repeat(9000));
  const ledgerId = await attach(server.reporterApp, reporter, 'ledger.txt', 'text/plain', ledger);
  const photo = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
  const photoId = await attach(server.reporterApp, reporter, 'photo.raw', 'application/octet-stream', photo);
  await reporter.sendMessage(MARKERS.reporterMessage);

  const { page, w, context } = await openPage(browser, server);
  await page.goto(server.url);
  await signIn(page, server, alice);
  await page.evaluate((rid) => { location.hash = `#/reports/${rid}`; }, id);
  await page.getByText('MARKER-DESC the officer asked for 300').waitFor({ timeout: 20_000 });
  await page.getByLabel('New internal note').fill(MARKERS.note);
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.message.note', { hasText: MARKERS.note }).waitFor();

  const button = page.getByRole('button', { name: 'Export case' });
  await check(t, page, 'report-export');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
  t.equal(download.suggestedFilename(), `sealbox-case-${id}.zip`);
  await page.getByText(`The case was exported as sealbox-case-${id}.zip.`).first().waitFor();
  const parts: Buffer[] = [];
  for await (const p of await download.createReadStream()) parts.push(p as Buffer);
  const zip = unzipSync(new Uint8Array(Buffer.concat(parts)));

  const ledgerPath = `files/${ledgerId}-ledger.txt`;
  const photoPath = `files/${photoId}-photo.raw`;
  t.same(Object.keys(zip).sort(), ['SHA256SUMS', ledgerPath, photoPath, 'transcript.html'].sort());
  t.same(zip[ledgerPath], ledger, 'the ledger, byte for byte');
  t.same(zip[photoPath], photo, 'the binary file, byte for byte');
  const sums = new TextDecoder().decode(zip.SHA256SUMS).split('\n').filter(Boolean);
  t.equal(sums.length, 3);
  for (const line of sums) {
    const [digest, path] = line.split('  ');
    t.equal(sha256(zip[path!]!), digest, `SHA256SUMS: ${path}`);
  }
  const page1 = new TextDecoder().decode(zip['transcript.html']);
  t.match(page1, 'MARKER-DESC the officer asked for 300 &lt;script&gt;window.pwned = 1&lt;/script&gt;', 'the answer, escaped');
  t.notMatch(page1, /<script/);
  t.match(page1, 'Officer &lt;b&gt;X&lt;/b&gt;');
  t.match(page1, MARKERS.reporterMessage);
  t.match(page1, MARKERS.note);
  t.match(page1, sha256(ledger));
  t.match(page1, /Exported by alice on 2026-11-28 /);

  // The transcript opened as a page runs nothing and loads nothing.
  const viewer = await context.newPage();
  await viewer.setContent(page1);
  t.equal(await viewer.evaluate(() => (window as unknown as { pwned?: number }).pwned), undefined, 'no script ran');
  t.equal(await viewer.getByRole('heading', { level: 1 }).textContent(), `Case ${id}`);
  await viewer.close();

  const exports = services.repos.audit.list({ action: 'report.export', limit: 10 });
  t.equal(exports.length, 1, 'audited');
  t.match(exports[0], { actor: `user:${alice.id}`, target: id, details: { via: 'console' } });
  for (const marker of Object.values(MARKERS)) {
    t.same(bodiesContaining(w.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 20)}`);
  }
  t.ok(w.requests.some((r) => r.url.endsWith(`/api/reports/${id}/exports`) && r.method === 'POST'), 'the export was recorded first');

  await page.setViewportSize({ width: 320, height: 800 });
  await check(t, page, 'report-export-320');
  // Report ids are random: the widest one possible must not push the page sideways either.
  const widest = `sealbox-case-${'W'.repeat(22)}.zip`;
  await page.locator('p.ok', { hasText: 'The case was exported as' }).evaluate((p, name) => { p.textContent = `The case was exported as ${name}.`; }, widest);
  t.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'nor does the widest report id at 320 px');
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');
  await context.close();
});
