// "My account" in Chromium: a reviewer sets an address, "at once" and French e-mails through the
// form (keyboard and labels, a slip in the address caught with a message, axe clean at 1280 and
// 320 px, in English and French); the next report then reaches that address through a local SMTP
// server, in French, with nothing from the report in it.
import t from 'tap';
import { addUser } from '../helpers/instance.js';
import { startSmtp } from '../helpers/smtp.js';
import { check, launchBrowser, openPage, signIn, startConsole, submit } from './console-fixtures.js';

t.test('a reviewer chooses how to be told of new reports', async (t) => {
  const smtp = await startSmtp();
  const server = await startConsole({ config: { mail: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'sealbox@customs.example', dailyHourUtc: 6 } } });
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
    await smtp.close();
  });
  const { services } = server.inst;
  const rana = addUser(services, 'rana', ['reviewer'], ['staff'], { kdf: 'real' });
  const { page, w, context } = await openPage(browser, server);
  await page.goto(server.url);
  await signIn(page, server, rana, /Inbox/);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'My account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
  const email = page.getByLabel('E-mail address');
  await email.waitFor();
  t.equal(await page.getByLabel('A daily summary (recommended)').isChecked(), true, 'the digest is the default');
  t.match(await page.getByText(/It comes every day at the same time/).textContent(), /It is sent at 06:00 UTC\./);
  t.equal(await page.getByText('This server has no mail settings yet').count(), 0, 'mail is configured here');
  await check(t, page, 'account');

  await email.fill('rana@customs');
  await page.getByRole('button', { name: 'Save the notification settings' }).click();
  await page.getByRole('alert').filter({ hasText: 'Enter an e-mail address such as name@example.org' }).waitFor();
  t.equal(await email.getAttribute('aria-invalid'), 'true');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'account-email', 'focus goes back to the address');
  t.equal(services.repos.users.byId(rana.id)!.email, null, 'nothing was sent');
  await check(t, page, 'account-invalid');

  await email.fill(' rana@customs.example ');
  // Keyboard: the radio group and the language list.
  await page.getByLabel('At once, for each new report').focus();
  await page.keyboard.press('Space');
  await page.getByLabel('Language of the e-mails').selectOption('fr');
  await page.getByRole('button', { name: 'Save the notification settings' }).click();
  await page.locator('[role="status"]', { hasText: 'Your notification settings were saved.' }).waitFor();
  const row = services.repos.users.byId(rana.id)!;
  t.same([row.email, row.notify, row.notifyLocale], ['rana@customs.example', 'immediate', 'fr']);
  t.equal(await email.inputValue(), 'rana@customs.example');

  await page.setViewportSize({ width: 320, height: 800 });
  await check(t, page, 'account');
  await page.getByLabel('Language', { exact: true }).selectOption('fr');
  await page.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
  t.equal(await page.getByLabel('Immédiatement, pour chaque nouveau signalement').isChecked(), true);
  await check(t, page, 'account-fr');
  await page.setViewportSize({ width: 1280, height: 900 });
  await check(t, page, 'account-fr');

  const marker = 'MARKER-account-browser-9c1';
  await submit(server, 'staff', { category: 'BRIBERY', description: marker });
  await smtp.waitFor(1);
  const mail = smtp.mails[0]!;
  t.same(mail.to, ['rana@customs.example']);
  t.equal(mail.subject, 'Sealbox : un nouveau signalement dans le canal staff');
  t.notMatch(mail.raw + mail.subject + mail.text, marker, 'nothing from the report');
  await context.close();
  t.same(w.problems, [], 'no console error, CSP violation or other origin');
});
