// The reporting page verifies the roster before it seals (PROTOCOL.md §9), in Chromium: it shows
// the unit fingerprint; a server that lists an extra recipient gets no envelope for them and the
// page says so; a server that serves a roster with one byte changed, an entry removed or an entry
// signed by a non-member gets nothing at all: the page says the recipients could not be verified
// and sends no report. axe on each state; the texts in the page's four languages.
import t from 'tap';
import type { BrowserContext, Page } from 'playwright-core';
import {
  entryHash, fingerprintOf, generateUserSecrets, keyIdOf, signEntry, toB64u, verifyRoster, type RosterEntry, type SignedEntry,
} from '../../crypto/index.js';
import { en } from '../../client/report/i18n/en.js';
import { fr } from '../../client/report/i18n/fr.js';
import { es } from '../../client/report/i18n/es.js';
import { ar } from '../../client/report/i18n/ar.js';
import { addUser, axe, launchBrowser, startReporterServer, watch } from '../helpers/browser.js';

const server = await startReporterServer();
const browser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await server.close();
});
const { services } = server.inst;
// Carol is a member of staff in the database whom nobody approved: the server does not list her;
// a doctored server below does.
const carol = addUser(services, 'carol', ['reviewer'], ['staff'], { approved: false });
const carolRecipient = { userId: carol.id, label: 'carol', keyId: carol.keyId, publicKey: toB64u(carol.secrets.box.publicKey) };

type Doctor = { channels?: (body: { channels: Array<{ id: string; recipients: unknown[] }> }) => unknown; roster?: (body: { entries: SignedEntry[] }) => unknown };

/** A page whose requests to /api/channels or /api/roster (made by its worker) are answered doctored. */
async function doctoredPage(doctor: Doctor): Promise<{ context: BrowserContext; page: Page; posted: () => string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 780 }, locale: 'en-GB' });
  for (const [path, change] of Object.entries({ '/api/channels': doctor.channels, '/api/roster': doctor.roster })) {
    if (!change) continue;
    await context.route(`${server.url}${path}`, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: change(await res.json()) });
    });
  }
  const page = await context.newPage();
  const w = await watch(context, page, server.url);
  return { context, page, posted: () => w.requests.filter((r) => r.method === 'POST').map((r) => `${new URL(r.url).pathname} ${r.body?.toString() ?? ''}`) };
}

