// Key distribution in Chromium: an administrator resets bob's keys; bob enrols again through the
// reset link in his own browser and finds a report he can no longer open; when alice opens it,
// her console seals K and Ki to bob's new key in the background and says so; bob then reads the
// report and alice's internal note. The reporting side never takes part.
import t from 'tap';
import { openSealedKey, toB64u } from '../../crypto/index.js';
import { bodiesContaining } from '../helpers/browser.js';
import { addUser, approveWithRoot } from '../helpers/instance.js';
import { check, consoleSession, nextCode, openPage, signIn, submit } from './console-fixtures.js';

const BOB_NEW = 'MARKER-PASS-BOB new harbour lantern 51';

t.test('a reset user regains access through another member', async (t) => {
  const { server, services, browser } = await consoleSession(t);
  const alice = addUser(services, 'alice', ['admin', 'reviewer'], ['staff', 'public'], { kdf: 'real' });
  const bob = addUser(services, 'bob', ['reviewer'], ['staff']);
  const reporter = await submit(server, 'staff', { category: 'THEFT_EMBEZZLEMENT', description: 'MARKER-DESC seized cigarettes went missing' });
  const id = reporter.reportId;
  // A second report that nobody opens: only the sweep at sign-in can hand it on.
  const unopened = await submit(server, 'staff', { category: 'LEAK', description: 'MARKER-DESC2 a manifest was copied' });

  // Alice opens the report first: she makes Ki (bob, holding K, gets it too) and writes a note.
  const a = await openPage(browser, server);
  await a.page.goto(`${server.url}/#/reports/${id}`);
  await signIn(a.page, server, alice, /Report received/);
  await a.page.getByText('MARKER-DESC seized cigarettes went missing').waitFor();
  await a.page.getByLabel('New internal note').fill('MARKER-NOTE ask the warehouse for the log');
  await a.page.getByRole('button', { name: 'Add note' }).click();
  await a.page.locator('.message.note', { hasText: 'MARKER-NOTE' }).waitFor();

  // Alice resets bob's keys from the Users page.
  await a.page.getByRole('link', { name: 'Users' }).click();
  await a.page.getByRole('button', { name: 'Reset the keys of bob' }).click();
  const linkBox = a.page.getByLabel('Reset link for bob');
  await linkBox.waitFor();
  const link = await linkBox.inputValue();
  t.match(link, /#\/setup\/[A-Za-z0-9_-]{43}$/);
  await check(t, a.page, 'users-reset');
  const oldKeyId = bob.keyId;

  // Bob enrols again in his own browser: new passphrase, new keys, new authenticator.
  const b = await openPage(browser, server);
  await b.page.goto(link);
  await b.page.getByRole('heading', { level: 1, name: 'Reset your keys' }).waitFor();
  t.equal(await b.page.getByLabel('Username').inputValue(), 'bob');
  await check(t, b.page, 'reset-account');
  await b.page.getByLabel('Passphrase', { exact: true }).fill(BOB_NEW);
  await b.page.getByLabel('Passphrase again').fill(BOB_NEW);
  await b.page.getByRole('button', { name: 'Make my keys' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Your authenticator' }).waitFor({ timeout: 30_000 });
  const secret = (await b.page.locator('#totp-secret').getAttribute('data-secret'))!;
  await b.page.getByLabel('Authentication code').fill(nextCode(server, secret));
  await b.page.getByRole('button', { name: 'Finish and sign in' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor({ timeout: 30_000 });
  const bobRow = services.repos.users.byUsername('bob')!;
  t.not(bobRow.keyId, oldKeyId, 'bob has a new key');

  // The report is in his inbox, but he holds no envelope for his new key.
  await b.page.locator('a.row-link').first().click();
  await b.page.getByRole('heading', { name: 'You do not hold this report’s key yet' }).waitFor({ timeout: 20_000 });
  await check(t, b.page, 'report-no-key');
  t.equal(await b.page.getByText('MARKER-DESC').count(), 0);

  // Bob's new keys are approved (PROTOCOL.md §9; the approval pages have their own test,
  // console-approval.test.ts): from here on they may be handed keys.
  approveWithRoot(services, bobRow.id, 'staff');

  // Alice opens the report again: her console hands bob K and Ki, and says so.
  await a.page.goto(`${server.url}/#/reports/${id}`);
  await a.page.locator('.keys-status', { hasText: 'This report’s keys were shared with bob, who did not have them.' }).waitFor({ timeout: 20_000 });
  await a.page.locator('.members li', { hasText: 'bob' }).getByText('holds the keys').waitFor();
  await check(t, a.page, 'report-shared');
  const envelope = services.repos.reports.key(id, bobRow.keyId)!;
  t.ok(envelope.sealedKey && envelope.sealedInternalKey, 'bob now has both envelopes');
  t.same(services.repos.audit.list({ action: 'report.keys', limit: 10 }).at(-1)!.details, { keyIds: [bobRow.keyId], internal: [bobRow.keyId] });

  // Bob opens it again: the report and alice's note decrypt.
  await b.page.getByRole('link', { name: 'Back to the inbox' }).click();
  await b.page.locator('a.row-link').nth(1).click();
  await b.page.getByText('MARKER-DESC seized cigarettes went missing').waitFor({ timeout: 20_000 });
  await b.page.locator('.message.note', { hasText: 'MARKER-NOTE ask the warehouse for the log' }).waitFor();
  const mine = services.repos.reports.key(id, alice.keyId)!;
  t.same(openSealedKey(toB64u(mine.sealedKey), alice.secrets.box), reporter.reportKey, 'alice\'s own envelope is untouched');

  // Alice signs in again: the sweep hands bob the key of the report nobody opened, without
  // opening it (no view in the audit trail), and says so.
  const c = await openPage(browser, server);
  await c.page.goto(server.url);
  await signIn(c.page, server, alice, /Inbox/);
  await c.page.locator('.swept', { hasText: 'you handed the keys of 1 report(s) to bob' }).waitFor({ timeout: 20_000 });
  await check(t, c.page, 'inbox-swept');
  t.ok(services.repos.reports.key(unopened.reportId, bobRow.keyId), 'bob has an envelope for the unopened report');
  t.equal(services.repos.audit.list({ action: 'report.view', limit: 100 }).filter((e) => e.target === unopened.reportId && e.actor === `user:${alice.id}`).length, 0, 'the sweep opens no report');
  // And bob reads it.
  await b.page.goto(`${server.url}/#/reports/${unopened.reportId}`);
  await b.page.getByText('MARKER-DESC2 a manifest was copied').waitFor({ timeout: 20_000 });

  for (const s of [a, b, c]) {
    for (const marker of ['MARKER-DESC', 'MARKER-NOTE', BOB_NEW, alice.passphrase]) {
      t.same(bodiesContaining(s.w.requests, marker).map((r) => r.url), [], `no request body holds ${marker.slice(0, 20)}`);
    }
    t.same(s.w.problems, [], 'no console error, CSP violation or other origin');
  }
});
