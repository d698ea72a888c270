// The roster's two attack stories, end to end in Chromium (PROTOCOL.md §9), and approval with the
// recovery secret:
// 1. An administrator adds themselves to a channel: no old report's key reaches them (a member's
//    key sweep hands them nothing), and the reporting page's channel list does not name them as a
//    recipient, until a member of the channel compares fingerprints and approves them; then the
//    sweep hands the keys on.
// 2. An administrator resets reviewer A and uses the link: A's new keys receive nothing until a
//    member approves the rekey, having compared the fingerprint with the one A's account page shows.
// 3. The first member of a channel, approved by an administrator with the recovery secret, which
//    the page clears and never sends; a wrong secret is refused; on a phone, in Arabic.
import t from 'tap';
import type { Page } from 'playwright-core';
import { formatRecoverySecret, generateRecoveryKeyPair, memberFingerprint } from '../../crypto/index.js';
import { bodiesContaining } from '../helpers/browser.js';
import { addUser } from '../helpers/instance.js';
import { waitFor } from '../helpers/wait.js';
import { check, consoleSession, nextCode, openPage, signIn, submit, type ConsoleServer } from './console-fixtures.js';

const STAFF = 'Customs staff';
const PUBLIC = 'Traders, brokers, travellers and the public';

/** The fingerprints shown on an approval card: the member's, then the viewer's own. */
async function cardFingerprints(page: Page, heading: string): Promise<string[]> {
  const card = page.locator('article.approval', { has: page.getByRole('heading', { name: heading }) });
  await card.locator('code.fingerprint').first().waitFor();
  return card.locator('code.fingerprint').allTextContents();
}

/** Signs in and waits for the key sweep that follows sign-in to have run. */
async function signInAndSweep(page: Page, server: ConsoleServer, user: Parameters<typeof signIn>[2]): Promise<void> {
  const swept = page.waitForResponse((r) => r.url().includes('/api/key-distribution'), { timeout: 30_000 });
  await signIn(page, server, user, /Inbox/);
  await swept;
}

const reporterRecipients = async (server: ConsoleServer, channelId: string): Promise<string[]> => {
  const res = await server.reporterApp.inject({ method: 'GET', url: '/api/channels' });
  return (res.json() as { channels: Array<{ id: string; recipients: Array<{ userId: string }> }> }).channels.find((c) => c.id === channelId)!.recipients.map((r) => r.userId);
};

