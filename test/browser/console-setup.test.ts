// First run in Chromium: the setup link makes the first administrator in the browser (passphrase
// with its strength meter, the recovery key shown once and confirmed, TOTP from a QR code); the
// reporting side then seals to that recovery key. The administrator invites a reviewer, who
// enrols in their own browser; then disables them, and signs out. Nothing secret is ever sent.
import t from 'tap';
import { awaitingApprovalIn } from '../../server/recipients.js';
import { keyIdOf, parseRecoverySecret } from '../../crypto/index.js';
import { createSetupToken } from '../../server/routes/console/setup.js';
import { bodiesContaining } from '../helpers/browser.js';
import { check, launchBrowser, nextCode, openPage, startConsole } from './console-fixtures.js';

const ADMIN_PASSPHRASE = 'MARKER-PASS ledger harbour violet 27';
const RITA_PASSPHRASE = 'MARKER-PASS-RITA quiet river lantern 9';

t.test('setup link → first administrator → invitation → reviewer enrolled', async (t) => {
  const server = await startConsole({ recoveryKey: false });
  const browser = await launchBrowser();
  t.teardown(async () => {
    await browser.close();
    await server.close();
  });
  const token = createSetupToken(server.inst.services)!;
  const { page, w } = await openPage(browser, server);

  // 1. Passphrase, with the strength meter and the 12-character rule.
  await page.goto(`${server.url}/#/setup/${token}`);
  await page.getByRole('heading', { level: 1, name: 'Set up Sealbox' }).waitFor();
  await check(t, page, 'setup-account');
  await page.getByLabel('Username').fill('chief');
  const pass = page.getByLabel('Passphrase', { exact: true });
  await pass.fill('short pass');
  t.equal(await page.locator('#enrol-strength-text').textContent(), 'Too short');
  await pass.fill('password1234');
  t.equal(await page.locator('#enrol-strength-text').textContent(), 'Weak');
  await page.getByRole('button', { name: 'Make my keys' }).click();
  await page.getByText('The two passphrases differ.').waitFor();
  await pass.fill('short pass');
  await page.getByRole('button', { name: 'Make my keys' }).click();
  await page.getByText('Use at least 12 characters.').waitFor();
  t.equal(await page.evaluate(() => document.activeElement?.id), 'enrol-passphrase', 'focus goes to the field to fix');
  await pass.fill(ADMIN_PASSPHRASE);
  t.equal(await page.locator('#enrol-strength-text').textContent(), 'Strong');
  await page.getByLabel('Passphrase again').fill(ADMIN_PASSPHRASE);
  await page.getByRole('button', { name: 'Make my keys' }).click();

  // 2. The recovery key, made in the browser, shown once, confirmed by typing a group back.
  await page.getByRole('heading', { level: 1, name: 'The recovery key' }).waitFor({ timeout: 30_000 });
  await check(t, page, 'setup-recovery');
  const shown = (await page.locator('#recovery-key').textContent())!;
  t.match(shown, /^[0-9A-Z]{5}(-[0-9A-Z]{1,5}){10}$/, 'eleven groups');
  const recovery = parseRecoverySecret(shown);
  const label = (await page.locator('label[for="recovery-confirm"]').textContent())!;
  const n = Number(/group (\d+)/.exec(label)![1]);
  const box = page.getByLabel(/type group \d+ of the recovery key/);
  await box.fill('ZZZZZ');
  await page.getByRole('button', { name: 'I have kept the recovery key' }).click();
  await page.getByText(`That is not group ${n} of the recovery key.`).waitFor();
  await box.fill(shown.split('-')[n - 1]!.toLowerCase());
  await page.getByRole('button', { name: 'I have kept the recovery key' }).click();

  // 3. TOTP from a QR code; a wrong code first.
  await page.getByRole('heading', { level: 1, name: 'Your authenticator' }).waitFor();
  const qr = page.getByRole('img', { name: 'QR code to add Sealbox to your authenticator app' });
  await qr.waitFor();
  t.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;/, 'the QR code is an SVG data URL');
  t.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'and it renders');
  await check(t, page, 'setup-totp');
  const secret = (await page.locator('#totp-secret').getAttribute('data-secret'))!;
  t.match(secret, /^[A-Z2-7]{32}$/);
  await page.getByLabel('Authentication code').fill('000000');
  await page.getByRole('button', { name: 'Finish and sign in' }).click();
  await page.getByText('The code does not match the authenticator.').waitFor();
  t.notOk(server.inst.services.repos.users.byUsername('chief'), 'nothing is kept after a wrong code');
  await page.getByLabel('Authentication code').fill(nextCode(server, secret));
  await page.getByRole('button', { name: 'Finish and sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor({ timeout: 30_000 });
  await page.getByText('No report matches these filters.').waitFor();

  const chief = server.inst.services.repos.users.byUsername('chief')!;
  t.same(chief.roles, ['admin']);
  t.same(server.inst.services.repos.channels.channelIdsOf(chief.id).sort(), ['public', 'staff'], 'the first administrator receives every channel');
  // The setup page signed the first administrator into every channel with the root the new
  // recovery secret gives, before the worker forgot it (PROTOCOL.md §9): nobody awaits approval.
  await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
  t.equal(await page.getByText('You are awaiting approval', { exact: false }).count(), 0, 'the first administrator does not await approval');
  for (const c of ['public', 'staff']) t.same(awaitingApprovalIn(server.inst.services, c), [], `nobody awaits approval in ${c}`);
  const channels = (await server.reporterApp.inject({ method: 'GET', url: '/api/channels' })).json();
  t.equal(channels.recoveryKey.keyId, keyIdOf(recovery.publicKey), 'reports are now sealed to the recovery key shown');
  t.ok(channels.channels.every((c: { recipients: Array<{ label: string }> }) => c.recipients.some((r) => r.label === 'chief')), 'and to the administrator');

  // 4. An invitation for a reviewer on the staff channel.
  await page.getByRole('link', { name: 'Users' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
  await page.getByLabel('Role').selectOption('reviewer');
  await page.getByRole('group', { name: 'Channels' }).first().getByLabel('Customs staff').check();
  await page.getByLabel('Username (optional)').fill('rita');
  await page.getByRole('button', { name: 'Make the invitation link' }).click();
  const linkBox = page.getByLabel('Invitation link');
  await linkBox.waitFor();
  const link = await linkBox.inputValue();
  t.match(link, new RegExp(`^${server.url}/#/setup/[A-Za-z0-9_-]{43}$`), 'the token is in the fragment');
  await page.getByRole('button', { name: 'Copy the link' }).click();
  await page.getByText('Copied.').waitFor();
  await check(t, page, 'users-invite');

  // 5. Rita enrols in her own browser; her username is fixed by the link.
  const rita = await openPage(browser, server);
  await rita.page.goto(link);
  await rita.page.getByRole('heading', { level: 1, name: 'Join the integrity unit' }).waitFor();
  t.equal(await rita.page.getByLabel('Username').inputValue(), 'rita');
  t.ok(await rita.page.getByLabel('Username').evaluate((i: HTMLInputElement) => i.readOnly));
  await rita.page.getByLabel('Passphrase', { exact: true }).fill(RITA_PASSPHRASE);
  await rita.page.getByLabel('Passphrase again').fill(RITA_PASSPHRASE);
  await rita.page.getByRole('button', { name: 'Make my keys' }).click();
  await rita.page.getByRole('heading', { level: 1, name: 'Your authenticator' }).waitFor({ timeout: 30_000 });
  t.equal(await rita.page.locator('.steps li').count(), 2, 'no recovery step for an invitation');
  const ritaSecret = (await rita.page.locator('#totp-secret').getAttribute('data-secret'))!;
  await rita.page.getByLabel('Authentication code').fill(nextCode(server, ritaSecret));
  await rita.page.getByRole('button', { name: 'Finish and sign in' }).click();
  await rita.page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor({ timeout: 30_000 });
  t.equal(await rita.page.getByRole('link', { name: 'Users' }).count(), 0, 'a reviewer has no administration');
  const ritaRow = server.inst.services.repos.users.byUsername('rita')!;
  t.same(ritaRow.roles, ['reviewer']);
  t.same(server.inst.services.repos.channels.channelIdsOf(ritaRow.id), ['staff']);

  // The link is used up.
  const again = await openPage(browser, server);
  await again.page.goto(link);
  await again.page.getByText('This link is not valid: it is unknown, already used or expired.').waitFor();
  await check(t, again.page, 'setup-used-link');
  await again.context.close();

  // 6. The administrator disables rita: her next request finds the session gone and her console locks.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  t.match(await page.locator('main').textContent(), /Sign in/, 'a reload keeps no keys: sign in again');
  await page.getByLabel('Username').fill('chief');
  await page.getByLabel('Passphrase').fill(ADMIN_PASSPHRASE);
  await page.getByLabel('Authentication code').fill(nextCode(server, secret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor({ timeout: 30_000 });
  t.pass('signing in goes back to the page the reload left');
  await page.getByRole('button', { name: 'Disable rita' }).click();
  await page.locator('tr[data-user="rita"]', { hasText: 'Disabled' }).waitFor();
  t.equal(server.inst.services.repos.users.byUsername('rita')!.disabled, true);
  await rita.page.getByLabel('Status', { exact: true }).selectOption('new');
  await rita.page.getByText('Your session ended, and your keys were wiped from memory.').waitFor();
  t.equal(await rita.page.getByRole('heading', { level: 1 }).textContent(), 'Sign in');

  // 7. Signing out clears everything.
  // The page says so at once and ends the server session after wiping the keys: wait for that request.
  const loggedOut = page.waitForRequest((r) => r.url().endsWith('/api/auth/logout'));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You signed out. Your keys were wiped from memory.').waitFor();
  await loggedOut;
  const logout = w.requests.filter((r) => r.url.endsWith('/api/auth/logout'));
  t.ok(logout.length >= 1 && logout.every((r) => r.body?.toString() === '{}'), 'logout sends {}');
  await check(t, page, 'signed-out');

  for (const watchFor of [w, rita.w]) {
    for (const marker of [ADMIN_PASSPHRASE, RITA_PASSPHRASE, shown, shown.replace(/-/g, '')]) {
      t.same(bodiesContaining(watchFor.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 16)}…`);
    }
  }
  t.notMatch(server.inst.log.text, /MARKER/, 'nor the server log');
  const expected = (p: string) => /status of (400|401)/.test(p);
  t.same(w.problems.filter((p) => !expected(p)), [], 'no console error, CSP violation or other origin (admin)');
  t.same(rita.w.problems.filter((p) => !expected(p)), [], 'none for rita either');
});
