// "Someone awaits approval": when a member is added to a channel (the Channels page, the Users page,
// an invitation) or their keys are reset, the channel's approved members who have e-mail on are
// told, in their language, naming the channel only: no person, no report. Nobody else is told, and
// nothing is sent for someone the roster already names with their keys.
import t from 'tap';
import { totpCode } from '../../../server/totp.js';
import { addUser, makeInstance } from '../../helpers/instance.js';
import { startSmtp, type CapturedMail } from '../../helpers/smtp.js';
import { newEnrolment, signIn } from '../routes/console-fixtures.js';
import type { NotifyMode } from '../../../db/schema.js';
import type { MailConfig } from '../../../server/notifications/config.js';

const smtp = await startSmtp();
t.teardown(() => smtp.close());
const mail: MailConfig = { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'Sealbox <sealbox@customs.example>', dailyHourUtc: 7 };
const inst = await makeInstance({ mail, consoleUrl: 'https://console.customs.example/' });
t.teardown(() => inst.close());
const app = await inst.app('console');
const { services, clock } = inst;

const person = (name: string, channels: string[], email: string | null, notify: NotifyMode, locale = 'en', approved = true) => {
  const u = addUser(services, name, ['admin', 'reviewer'], channels, { approved });
  services.repos.users.update(u.id, { email, notify, notifyLocale: locale });
  return { ...u, email };
};
const chief = person('chief', ['staff'], 'chief@customs.example', 'digest');
const amal = person('amal', ['staff', 'public'], 'amal@customs.example', 'immediate', 'ar');
const paul = person('paul', ['public'], 'paul@customs.example', 'digest', 'fr');
person('nora', ['staff', 'public'], 'nora@customs.example', 'none');
person('hugo', ['staff'], null, 'digest');
// Awaiting approval in staff already: not an approver there, so never told about it.
const newbie = person('newbie', ['staff'], 'newbie@customs.example', 'immediate', 'en', false);
const zoe = person('zoe', ['staff'], 'zoe@customs.example', 'immediate');

const asChief = await signIn(app, clock, chief);

async function mailsOf(action: () => Promise<{ statusCode: number; body: string }>, status: number): Promise<CapturedMail[]> {
  const before = smtp.mails.length;
  const res = await action();
  if (res.statusCode !== status) throw new Error(`${res.statusCode}: ${res.body}`);
  await services.notifier.idle();
  return smtp.mails.slice(before);
}
const to = (mails: CapturedMail[]) => mails.flatMap((m) => m.to).sort();
const code = (secret: string) => {
  clock.advance(30_000);
  return totpCode(secret, clock.now());
};

t.test('added to a channel on the Channels page: its approved members with e-mail on are told', async (t) => {
  const members = services.repos.channels.members('public').map((m) => m.id);
  const mails = await mailsOf(() => asChief.send('PUT', '/api/channels/public/members', { userIds: [...members, zoe.id] }), 200);
  t.same(to(mails), [amal.email, paul.email], 'amal and paul (public, approved); not nora (none), not chief (not in public), not zoe herself');
  const fr = mails.find((m) => m.to.includes(paul.email!))!;
  t.equal(fr.subject, 'Sealbox : une personne attend d’être approuvée dans le canal public');
  const ar = mails.find((m) => m.to.includes(amal.email!))!;
  t.match(ar.subject, 'ينتظر الموافقة في القناة public');
  for (const m of mails) {
    t.match(m.text, 'https://console.customs.example/#/approvals', 'a link to the approvals page');
    t.notMatch(m.raw, /zoe/i, 'the mail names nobody');
    t.notMatch(m.raw, zoe.id, 'not even by id');
  }
  t.same(await mailsOf(() => asChief.send('PUT', '/api/channels/public/members', { userIds: [...members, zoe.id] }), 200), [], 'the same members again: nobody joined, nothing is sent');
});

t.test('added to a channel on the Users page, and enabled again', async (t) => {
  const mails = await mailsOf(() => asChief.send('PATCH', `/api/users/${paul.id}`, { channels: ['public', 'staff'] }), 200);
  t.same(to(mails), [amal.email, chief.email, zoe.email].sort(), 'staff\'s approved members with e-mail on; not newbie, who awaits approval there too');
  const chiefs = mails.find((m) => m.to.includes(chief.email!))!;
  t.equal(chiefs.subject, 'Sealbox: someone awaits approval in channel staff');
  t.match(chiefs.text, 'Someone awaits approval in channel staff');
  // Disabled and enabled again with the keys the roster names: nobody awaits anything.
  await mailsOf(() => asChief.send('PATCH', `/api/users/${amal.id}`, { disabled: true }), 200);
  t.same(await mailsOf(() => asChief.send('PATCH', `/api/users/${amal.id}`, { disabled: false }), 200), [], 'an approved member enabled again is no news');
  t.same(await mailsOf(() => asChief.send('PATCH', `/api/users/${newbie.id}`, { disabled: true }), 200), [], 'disabling tells nobody');
  const back = await mailsOf(() => asChief.send('PATCH', `/api/users/${newbie.id}`, { disabled: false }), 200);
  t.same(to(back), [amal.email, chief.email, zoe.email].sort(), 'an unapproved member enabled again awaits approval again');
});

t.test('an invitation with channels, and a reset: the new keys await approval', async (t) => {
  const { token } = (await asChief.send('POST', '/api/invites', { role: 'reviewer', channels: ['public'], username: 'ines' })).json();
  const ines = newEnrolment('ines');
  const invited = await mailsOf(() => app.inject({ method: 'POST', url: '/api/setup/complete', payload: { ...ines.body, token, totpCode: code(ines.body.totpSecret) } }), 201);
  t.same(to(invited), [amal.email, paul.email]);

  const reset = (await asChief.send('POST', `/api/users/${zoe.id}/reset`, {})).json().token;
  const fresh = newEnrolment('zoe');
  const mails = await mailsOf(() => app.inject({ method: 'POST', url: '/api/setup/complete', payload: { ...fresh.body, token: reset, totpCode: code(fresh.body.totpSecret) } }), 201);
  t.same(to(mails), [amal.email, chief.email, paul.email].sort(), 'both of zoe\'s channels: staff and public, one mail each');
  const amals = mails.find((m) => m.to.includes(amal.email!))!;
  t.match(amals.subject, 'public, staff', 'one mail names both channels');
});

t.test('without mail settings nothing is queued', async (t) => {
  const quiet = await makeInstance();
  t.teardown(() => quiet.close());
  let looked = false;
  quiet.services.notifier.awaitingApproval(() => {
    looked = true;
    return [];
  });
  await quiet.services.notifier.idle();
  t.notOk(looked, 'not even looked up');
});