t.test('an administrator adds themselves to a channel: nothing reaches them until a member approves', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const chief = addUser(services, 'chief', ['admin', 'reviewer'], ['staff'], { kdf: 'real' });
  const alice = addUser(services, 'alice', ['reviewer'], ['public'], { kdf: 'real' });
  const old = await submit(server, 'public', { category: 'EXTORTION', description: 'MARKER-OLD goods held until a payment' });

  // The administrator puts himself among public's recipients on the Channels page.
  const a = await openPage(browser, server);
  await a.page.goto(`${server.url}/#/channels`);
  await signIn(a.page, server, chief, /Channels/);
  const form = a.page.locator('form.channel', { has: a.page.getByRole('heading', { name: new RegExp(PUBLIC) }) });
  await form.getByRole('group', { name: 'Recipients' }).getByLabel('chief').check();
  await form.getByRole('button', { name: `Save ${PUBLIC}` }).click();
  await a.page.locator('[role="status"]', { hasText: `${PUBLIC} was saved.` }).waitFor();
  t.ok(services.repos.channels.members('public').some((m) => m.id === chief.id), 'the server made him a member');
  // His own console says he awaits approval there, with his fingerprint.
  await a.page.getByRole('link', { name: 'Inbox' }).click();
  const waiting = a.page.locator('.awaiting-me');
  await waiting.getByText(`You are awaiting approval in ${PUBLIC}: you will receive this channel’s reports once a colleague compares your fingerprint and approves you.`).waitFor();
  const chiefFingerprint = memberFingerprint(chief.secrets.box.publicKey, chief.secrets.sign.publicKey);
  t.equal(await waiting.locator('code.fingerprint').textContent(), chiefFingerprint);
  await check(t, a.page, 'inbox-awaiting-approval');

  // A member of public signs in: her console's key sweep runs and hands him nothing.
  const b = await openPage(browser, server);
  await b.page.goto(server.url);
  await signInAndSweep(b.page, server, alice);
  t.equal(services.repos.reports.key(old.reportId, chief.keyId), undefined, 'no envelope of the old report for the administrator');
  t.notOk((await reporterRecipients(server, 'public')).includes(chief.id), 'the reporting page is not told to seal new reports to him');
  const fresh = await submit(server, 'public', { category: 'BRIBERY', description: 'MARKER-NEW a new report' });
  t.equal(services.repos.reports.key(fresh.reportId, chief.keyId), undefined, 'nor is a new report sealed to him');

  // She finds him awaiting approval, with the fingerprint her worker computed and her own.
  await b.page.getByRole('link', { name: /Approvals/ }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Approvals' }).waitFor();
  const heading = `chief in ${PUBLIC}`;
  const [theirs, mine] = await cardFingerprints(b.page, heading);
  t.equal(theirs, chiefFingerprint, 'the fingerprint of his keys');
  t.equal(mine, memberFingerprint(alice.secrets.box.publicKey, alice.secrets.sign.publicKey), 'and hers');
  const card = b.page.locator('article.approval', { has: b.page.getByRole('heading', { name: heading }) });
  await card.getByText('New member').waitFor();
  await card.getByText('Compare this fingerprint with chief in person or on a call before you approve: their account page shows it.').waitFor();
  await check(t, b.page, 'approvals');
  // Compared (the test knows both sides); she approves. The entry is signed with her key.
  await card.getByRole('button', { name: `Approve chief in ${PUBLIC}` }).click();
  await b.page.locator('[role="status"]', { hasText: `chief is approved in ${PUBLIC} with the fingerprint ${chiefFingerprint}.` }).waitFor({ timeout: 20_000 });
  await b.page.getByText('Nobody awaits your approval.').waitFor();
  t.match(services.repos.roster.entries().at(-1)!.entry, { op: 'add', channel: 'public', member: { userId: chief.id, label: 'chief' } });
  // The sweep after approving hands the keys on.
  await waitFor(() => services.repos.reports.key(old.reportId, chief.keyId) !== undefined, { what: 'the old report\'s keys for chief', timeoutMs: 20_000 });
  t.ok(services.repos.reports.key(fresh.reportId, chief.keyId), 'and the newer one\'s');
  t.ok((await reporterRecipients(server, 'public')).includes(chief.id), 'new reports are sealed to him now');

  for (const s of [a, b]) {
    t.same(bodiesContaining(s.w.requests, 'MARKER-').map((r) => r.url), [], 'no request holds report text');
    t.same(s.w.problems, [], 'no console error, CSP violation or other origin');
  }
});

