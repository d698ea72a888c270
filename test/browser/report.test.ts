// The reporting page in Chromium at 320 px, in English: a report with a photo and a document,
// the receipt kept, the unit's answer read and replied to; nothing readable reaches the server,
// the photo's GPS data never leaves the browser, axe finds nothing serious on any step.
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { axe, bodiesContaining, launchBrowser, startReporterServer, watch } from '../helpers/browser.js';
import { answerAsReviewer, readAsReviewer } from '../client/reviewer.js';
import { CAMERA_MARKER, contains, exifSegment, GPS_MARKER, insertAfterSoi } from '../client/image-fixtures.js';

const MARKERS = {
  description: 'MARKER-DESC-7f3a the inspector asked for 500 dollars',
  person: 'MARKER-PERSON-Jean-Dupont',
  company: 'MARKER-COMPANY-Acme-Freight',
  identity: 'MARKER-IDENTITY-my-own-name',
  file: 'MARKER-FILE-ledger-contents',
  reply: 'MARKER-REPLY-the-declaration-is-2026-4411',
  followupFile: 'MARKER-FOLLOWUP-FILE-second-ledger',
};
const ANSWER = 'Thank you. Which declaration number was it?';
const SHOTS = process.env.SEALBOX_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

t.test('English, 320 px: submit with a photo, keep the code, come back, read the answer and reply', async (t) => {
  const server = await startReporterServer();
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  const context = await browser.newContext({ viewport: { width: 320, height: 740 }, isMobile: true, hasTouch: true, locale: 'en-GB', acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  const w = await watch(context, page, server.url);
  const shot = async (name: string) => {
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-320.png`, fullPage: true });
  };
  const checkStep = async (name: string) => {
    t.same(await axe(page), [], `axe: no serious or critical violation on ${name}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    t.ok(overflow <= 0, `${name} fits 320 px (overflow ${overflow})`);
    await shot(name);
  };

  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Report misconduct in customs' }).waitFor();
  const startUrl = page.url();
  const startHistory = await page.evaluate(() => history.length);
  t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await checkStep('landing');

  // A photo made by the browser's own encoder, with a camera's Exif (GPS) added in front.
  const photo = insertAfterSoi(new Uint8Array(await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(64, 48);
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#3070b0';
    g.fillRect(0, 0, 64, 48);
    g.fillStyle = '#f0c020';
    g.fillRect(10, 10, 20, 20);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    return [...new Uint8Array(await blob.arrayBuffer())];
  })), exifSegment());
  t.ok(contains(photo, GPS_MARKER), 'the photo carries GPS data');

  await page.getByRole('button', { name: 'Start a report: Customs staff' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your report' }).waitFor();
  t.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1', 'focus moves to the new step');

  // Submitting empty: the summary names both required answers, and nothing is sent.
  const before = w.requests.length;
  await page.getByRole('button', { name: 'Submit report' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Some answers need attention' });
  await summary.waitFor();
  t.match(await summary.textContent(), /Category: This answer is required\..*What happened: This answer is required\./s);
  t.equal(w.requests.length, before, 'an invalid form sends nothing');
  await checkStep('form-errors');

  await page.getByRole('combobox', { name: 'Category', exact: true }).selectOption('EXTORTION');
  await page.getByRole('textbox', { name: 'What happened', exact: true }).fill(MARKERS.description);
  await page.getByRole('group', { name: 'Is anyone in immediate danger to life or safety?' }).getByLabel('Yes').check();
  const emergency = page.getByRole('alert').filter({ hasText: 'If someone is in danger now' });
  await emergency.waitFor();
  t.match(await emergency.textContent(), /112/, 'emergency contacts appear first');
  t.ok(await page.evaluate(() => {
    const aside = document.querySelector('.emergency')!;
    const firstSection = document.querySelector('form section')!;
    return Boolean(aside.compareDocumentPosition(firstSection) & Node.DOCUMENT_POSITION_FOLLOWING);
  }), 'the contacts come before the questions');
  await page.getByLabel('Date (or start date)').fill('2026-11-02');
  await page.getByLabel('Name').first().fill(MARKERS.person);
  await page.getByRole('button', { name: 'Add another entry to “People involved”' }).click();
  await page.getByRole('group', { name: 'People involved 2' }).getByLabel('Role or unit').fill('Shift supervisor');
  await page.getByLabel('Company name').fill(MARKERS.company);
  await page.getByLabel('Send to bob').uncheck();
  t.notOk(await page.getByLabel('Your name').isVisible(), 'the identity section is off by default');
  await page.getByLabel('I want to give my name or contact details').check();
  await page.getByLabel('Your name').fill(MARKERS.identity);
  await page.setInputFiles('#files-input', [
    { name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(photo) },
    { name: 'ledger.txt', mimeType: 'text/plain', buffer: Buffer.from(`${MARKERS.file}\n`.repeat(5000)) },
  ]);
  await page.getByText('Hidden data will be removed.').waitFor();
  await page.getByText('This kind of file may carry hidden data').waitFor();
  await checkStep('form-filled');

  await page.getByRole('button', { name: 'Submit report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Your report was received' }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { name: 'Receipt code' }).waitFor();
  const shown = (await page.locator('#receipt-code').textContent())!;
  t.match(shown, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/, 'the code is shown in five groups');
  await page.locator('[data-upload="ledger.txt"] .status', { hasText: 'Sent' }).waitFor({ timeout: 30_000 });
  await page.locator('[data-upload="IMG_2041.jpg"] .status', { hasText: 'Sent, hidden data removed' }).waitFor({ timeout: 30_000 });
  await checkStep('receipt');

  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByText('The code was copied.').waitFor();
  t.equal(await page.evaluate(() => navigator.clipboard.readText()), shown, 'copied as shown');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as text file' }).click()]);
  t.equal(download.suggestedFilename(), 'sealbox-receipt.txt');
  const saved = await download.createReadStream().then(async (s) => {
    const parts: Buffer[] = [];
    for await (const p of s) parts.push(p as Buffer);
    return Buffer.concat(parts).toString('utf8');
  });
  t.match(saved, shown, 'the saved file holds the code');

  const confirmBox = page.getByLabel('To confirm you kept it, type the last group of your code (5 characters)');
  await confirmBox.fill('ZZZZZ');
  await page.getByRole('button', { name: 'I have kept my code' }).click();
  await page.getByText('That is not the last group of your code.').waitFor();
  await confirmBox.fill(shown.slice(-5).toLowerCase());
  await page.getByRole('button', { name: 'I have kept my code' }).click();
  await page.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
  await checkStep('done');
  t.equal(page.url(), startUrl, 'no step has a URL');
  t.equal(await page.evaluate(() => history.length), startHistory, 'the history keeps no trace of the steps');

  // The unit's side: everything decrypts; bob was left out; the photo lost its GPS data.
  const reportId = server.inst.services.db.sqlite.prepare('SELECT id FROM reports').pluck().get() as string;
  const seen = await readAsReviewer(server.inst.services, server.alice, reportId);
  t.match(seen.content.answers, {
    category: 'EXTORTION', description: MARKERS.description, danger: true, dateFrom: '2026-11-02',
    people: [{ name: MARKERS.person }, { role: 'Shift supervisor' }], companies: [{ name: MARKERS.company }], identity: { name: MARKERS.identity },
  });
  t.equal(seen.content.locale, 'en');
  t.equal(server.inst.services.repos.reports.key(reportId, server.bob.keyId), undefined, 'bob was left out');
  const img = seen.attachments.find((a) => a.meta.name === 'IMG_2041.jpg')!;
  t.ok(img.complete);
  t.notOk(contains(img.bytes!, GPS_MARKER), 'no GPS data');
  t.notOk(contains(img.bytes!, CAMERA_MARKER), 'no camera data');
  t.notOk(contains(img.bytes!, 'Exif'), 'no Exif segment at all');
  t.equal(img.bytes!.length, photo.length - exifSegment().length, 'exactly the Exif segment removed');
  const decoded = await page.evaluate(async (bytes) => {
    const bitmap = await createImageBitmap(new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }));
    return [bitmap.width, bitmap.height];
  }, [...img.bytes!]);
  t.same(decoded, [64, 48], 'the cleaned photo still decodes');
  const ledger = seen.attachments.find((a) => a.meta.name === 'ledger.txt')!;
  t.equal(Buffer.from(ledger.bytes!).toString(), `${MARKERS.file}\n`.repeat(5000), 'other files arrive whole');

  answerAsReviewer(server.inst.services, server.alice, reportId, ANSWER);
  server.inst.services.repos.reports.updateTriage(reportId, { status: 'needs_information', acknowledgedAt: '2026-11-29T09:00:00.000Z' }, '2026-11-29T09:00:00.000Z');

  // Coming back: a typo is named precisely; the right code (typed loosely) opens the report.
  await page.getByRole('button', { name: 'Back to the start' }).click();
  await page.getByRole('button', { name: 'Follow up on a report' }).click();
  const codeBox = page.getByLabel('Receipt code');
  const last = shown.at(-1)!;
  await codeBox.fill(shown.slice(0, -1) + (last === '0' ? '1' : '0'));
  await page.getByRole('button', { name: 'Open my report' }).click();
  await page.getByText('This code has a typo: compare each character with what you wrote down.').waitFor();
  await codeBox.fill(`${shown.slice(0, 6)}U${shown.slice(7)}`);
  await page.getByRole('button', { name: 'Open my report' }).click();
  await page.getByText('“U” (character 7) cannot be in a receipt code.').waitFor();
  await checkStep('followup-typo');
  await codeBox.fill(shown.toLowerCase().replace(/-/g, ' '));
  await page.getByRole('button', { name: 'Open my report' }).click();
  await page.getByRole('heading', { level: 1, name: 'Follow up on your report' }).waitFor();
  await page.getByText(ANSWER).waitFor();
  t.equal(await page.locator('.timeline .current .step-name').textContent(), 'Needs information from you');
  t.match(await page.locator('.timeline').textContent(), /Received.*28 November 2026.*Acknowledged.*29 November 2026/s, 'the timeline has the dates');
  t.match(await page.locator('.answers').textContent(), MARKERS.description, 'their own report, decrypted');
  t.match(await page.locator('.answers').textContent(), 'Extortion: threats, invented fees');
  await checkStep('followup');

  await page.getByLabel('Your message').fill(MARKERS.reply);
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.getByText('Your message was sent.').waitFor();
  await page.locator('.message.reporter', { hasText: MARKERS.reply }).waitFor();
  await page.setInputFiles('#followup-files', [{ name: 'second.txt', mimeType: 'text/plain', buffer: Buffer.from(MARKERS.followupFile) }]);
  await page.getByRole('button', { name: 'Send files' }).click();
  await page.locator('.file-list .file-name', { hasText: 'second.txt' }).waitFor({ timeout: 20_000 });
  await checkStep('followup-replied');

  const after = await readAsReviewer(server.inst.services, server.alice, reportId);
  t.same(after.messages.map((m) => [m.author, m.text]), [['reviewer', ANSWER], ['reporter', MARKERS.reply]]);
  t.equal(Buffer.from(after.attachments.find((a) => a.meta.name === 'second.txt')!.bytes!).toString(), MARKERS.followupFile);

  // Nothing readable left the browser: no marker, no GPS, in any request body.
  t.ok(w.requests.some((r) => r.url.endsWith('/api/reports') && r.method === 'POST'), 'the report request was recorded');
  t.ok(w.requests.filter((r) => r.method === 'PATCH').length >= 3, 'the worker’s uploads were recorded');
  // Files go up as Blob bodies, which the request events do not carry: the recording proxy in
  // front of the server holds every byte the browser sent, uploads included.
  const wire = server.wire();
  const uploaded = [...server.inst.services.repos.attachments.listForReport(reportId)].reduce((n, a) => n + a.size, 0);
  t.ok(wire.length > uploaded, `the wire holds the uploads (${wire.length} bytes sent, ${uploaded} in files)`);
  for (const marker of [...Object.values(MARKERS), GPS_MARKER, CAMERA_MARKER, shown, shown.replace(/-/g, '')]) {
    t.same(bodiesContaining(w.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 24)}`);
    t.notOk(wire.includes(Buffer.from(marker, 'utf8')), `nor any byte sent over the wire: ${marker.slice(0, 24)}`);
  }
  t.notOk(w.requests.some((r) => /MARKER|[0-9A-Z]{5}-[0-9A-Z]{5}/.test(r.url)), 'nor any URL');
  t.notOk(server.inst.log.text.includes('MARKER'), 'nor the server log');
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');
  await page.close();
});
