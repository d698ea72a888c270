// The reporting page in French at 1280 px: the language comes from the browser, a report with a
// PNG goes out clean, typos get their French messages, the answer is read and replied to; then
// Arabic lays out right to left, and the <noscript> text comes (escaped) from the settings.
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { axe, bodiesContaining, launchBrowser, startReporterServer, watch } from '../helpers/browser.js';
import { answerAsReviewer, readAsReviewer } from '../client/reviewer.js';
import { contains, GPS_MARKER, png } from '../client/image-fixtures.js';

const DESCRIPTION = 'MARQUEUR-DESC-9c1e un agent a retenu la marchandise';
const REPLY = 'MARQUEUR-REPONSE-le-numero-est-77';
const SHOTS = process.env.SEALBOX_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

t.test('French, 1280 px: the whole flow, typos in French, then Arabic right to left', async (t) => {
  const server = await startReporterServer();
  server.inst.services.repos.settings.set('emergencyContacts', { en: 'Call 112.', fr: 'Appelez le 112 ou la gendarmerie.' });
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const w = await watch(context, page, server.url);
  const step = async (name: string) => {
    t.same(await axe(page), [], `axe: nothing serious on ${name}`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage: true });
  };

  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Signaler un manquement en douane' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'fr', 'French, from the browser');
  t.equal(await page.getByLabel('Langue').inputValue(), 'fr');
  await step('fr-landing');

  await page.getByRole('button', { name: /Commencer un signalement : Opérateurs/ }).click();
  await page.getByRole('combobox', { name: 'Catégorie', exact: true }).selectOption('BRIBERY');
  await page.getByRole('textbox', { name: 'Ce qui s’est passé', exact: true }).fill(DESCRIPTION);
  await page.getByRole('group', { name: 'Une personne est-elle en danger immédiat ?' }).getByLabel('Oui').check();
  await page.getByText('Appelez le 112 ou la gendarmerie.').waitFor();
  t.equal(await page.getByLabel('Envoyer à bob').count(), 0, 'the public channel allows no exclusion');
  const { bytes: scan } = png({ metadata: true });
  await page.setInputFiles('#files-input', [{ name: 'scan.png', mimeType: 'image/png', buffer: Buffer.from(scan) }]);
  await page.getByText('Les données cachées seront retirées.').waitFor();
  await step('fr-form');
  await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
  await page.getByRole('heading', { level: 1, name: 'Votre signalement a été reçu' }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { name: 'Code de reçu' }).waitFor();
  const shown = (await page.locator('#receipt-code').textContent())!;
  await page.locator('[data-upload="scan.png"] .status', { hasText: 'Envoyé, données cachées retirées' }).waitFor({ timeout: 30_000 });
  await step('fr-receipt');
  await page.getByLabel(/saisissez le dernier groupe/).fill(shown.slice(-5));
  await page.getByRole('button', { name: 'J’ai gardé mon code' }).click();
  await page.getByRole('heading', { level: 1, name: 'Merci' }).waitFor();

  const reportId = server.inst.services.db.sqlite.prepare('SELECT id FROM reports').pluck().get() as string;
  const seen = await readAsReviewer(server.inst.services, server.alice, reportId);
  t.match(seen.content.answers, { category: 'BRIBERY', description: DESCRIPTION, danger: true });
  t.equal(seen.content.locale, 'fr');
  const cleaned = seen.attachments[0]!.bytes!;
  t.same(cleaned, png().bytes, 'the PNG arrives without its text, eXIf and tIME chunks');
  t.notOk(contains(cleaned, GPS_MARKER));
  answerAsReviewer(server.inst.services, server.alice, reportId, 'Merci, nous examinons votre signalement.');
  server.inst.services.repos.reports.updateTriage(reportId, { status: 'in_review', acknowledgedAt: '2026-11-28T17:00:00.000Z' }, '2026-11-28T17:00:00.000Z');

  await page.getByRole('button', { name: 'Retour au début' }).click();
  await page.getByRole('button', { name: 'Suivre un signalement' }).click();
  const box = page.getByLabel('Code de reçu');
  const open = page.getByRole('button', { name: 'Ouvrir mon signalement' });
  await box.fill(shown.slice(0, 12));
  await open.click();
  await page.getByText('Un code de reçu compte 25 caractères ; celui-ci en compte 10.').waitFor();
  await box.fill(`${shown.slice(0, 2)}#${shown.slice(3)}`);
  await open.click();
  await page.getByText('« # » (caractère 3) ne peut pas figurer dans un code de reçu.').waitFor();
  await step('fr-followup-typo');
  await box.fill(shown);
  await open.click();
  await page.getByText('Merci, nous examinons votre signalement.').waitFor();
  t.equal(await page.locator('.timeline .current .step-name').textContent(), 'En cours d’examen');
  t.match(await page.locator('.timeline').textContent(), /28 novembre 2026/);
  await page.getByLabel('Votre message').fill(REPLY);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await page.getByText('Votre message a été envoyé.').waitFor();
  await step('fr-followup');
  t.same((await readAsReviewer(server.inst.services, server.alice, reportId)).messages.at(-1), { author: 'reporter', text: REPLY });

  // Arabic: right to left, with the switcher; nothing serious for axe either.
  await page.getByLabel('Langue').selectOption('ar');
  await page.getByRole('heading', { level: 2, name: 'الحالة' }).waitFor();
  t.same(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
  await step('ar-followup');
  await page.getByRole('button', { name: 'خروج' }).click();
  await page.getByRole('heading', { level: 1, name: 'الإبلاغ عن مخالفة في الجمارك' }).waitFor();
  await step('ar-landing');

  for (const marker of [DESCRIPTION, REPLY, 'TEXTMARK', 'ITXTMARK', GPS_MARKER, shown]) {
    t.same(bodiesContaining(w.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 20)}`);
    t.notOk(server.wire().includes(Buffer.from(marker, 'utf8')), `nor any byte sent over the wire: ${marker.slice(0, 20)}`);
  }
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');

  // Without JavaScript: the configured text, escaped, in each language.
  server.inst.services.repos.settings.set('noscriptText', { en: 'Write to PO Box 12 <script>alert(1)</script>', fr: 'Écrivez à la BP 12.\n\nOu venez au bureau.' });
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  const plain = await nojs.newPage();
  await plain.goto(server.url);
  t.equal(await plain.locator('p[lang="en"]').textContent(), 'Write to PO Box 12 <script>alert(1)</script>', 'shown as text, never as markup');
  t.same(await plain.locator('p[lang="fr"]').allTextContents(), ['Écrivez à la BP 12.', 'Ou venez au bureau.']);
  t.equal(await plain.locator('script:not([src])').count(), 0, 'no inline script');
  if (SHOTS) await plain.screenshot({ path: `${SHOTS}/noscript-1280.png` });
  await nojs.close();
  // Written past the repository's types, as a damaged or hand-edited database would hold it.
  server.inst.services.db.sqlite.prepare('UPDATE settings SET value = ? WHERE key = ?').run('42', 'noscriptText');
  const res = await fetch(`${server.url}/index.html`);
  t.match(await res.text(), /Reports are encrypted in your browser/, 'a malformed setting falls back to the default');
  t.equal(res.headers.get('cache-control'), 'no-store');
  t.match(res.headers.get('content-security-policy'), /script-src 'self' 'wasm-unsafe-eval'/);
  const settings = await (await fetch(`${server.url}/api/page-settings`)).json();
  t.same(settings, { emergencyContacts: { en: 'Call 112.', fr: 'Appelez le 112 ou la gendarmerie.' } });
  server.inst.services.repos.settings.set('emergencyContacts', 'Call 999.');
  t.same(await (await fetch(`${server.url}/api/page-settings`)).json(), { emergencyContacts: { en: 'Call 999.' } });
});