t.test('an administrator resets reviewer A and uses the link: the new keys receive nothing until a member approves the rekey', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const chief = addUser(services, 'chief', ['admin'], [], { kdf: 'real' });
  const bob = addUser(services, 'bob', ['reviewer'], ['staff'], { kdf: 'real' });
  const alice = addUser(services, 'alice', ['reviewer'], ['staff']);
  const report = await submit(server, 'staff', { category: 'LEAK', description: 'MARKER-DESC a manifest was copied' });
  t.ok(services.repos.reports.key(report.reportId, alice.keyId), 'alice\'s old keys held the report');

  // The administrator resets alice and opens the link himself.
  const a = await openPage(browser, server);
  await a.page.goto(`${server.url}/#/users`);
  await signIn(a.page, server, chief, /Users/);
  await a.page.getByRole('button', { name: 'Reset the keys of alice' }).click();
  const link = await a.page.getByLabel('Reset link for alice').inputValue();
  const m = await openPage(browser, server);
  await m.page.goto(link);
  await m.page.getByRole('heading', { level: 1, name: 'Reset your keys' }).waitFor();
  await m.page.getByText('Reports reach your new keys once a member of your channels compares your new fingerprint with you and approves it.', { exact: false }).waitFor();
  await m.page.getByLabel('Passphrase', { exact: true }).fill('MARKER-PASS taken over by the administrator');
  await m.page.getByLabel('Passphrase again').fill('MARKER-PASS taken over by the administrator');
  await m.page.getByRole('button', { name: 'Make my keys' }).click();
  await m.page.getByRole('heading', { level: 1, name: 'Your authenticator' }).waitFor({ timeout: 30_000 });
  const secret = (await m.page.locator('#totp-secret').getAttribute('data-secret'))!;
  await m.page.getByLabel('Authentication code').fill(nextCode(server, secret));
  await m.page.getByRole('button', { name: 'Finish and sign in' }).click();
  await m.page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor({ timeout: 30_000 });
  await m.page.getByText(`Your new keys are awaiting approval in ${STAFF}`, { exact: false }).waitFor();
  const newKeyId = services.repos.users.byId(alice.id)!.keyId;
  t.not(newKeyId, alice.keyId, 'new keys');
  // A's new account page shows the new keys' fingerprint.
  await m.page.getByRole('link', { name: 'My account' }).click();
  const accountFingerprint = (await m.page.locator('#account-fingerprint code.fingerprint').textContent())!;
  t.match(accountFingerprint, /^[0-9A-Z]{5}(-[0-9A-Z]{5}){3}$/);
  await m.page.locator('#account-unit code.fingerprint').waitFor();
  await check(t, m.page, 'account-fingerprints');

  // Bob signs in: his sweep hands the new keys nothing, and the reporting page is not told of them.
  const b = await openPage(browser, server);
  await b.page.goto(server.url);
  await signInAndSweep(b.page, server, bob);
  t.equal(services.repos.reports.key(report.reportId, newKeyId), undefined, 'no envelope for the new keys');
  t.notOk((await reporterRecipients(server, 'staff')).includes(alice.id), 'the new keys are nobody\'s recipient');
  // Opening the report, bob's console hands nothing to them either.
  await b.page.goto(`${server.url}/#/reports/${report.reportId}`);
  await b.page.getByText('MARKER-DESC a manifest was copied').waitFor({ timeout: 20_000 });
  t.equal(services.repos.reports.key(report.reportId, newKeyId), undefined, 'still none after bob opened the report');

  // Bob sees the rekey awaiting approval; the fingerprint is the one the account page shows.
  await b.page.getByRole('link', { name: /Approvals/ }).click();
  const heading = `alice in ${STAFF}`;
  const [theirs] = await cardFingerprints(b.page, heading);
  t.equal(theirs, accountFingerprint, 'the approver sees what A\'s new account page shows');
  const card = b.page.locator('article.approval', { has: b.page.getByRole('heading', { name: heading }) });
  await card.getByText('New keys after a reset').waitFor();
  t.equal(services.repos.reports.key(report.reportId, newKeyId), undefined, 'nothing before approval');
  // (Here bob would call alice: her fingerprint would not match, and he would not approve. The
  // test approves, to show what approval does.)
  await card.getByRole('button', { name: `Approve alice in ${STAFF}` }).click();
  await b.page.locator('[role="status"]', { hasText: `alice is approved in ${STAFF}` }).waitFor({ timeout: 20_000 });
  t.match(services.repos.roster.entries().at(-1)!.entry, { op: 'rekey', channel: 'staff', member: { userId: alice.id } });
  await waitFor(() => services.repos.reports.key(report.reportId, newKeyId) !== undefined, { what: 'the report\'s keys for the new keys', timeoutMs: 20_000 });

  for (const s of [a, m, b]) {
    t.same(bodiesContaining(s.w.requests, 'MARKER-').map((r) => r.url), [], 'no request holds report text or the passphrase');
    t.same(s.w.problems, [], 'no console error, CSP violation or other origin');
  }
});