async function fillStaffReport(page: Page) {
  await page.getByRole('button', { name: 'Start a report: Customs staff' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your report' }).waitFor();
  await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption('BRIBERY');
  await page.getByRole('textbox', { name: 'What happened', exact: true }).fill('MARKER-ROSTER a payment at the gate');
}

const entries = services.repos.roster.entries();
const checked = verifyRoster(entries);
if (!checked.ok) throw new Error('the test instance\'s roster does not verify');
const unitFingerprint = fingerprintOf(checked.state.rootSignPublicKey);

t.test('the honest server: the unit fingerprint is shown, in every language', async (t) => {
  const { context, page } = await doctoredPage({});
  t.teardown(() => context.close());
  await page.goto(server.url);
  await page.getByRole('heading', { name: en['roster.title'] }).waitFor();
  t.equal((await page.locator('#unit-fingerprint code').textContent())?.trim(), unitFingerprint, 'the fingerprint of the root the roster begins with');
  t.same(await axe(page), [], 'axe: the fingerprint card');
  for (const [code, catalogue] of [['fr', fr], ['es', es], ['ar', ar]] as const) {
    await page.locator('#lang').selectOption(code);
    await page.getByRole('heading', { name: catalogue['roster.title'] }).waitFor();
    t.not(catalogue['roster.title'], en['roster.title'], `${code}: its own words`);
  }
  t.equal(await page.evaluate(() => document.documentElement.dir), 'rtl', 'Arabic reads right to left');
  t.same(await axe(page), [], 'axe: the fingerprint card in Arabic');
});

t.test('a server that lists an extra recipient: not offered, not sealed to, and the page says so', async (t) => {
  const { context, page, posted } = await doctoredPage({
    channels: (body) => ({ ...body, channels: body.channels.map((c) => (c.id === 'staff' ? { ...c, recipients: [...c.recipients, carolRecipient] } : c)) }),
  });
  t.teardown(() => context.close());
  await page.goto(server.url);
  await fillStaffReport(page);
  await page.locator('#roster-dropped', { hasText: en['roster.dropped'].replace('{count}', '1') }).waitFor();
  t.equal(await page.getByLabel('Send to carol').count(), 0, 'carol is not offered as a recipient');
  t.equal(await page.getByLabel('Send to bob').count(), 1, 'the approved members are');
  t.same(await axe(page), [], 'axe: the form with the notice');
  await page.getByRole('button', { name: 'Submit report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your report was received' }).waitFor({ timeout: 30_000 });
  const report = posted().find((p) => p.startsWith('/api/reports '))!;
  const body = JSON.parse(report.slice('/api/reports '.length)) as { reportId: string; keys: Array<{ keyId: string }> };
  t.notOk(body.keys.some((k) => k.keyId === carol.keyId), 'no key is sealed to carol');
  t.same(services.repos.reports.keys(body.reportId).map((k) => k.keyId).includes(carol.keyId), false);
  t.equal(body.keys.length, 3, 'alice, bob and the recovery key');
});

const intruder = generateUserSecrets();
const forged: SignedEntry = signEntry({
  v: 1, seq: entries.length, prev: toB64u(entryHash(entries.at(-1)!)), at: '2026-12-07T10:00:00.000Z', by: keyIdOf(intruder.sign.publicKey),
  op: 'add', channel: 'staff', member: { userId: carol.id, label: 'carol', boxPublicKey: carolRecipient.publicKey, signPublicKey: toB64u(carol.secrets.sign.publicKey) },
} as RosterEntry, intruder.sign.secretKey);
const flipped = (body: { entries: SignedEntry[] }) => {
  const copy = structuredClone(body);
  const member = (copy.entries[1]!.entry as { member: { boxPublicKey: string } }).member;
  // One byte of alice's key changed: the key the server would have the page seal to instead.
  member.boxPublicKey = toB64u(intruder.box.publicKey);
  return copy;
};
const tampering: Array<[string, Doctor]> = [
  ['a roster with one byte changed', { roster: flipped, channels: (body) => body }],
  ['a roster with an entry removed', { roster: (body) => ({ entries: body.entries.filter((_, i) => i !== 2) }) }],
  ['a roster with an entry signed by a non-member', {
    roster: (body) => ({ entries: [...body.entries, forged] }),
    channels: (body) => ({ ...body, channels: body.channels.map((c) => (c.id === 'staff' ? { ...c, recipients: [...c.recipients, carolRecipient] } : c)) }),
  }],
];

for (const [name, doctor] of tampering) {
  t.test(`${name}: the recipients could not be verified, and nothing is sent`, async (t) => {
    const { context, page, posted } = await doctoredPage(doctor);
    t.teardown(() => context.close());
    await page.goto(server.url);
    await page.getByRole('alert').filter({ hasText: en['roster.failed.title'] }).waitFor();
    t.equal(await page.locator('#unit-fingerprint').count(), 0, 'no fingerprint is shown for a roster that does not verify');
    t.same(await axe(page), [], 'axe: the landing page with the alert');
    await fillStaffReport(page);
    t.equal(await page.getByLabel('Send to carol').count(), 0);
    await page.getByRole('button', { name: 'Submit report' }).click();
    const alert = page.locator('#roster-failed');
    await alert.waitFor();
    t.match(await alert.textContent(), en['roster.failed.text'].slice(0, 40));
    t.same(await axe(page), [], 'axe: the form with the alert');
    t.same(posted(), [], 'no challenge and no report was sent');
  });
}
