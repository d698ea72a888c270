// The reporting page in Spanish and Arabic on a phone-sized screen (360 px): the language comes from
// the browser, every text on the way is the catalogue's and the questionnaire's own (no English
// left), a report goes out and its answer is read and replied to in Spanish; then the switcher
// turns the page to Arabic, right to left, where a report is started with the emergency contacts
// in Arabic. Nothing serious for axe on any step; nothing readable on the wire.
import t from 'tap';
import { mkdirSync } from 'node:fs';
import { makeT } from '../../client/report/i18n/index.js';
import { localText } from '../../domain/text.js';
import { defaultChannels } from '../../server/channels-default.js';
import { DEFAULT_ACKNOWLEDGEMENT } from '../../server/init.js';
import { DEFAULT_EMERGENCY } from '../../server/plugins/static-pages.js';
import { defaultQuestionnaire } from '../../domain/defaults/questionnaire.js';
import { type Field } from '../../domain/questionnaire.js';
import { answerAsReviewer, readAsReviewer } from '../client/reviewer.js';
import { axe, bodiesContaining, launchBrowser, startReporterServer, watch } from '../helpers/browser.js';

const DESCRIPTION = 'MARCADOR-DESC-4f2a el agente retuvo la mercancía';
const REPLY = 'MARCADOR-RESPUESTA-el-numero-es-31';
const SHOTS = process.env.SEALBOX_SCREENSHOTS;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });
const es = makeT('es');
const ar = makeT('ar');

const field = (id: string): Field => defaultQuestionnaire.sections.flatMap((s) => s.fields).find((f) => f.id === id)!;
const label = (id: string, locale: string) => localText(field(id).label, locale);
const option = (id: string, value: string, locale: string) => localText(field(id).options!.find((o) => o.value === value)!.label, locale);
const channelTitle = (id: string, locale: string) => localText(defaultChannels.find((c) => c.id === id)!.title, locale);

t.test('Spanish then Arabic, 360 px: a whole report in Spanish, a form in Arabic right to left', async (t) => {
  const server = await startReporterServer();
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'es-MX', hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const w = await watch(context, page, server.url);
  const step = async (name: string) => {
    t.same(await axe(page), [], `axe: nothing serious on ${name}`);
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: nothing wider than the screen`);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/${name}-360.png`, fullPage: true });
  };

  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: es('landing.title') }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'es', 'Spanish, from the browser');
  t.equal(await page.getByLabel(es('lang.label')).inputValue(), 'es');
  await page.getByText(localText(defaultChannels[0]!.description, 'es')).waitFor();
  await step('es-landing');

  await page.getByRole('button', { name: es('landing.channels.start', { title: channelTitle('staff', 'es') }) }).click();
  const category = page.getByRole('combobox', { name: label('category', 'es'), exact: true });
  t.equal(await category.locator('option[value="EXTORTION"]').textContent(), option('category', 'EXTORTION', 'es'), 'the categories in Spanish');
  await category.selectOption('EXTORTION');
  await page.getByRole('textbox', { name: label('description', 'es'), exact: true }).fill(DESCRIPTION);
  await page.getByRole('group', { name: label('danger', 'es') }).getByLabel(es('form.yes')).check();
  await page.getByText(DEFAULT_EMERGENCY.es!).waitFor();
  await step('es-form');
  await page.getByRole('button', { name: es('submit.button') }).click();
  await page.getByRole('heading', { level: 1, name: es('receipt.title') }).waitFor({ timeout: 30_000 });
  const shown = (await page.locator('#receipt-code').textContent())!;
  await step('es-receipt');
  await page.getByLabel(es('receipt.confirmLabel')).fill(shown.slice(-5));
  await page.getByRole('button', { name: es('receipt.confirm') }).click();
  await page.getByRole('heading', { level: 1, name: es('done.title') }).waitFor();

  const reportId = server.inst.services.db.sqlite.prepare('SELECT id FROM reports').pluck().get() as string;
  const seen = await readAsReviewer(server.inst.services, server.alice, reportId);
  t.equal(seen.content.locale, 'es');
  t.match(seen.content.answers, { category: 'EXTORTION', description: DESCRIPTION, danger: true });
  // The unit answers with the instance's acknowledgement in the report's language.
  answerAsReviewer(server.inst.services, server.alice, reportId, DEFAULT_ACKNOWLEDGEMENT.es!);
  server.inst.services.repos.reports.updateTriage(reportId, { status: 'needs_information', acknowledgedAt: '2026-11-29T09:00:00.000Z' }, '2026-11-29T09:00:00.000Z');

  await page.getByRole('button', { name: es('done.home') }).click();
  await page.getByRole('button', { name: es('landing.followup.button') }).click();
  await page.getByLabel(es('followup.codeLabel')).fill(shown);
  await page.getByRole('button', { name: es('followup.open') }).click();
  await page.getByText(DEFAULT_ACKNOWLEDGEMENT.es!).waitFor();
  t.equal(await page.locator('.timeline .current .step-name').textContent(), es('status.needs_information'));
  await page.getByText(es('followup.needsInfo')).waitFor();
  t.match(await page.locator('.answer').allTextContents(), [new RegExp(label('category', 'es'))], 'their own report, labelled in Spanish');
  await page.getByLabel(es('followup.reply')).fill(REPLY);
  await page.getByRole('button', { name: es('followup.send') }).click();
  await page.getByText(es('followup.sent')).waitFor();
  await step('es-followup');
  t.same((await readAsReviewer(server.inst.services, server.alice, reportId)).messages.at(-1), { author: 'reporter', text: REPLY });

  // Arabic, from the switcher: right to left, and the form in Arabic from the first label on.
  await page.getByLabel(es('lang.label')).selectOption('ar');
  await page.getByRole('heading', { level: 2, name: ar('followup.status') }).waitFor();
  t.same(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ar', 'rtl']);
  await step('ar-followup');
  await page.getByRole('button', { name: ar('followup.leave') }).click();
  await page.getByRole('heading', { level: 1, name: ar('landing.title') }).waitFor();
  await step('ar-landing');
  await page.getByRole('button', { name: ar('landing.channels.start', { title: channelTitle('public', 'ar') }) }).click();
  const fi = page.getByRole('combobox', { name: label('category', 'ar'), exact: true });
  t.equal(await fi.locator('option[value="BRIBERY"]').textContent(), option('category', 'BRIBERY', 'ar'), 'the categories in Arabic');
  await page.getByRole('group', { name: label('danger', 'ar') }).getByLabel(ar('form.yes')).check();
  await page.getByText(DEFAULT_EMERGENCY.ar!).waitFor();
  await page.getByRole('button', { name: ar('submit.button') }).waitFor();
  t.equal(await page.locator('main').evaluate((el) => getComputedStyle(el).direction), 'rtl', 'the form lays out right to left');
  await step('ar-form');

  for (const marker of [DESCRIPTION, REPLY, shown]) {
    t.same(bodiesContaining(w.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 20)}`);
    t.notOk(server.wire().includes(Buffer.from(marker, 'utf8')), `nor any byte sent over the wire: ${marker.slice(0, 20)}`);
  }
  t.same(w.problems, [], 'no console error, page error, CSP violation or other origin');
});