t.test('the first member of a channel, approved with the recovery secret; on a phone, in Arabic', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const chief = addUser(services, 'chief', ['admin'], ['staff'], { kdf: 'real' });
  const dora = addUser(services, 'dora', ['reviewer'], ['public'], { approved: false });
  const s = await openPage(browser, server, { width: 360, height: 740 });
  await s.page.goto(`${server.url}/#/approvals/recovery`);
  await signIn(s.page, server, chief, /Approve with the recovery secret/);
  const option = s.page.getByLabel(`dora in ${PUBLIC}`);
  await option.waitFor();
  await s.page.getByText('No member of this channel can approve them: only the recovery secret can.').waitFor();
  await check(t, s.page, 'recovery-approval');
  const field = s.page.getByLabel('Recovery secret');
  const entries = services.repos.roster.entries().length;
  t.equal(await field.getAttribute('type'), 'password');
  t.equal(await field.getAttribute('autocomplete'), 'off');

  // Nobody chosen, then a secret of another instance.
  await s.page.getByRole('button', { name: 'Approve with the recovery secret' }).click();
  await s.page.getByRole('alert').filter({ hasText: 'Choose whom to approve.' }).waitFor();
  await option.check();
  await s.page.getByText('Compare this fingerprint with dora in person or on a call before you approve').waitFor();
  await field.fill('ZZZZZ-ZZZZZ-ZZZZZ');
  await s.page.getByRole('button', { name: 'Approve with the recovery secret' }).click();
  await s.page.getByRole('alert').filter({ hasText: 'This is not a recovery secret: check the 53 characters and type it again.' }).waitFor({ timeout: 20_000 });
  t.equal(await field.inputValue(), '', 'the field is cleared');
  await field.fill(formatRecoverySecret(generateRecoveryKeyPair().secretKey));
  await s.page.getByRole('button', { name: 'Approve with the recovery secret' }).click();
  await s.page.getByRole('alert').filter({ hasText: 'This is not this unit’s recovery secret. Nothing was signed.' }).waitFor({ timeout: 20_000 });
  t.equal(await field.inputValue(), '', 'cleared again');
  await check(t, s.page, 'recovery-approval-wrong');
  t.equal(services.repos.roster.entries().length, entries, 'nothing was stored');

  // The right one, pasted as written down.
  await field.fill(server.inst.recoverySecret);
  await s.page.getByRole('button', { name: 'Approve with the recovery secret' }).click();
  const fp = memberFingerprint(dora.secrets.box.publicKey, dora.secrets.sign.publicKey);
  await s.page.locator('[role="status"]', { hasText: `dora is approved in ${PUBLIC} with the fingerprint ${fp}. The recovery secret was forgotten.` }).waitFor({ timeout: 20_000 });
  t.equal(await field.inputValue(), '', 'the field is empty');
  await s.page.getByText('Nobody awaits approval in any channel.').waitFor();
  t.match(services.repos.roster.entries().at(-1)!.entry, { op: 'add', channel: 'public', member: { userId: dora.id } });
  t.ok((await reporterRecipients(server, 'public')).includes(dora.id));
  await check(t, s.page, 'recovery-approval-done');
  const secretBytes = server.inst.recoverySecret.replace(/-/g, '');
  t.same(bodiesContaining(s.w.requests, server.inst.recoverySecret).map((r) => r.url), [], 'the secret is never sent');
  t.same(bodiesContaining(s.w.requests, secretBytes).map((r) => r.url), [], 'not even without its dashes');

  // The same pages in Arabic, right to left, at phone width.
  await s.page.getByLabel('Language').selectOption('ar');
  await s.page.getByRole('heading', { level: 1, name: 'الموافقة بسر الاسترداد' }).waitFor();
  t.equal(await s.page.evaluate(() => document.documentElement.dir), 'rtl');
  await check(t, s.page, 'recovery-approval-ar');
  await s.page.goto(`${server.url}/#/approvals`);
  await s.page.getByRole('heading', { level: 1, name: 'الموافقات' }).waitFor();
  await s.page.getByRole('heading', { level: 2, name: 'بانتظار الموافقة' }).waitFor();
  await check(t, s.page, 'approvals-ar');
  await s.page.goto(`${server.url}/#/account`);
  await s.page.locator('#account-unit code.fingerprint').waitFor();
  t.equal(await s.page.locator('#account-unit code.fingerprint').evaluate((e) => getComputedStyle(e).direction), 'ltr', 'a fingerprint reads left to right in Arabic too');
  await check(t, s.page, 'account-ar');
  t.same(s.w.problems, [], 'no console error, CSP violation or other origin');
});
