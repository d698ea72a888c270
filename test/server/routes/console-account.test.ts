// A reader's own notification settings: defaults, a change (audited without the address), bad
// values refused with nothing changed, and only readers (administrators, reviewers) may use them.
import t from 'tap';
import { addUser } from '../../helpers/instance.js';
import { auditOf, consoleSetup, isError, signIn, unchanged } from './console-fixtures.js';

const { app, services, clock } = await consoleSetup(t);
const zoe = addUser(services, 'zoe', ['reviewer'], ['staff']);
const amal = addUser(services, 'amal', ['admin'], []);
const otto = addUser(services, 'otto', ['auditor'], []);
const reviewer = await signIn(app, clock, zoe);
const admin = await signIn(app, clock, amal);
const auditor = await signIn(app, clock, otto);
const URL = '/api/account/notifications';

t.test('defaults: no address, daily digest, English; no mail on this server', async (t) => {
  const res = await reviewer.get(URL);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { email: null, mode: 'digest', locale: 'en', mailEnabled: false, dailyHourUtc: null });
});

t.test('a reader sets an address, a mode and a language; the audit trail says what changed, not the address', async (t) => {
  const res = await reviewer.send('PUT', URL, { email: 'zoe@customs.example', mode: 'immediate', locale: 'fr' });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { email: 'zoe@customs.example', mode: 'immediate', locale: 'fr', mailEnabled: false, dailyHourUtc: null });
  t.same((await reviewer.get(URL)).json().email, 'zoe@customs.example');
  const row = services.repos.users.byId(zoe.id)!;
  t.same([row.email, row.notify, row.notifyLocale], ['zoe@customs.example', 'immediate', 'fr']);
  const event = auditOf(services, 'account.notifications').at(-1)!;
  t.equal(event.actor, `user:${zoe.id}`);
  t.equal(event.target, zoe.id);
  t.same(event.details, { email: 'set', mode: ['digest', 'immediate'], locale: ['en', 'fr'] });
  t.notMatch(JSON.stringify(services.repos.audit.list({ limit: 1000 })), 'customs.example', 'no address anywhere in the trail');

  await reviewer.send('PUT', URL, { email: 'zoe.m@customs.example', mode: 'immediate', locale: 'fr' });
  t.same(auditOf(services, 'account.notifications').at(-1)!.details, { email: 'changed' });
  await reviewer.send('PUT', URL, { email: null, mode: 'none', locale: 'fr' });
  t.same(auditOf(services, 'account.notifications').at(-1)!.details, { email: 'removed', mode: ['immediate', 'none'] });
  const count = auditOf(services, 'account.notifications').length;
  t.equal((await reviewer.send('PUT', URL, { email: null, mode: 'none', locale: 'fr' })).statusCode, 200);
  t.equal(auditOf(services, 'account.notifications').length, count, 'no event when nothing changed');
});

t.test('an administrator has settings of their own; an auditor reads no reports and has none', async (t) => {
  t.equal((await admin.send('PUT', URL, { email: 'amal@customs.example', mode: 'digest', locale: 'en' })).statusCode, 200);
  t.equal(services.repos.users.byId(zoe.id)!.email, null, 'another user’s settings are untouched');
  isError(t, await auditor.get(URL), 403, 'SBX_FORBIDDEN');
  isError(t, await auditor.send('PUT', URL, { email: 'otto@customs.example', mode: 'digest', locale: 'en' }), 403, 'SBX_FORBIDDEN');
  isError(t, await app.inject({ method: 'GET', url: URL }), 401, 'SBX_UNAUTHENTICATED');
});

t.test('bad values are refused and change nothing', async (t) => {
  const good = { email: 'zoe@customs.example', mode: 'digest', locale: 'en' };
  await unchanged(t, services, 'refused settings', async () => {
    for (const [what, body] of [
      ['not an address', { ...good, email: 'zoe' }],
      ['a header in the address', { ...good, email: 'zoe@customs.example\r\nBcc: x@evil.example' }],
      ['a space in the address', { ...good, email: 'zoe @customs.example' }],
      ['an over-long address', { ...good, email: `${'z'.repeat(250)}@customs.example` }],
      ['an empty address (null removes it)', { ...good, email: '' }],
      ['an unknown mode', { ...good, mode: 'hourly' }],
      ['an unknown language', { ...good, locale: 'de' }],
      ['a missing field', { email: good.email, mode: good.mode }],
      ['an unknown field', { ...good, userId: amal.id }],
    ] as const) {
      isError(t, await reviewer.send('PUT', URL, body), 400, 'SBX_INVALID_REQUEST', what);
    }
  });
});

t.test('with SMTP settings the page says mail is on, and at what hour', async (t) => {
  const other = await consoleSetup(t, { mail: { host: 'smtp.customs.example', port: 587, security: 'starttls', from: 'sealbox@customs.example', dailyHourUtc: 6 } });
  const user = addUser(other.services, 'noor', ['reviewer'], ['public']);
  const client = await signIn(other.app, other.clock, user);
  t.match((await client.get(URL)).json(), { mailEnabled: true, dailyHourUtc: 6 });
});
