// Administration in Chromium: a channel's texts, rules, recipients and questionnaire (a bad file
// refused with reasons, a good one used); the office and process lists and the acknowledgement
// message; a user's roles and channels; the audit trail with its verification status, filters,
// and a tampered chain reported; the pages in French; an auditor sees the audit trail only.
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultQuestionnaire } from '../../domain/defaults/questionnaire.js';
import { addUser } from '../helpers/instance.js';
import { quietMember } from '../client/console-fixtures.js';
import { check, consoleSession, openPage, signIn } from './console-fixtures.js';

t.test('channels, settings, users and the audit trail', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const ada = addUser(services, 'ada', ['admin', 'reviewer'], ['staff', 'public'], { kdf: 'real' });
  const rev = quietMember(server.inst, 'rev', ['reviewer'], ['staff']);
  const { page, w, context } = await openPage(browser, server);
  await page.goto(`${server.url}/#/channels`);
  await signIn(page, server, ada, /Channels/);

  // A channel: texts, rules, recipients, and the questionnaire.
  const staff = page.locator('form.channel', { has: page.getByRole('heading', { name: /Customs staff/ }) });
  await staff.waitFor();
  await check(t, page, 'channels');
  await staff.getByLabel('Title (fr)').fill('Agents des douanes');
  await staff.getByLabel('Largest file a reporter may send (MiB)').fill('50');
  await staff.getByLabel('Keep closed reports for (days)').fill('730');
  await staff.getByLabel('Keep reports closed as spam or duplicate for (days)').fill('14');
  await staff.getByLabel('Reporters may still write after the report is closed').check();
  await staff.getByRole('group', { name: 'Recipients' }).getByLabel('rev').uncheck();
  const dir = server.inst.dir;
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ id: 'q', version: 0, sections: [{ id: 's', title: { en: 'S' }, fields: [{ id: 'a', type: 'colour', label: { en: 'A' } }] }] }));
  await staff.getByLabel('Replace with a questionnaire file (JSON)').setInputFiles(bad);
  const problems = staff.getByRole('alert').filter({ hasText: 'This file cannot be used:' });
  await problems.waitFor();
  t.match(await problems.textContent(), /version: must be a whole number.*sections\[0\]\.fields\[0\]\.type: is not a field type/s, 'each problem says where');
  await check(t, page, 'channels-bad-questionnaire');
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ ...defaultQuestionnaire, version: 2 }));
  await staff.getByLabel('Replace with a questionnaire file (JSON)').setInputFiles(good);
  await staff.locator('p.ok', { hasText: 'Questionnaire customs-default@2 is checked' }).waitFor();
  await staff.getByRole('button', { name: 'Save Customs staff' }).click();
  await page.locator('[role="status"]', { hasText: 'Customs staff was saved.' }).waitFor();
  const saved = services.repos.channels.get('staff')!;
  t.match(saved, { maxAttachmentBytes: 50 * 1024 * 1024, retentionDays: 730, shortRetentionDays: 14, messagesAfterClose: true, allowRecipientExclusion: true });
  t.equal(saved.title.fr, 'Agents des douanes');
  t.equal((saved.questionnaire as { version: number }).version, 2);
  t.same(services.repos.channels.members('staff').map((m) => m.username), ['ada'], 'rev no longer receives staff reports');

  // Settings: the lists triage labels come from, and the acknowledgement message.
  await page.getByRole('link', { name: 'Settings' }).click();
  const offices = page.getByLabel('Customs offices, ports, border posts, airports and depots');
  await offices.waitFor();
  await offices.fill('Seaport North\nBorder Post East\n\nSeaport North');
  await page.getByRole('button', { name: 'Save the lists' }).click();
  await page.locator('[role="status"]', { hasText: 'The lists were saved.' }).waitFor();
  t.same(services.repos.settings.get('offices'), ['Seaport North', 'Border Post East'], 'blank lines and repeats dropped');
  await page.getByLabel('Message (fr)').fill('Merci. Nous avons bien reçu votre signalement.');
  await page.getByRole('button', { name: 'Save the message' }).click();
  await page.locator('[role="status"]', { hasText: 'The acknowledgement message was saved.' }).waitFor();
  t.equal((services.repos.settings.get('acknowledgementTemplate') as Record<string, string>).fr, 'Merci. Nous avons bien reçu votre signalement.');
  await check(t, page, 'settings');

  // Users: rev becomes a reviewer of the public channel only (two minutes later, for the audit range below).
  server.inst.clock.advance(120_000);
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('button', { name: 'Change roles and channels of rev' }).click();
  const row = page.locator('tr[data-user="rev"]');
  await row.getByLabel('Traders, brokers, travellers and the public').check();
  await row.getByRole('button', { name: 'Save' }).click();
  await page.locator('[role="status"]', { hasText: 'The roles and channels of rev were saved.' }).waitFor();
  t.same(services.repos.channels.channelIdsOf(rev.id), ['public']);
  await check(t, page, 'users');

  // The audit trail: intact, filtered, and a tampered row reported.
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByText(/The audit trail is intact: all \d+ events are chained and unaltered\./).waitFor();
  await check(t, page, 'audit');
  await page.getByLabel('Action').fill('channel.update');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('table.audit caption', { hasText: '(1 shown)' }).waitFor();
  t.match(await page.locator('table.audit tbody').textContent(), /adachannel\.updatestaff/, 'the actor by name');
  await page.getByLabel('Who').selectOption({ label: 'The system' });
  await page.getByLabel('Action').fill('');
  await page.getByRole('button', { name: 'Show' }).click();
  // The instance's making, and the roster entries the test's users were approved with.
  const bySystem = services.repos.audit.list({ actor: 'system', limit: 1000 });
  t.same([...new Set(bySystem.map((e) => e.action))].sort(), ['instance.init', 'roster.append']);
  await page.locator('table.audit caption', { hasText: `(${bySystem.length} shown)` }).waitFor();
  t.match(page.url(), /#\/audit\?actor=system$/, 'filters are in the address');
  // A time range (the page's clock is the server's, in UTC): filtered on the server, with the rest.
  await page.getByLabel('Who').selectOption({ label: 'Any' });
  await page.getByLabel('Since').fill('2026-11-28T16:05');
  await page.getByLabel('Before').fill('2026-11-28T16:06');
  await page.getByRole('button', { name: 'Show' }).click();
  const inRange = services.repos.audit.list({ since: '2026-11-28T16:05:00.000Z', until: '2026-11-28T16:06:00.000Z', limit: 1000 });
  t.ok(inRange.length > 1 && inRange.length < services.repos.audit.list({ limit: 1000 }).length, 'the range holds some events, not all');
  await page.locator('table.audit caption', { hasText: `(${inRange.length} shown)` }).waitFor();
  t.match(page.url(), /#\/audit\?since=2026-11-28T16%3A05%3A00\.000Z&until=2026-11-28T16%3A06%3A00\.000Z$/);
  t.same(await page.locator('table.audit tbody th').allTextContents(), inRange.map((e) => String(e.seq)));
  await page.getByLabel('Action').fill('channel.update');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('table.audit caption', { hasText: '(1 shown)' }).waitFor();
  const shown = page.url();
  await page.getByLabel('Since').fill('2026-11-28T16:06');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('alert').filter({ hasText: 'The end of the time range must be later than its start.' }).waitFor();
  t.equal(await page.getByLabel('Before').getAttribute('aria-invalid'), 'true');
  t.equal(page.url(), shown, 'a reversed range is not sent');
  await check(t, page, 'audit-range-reversed');
  await page.getByLabel('Since').fill('2026-11-28T16:07');
  await page.getByLabel('Before').fill('');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('No events match.').waitFor();
  t.equal(await page.getByLabel('Before').getAttribute('aria-invalid'), 'false');
  services.db.sqlite.prepare("UPDATE audit_events SET details = '{\"channels\":[\"staff\"],\"recoveryKey\":false}' WHERE seq = 1").run();
  await page.getByRole('link', { name: 'Inbox' }).click();
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  await page.getByRole('link', { name: 'Audit trail' }).click();
  await page.getByText('The audit trail is broken at event 1').waitFor();
  await check(t, page, 'audit-broken');

  // In French.
  await page.getByLabel('Language').selectOption('fr');
  await page.getByRole('heading', { level: 1, name: 'Journal d’audit' }).waitFor();
  t.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  await check(t, page, 'audit-fr');
  await page.getByRole('link', { name: 'Canaux' }).click();
  await page.getByRole('heading', { level: 1, name: 'Canaux' }).waitFor();
  await check(t, page, 'channels-fr');
  await page.getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('heading', { level: 1, name: 'Utilisateurs' }).waitFor();
  await check(t, page, 'users-fr');
  for (const [width, height] of [[1024, 768], [768, 1024]] as const) {
    await page.setViewportSize({ width, height });
    await check(t, page, `users-fr-${width}`);
  }
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.getByText('Vous êtes déconnecté·e.').waitFor();
  await context.close();
  t.same(w.problems, [], 'no console error, CSP violation or other origin');

  // An auditor reads the audit trail and the statistics, and nothing else.
  const audrey = addUser(services, 'audrey', ['auditor'], [], { kdf: 'real' });
  const aud = await openPage(browser, server);
  await aud.page.goto(server.url);
  await signIn(aud.page, server, audrey, /Audit trail/);
  t.same(await aud.page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents(), ['Audit trail', 'Statistics']);
  await aud.page.goto(`${server.url}/#/inbox`);
  await aud.page.getByText('You do not have access to this page.').waitFor();
  const status = await aud.page.evaluate(async () => (await fetch('/api/reports')).status);
  t.equal(status, 403, 'nor does the API let an auditor list reports');
  t.same(aud.w.problems.filter((p) => !/status of 403/.test(p)), []);
});
