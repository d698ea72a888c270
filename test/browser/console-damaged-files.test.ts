// Damaged files on the server's disk, in Chromium: of two files on a report one is cut short on
// disk, and on another report one is missing. The console names the damaged file with a clear
// message (in English, then in French), the other file still decrypts and saves, and the rest of
// the report (its answers) opens as before. axe finds nothing serious in the damaged state, which
// fits a 320 px screen.
import { statSync, truncateSync, unlinkSync } from 'node:fs';
import t from 'tap';
import { attach } from '../client/console-fixtures.js';
import { addUser } from '../helpers/instance.js';
import { check, consoleSession, openPage, signIn, submit } from './console-fixtures.js';

t.test('a damaged file is named, the other decrypts, the report opens', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const alice = addUser(services, 'alice', ['reviewer'], ['staff'], { kdf: 'real' });
  const text = (line: string, times: number) => new TextEncoder().encode(`${line}\n`.repeat(times));

  // Report 1: the scan was cut short on disk (a write that never finished).
  const first = await submit(server, 'staff', { category: 'BRIBERY', description: 'The broker paid the officer at gate 4' });
  await attach(server.reporterApp, first, 'ledger.txt', 'text/plain', text('2026-11-02 container MSKU-1234 cleared without inspection', 3000));
  const scan = await attach(server.reporterApp, first, 'scan.txt', 'text/plain', text('scanned page', 20_000));
  const scanFile = services.blobs.path(scan);
  truncateSync(scanFile, Math.floor(statSync(scanFile).size / 2));
  // Report 2: the photo is gone from storage.
  server.inst.clock.advance(60_000);
  const second = await submit(server, 'staff', { category: 'SMUGGLING', description: 'Le conteneur a quitté le port sans contrôle' });
  await attach(server.reporterApp, second, 'registre.txt', 'text/plain', text('registre des sorties', 2000));
  unlinkSync(services.blobs.path(await attach(server.reporterApp, second, 'photo-conteneur.txt', 'text/plain', text('photo', 1000))));

  const { page, w, context } = await openPage(browser, server);
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await signIn(page, server, alice);
  await page.evaluate((rid) => { location.hash = `#/reports/${rid}`; }, first.reportId);
  await page.getByRole('heading', { level: 1, name: /^Report received/ }).waitFor({ timeout: 20_000 });
  await page.getByText('The broker paid the officer at gate 4').waitFor();

  await page.getByRole('button', { name: 'Decrypt scan.txt' }).click();
  const damaged = page.locator('li.file.damaged').getByRole('alert');
  await damaged.waitFor();
  t.equal(await damaged.textContent(),
    '“scan.txt” is damaged and cannot be opened: The server’s copy of it is missing or cut short; an administrator can restore it from a backup. The rest of the report is not affected.',
    'the damaged file is named, with what is wrong');
  t.equal(await page.locator('li.file.damaged').getAttribute('data-attachment'), scan, 'on that file\'s own line');
  await page.getByRole('button', { name: 'Decrypt ledger.txt' }).click();
  const save = page.getByRole('link', { name: 'Save ledger.txt' });
  await save.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
  const parts: Buffer[] = [];
  for await (const p of await download.createReadStream()) parts.push(p as Buffer);
  t.ok(Buffer.concat(parts).equals(Buffer.from(text('2026-11-02 container MSKU-1234 cleared without inspection', 3000))), 'the other file decrypts and saves whole');
  t.equal(await page.locator('li.file.damaged').count(), 1, 'only the damaged file is marked');
  t.ok(await page.getByText('The broker paid the officer at gate 4').isVisible(), 'the answers are still shown');
  await check(t, page, 'damaged-file');

  // In French: the same message follows the language; then a file missing from storage.
  await page.getByLabel('Language', { exact: true }).selectOption('fr');
  await page.getByText('« scan.txt » est endommagé et ne peut pas être ouvert : La copie du serveur est manquante ou tronquée ; un administrateur peut la restaurer depuis une sauvegarde. Le reste du signalement n’est pas touché.').waitFor();
  await page.evaluate((rid) => { location.hash = `#/reports/${rid}`; }, second.reportId);
  await page.getByRole('heading', { level: 1, name: /^Signalement reçu/ }).waitFor({ timeout: 20_000 });
  await page.getByText('Le conteneur a quitté le port sans contrôle').waitFor();
  await page.getByRole('button', { name: 'Déchiffrer photo-conteneur.txt' }).click();
  await damaged.waitFor();
  t.equal(await damaged.textContent(),
    '« photo-conteneur.txt » est endommagé et ne peut pas être ouvert : La copie du serveur est manquante ou tronquée ; un administrateur peut la restaurer depuis une sauvegarde. Le reste du signalement n’est pas touché.',
    'the missing file is named, in French');
  await page.getByRole('button', { name: 'Déchiffrer registre.txt' }).click();
  await page.getByRole('link', { name: 'Enregistrer registre.txt' }).waitFor();
  t.pass('the other file of that report decrypts');
  await check(t, page, 'damaged-file-fr');
  await page.setViewportSize({ width: 320, height: 800 });
  await check(t, page, 'damaged-file-fr');

  t.equal(services.repos.audit.list({ action: 'attachment.download', limit: 10 }).length, 2, 'only the two files sent were recorded as downloaded');
  t.same(w.problems.filter((p) => !/status of 410/.test(p)), [], 'no console error (but the refused downloads), page error, CSP violation or other origin');
  await context.close();
});
