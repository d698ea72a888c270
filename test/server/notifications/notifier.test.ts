// Notification e-mails end to end, captured by a local SMTP server: a new report mails the readers
// who chose "immediately" (and no one the reporter left out), the daily digest goes out once a day
// even when empty, the deadline reminder comes the day before, "none" sends nothing, and no mail
// ever holds a word of a report. With the SMTP server down, submissions still get their 201 and
// the log names no address.
import t from 'tap';
import { fromB64u, solvePow } from '../../../crypto/index.js';
import type { NotifyMode } from '../../../db/schema.js';
import { runMaintenance } from '../../../server/maintenance.js';
import type { MailConfig } from '../../../server/notifications/config.js';
import { Notifier } from '../../../server/notifications/notifier.js';
import { iso } from '../../../server/time.js';
import { approveWithRoot, makeInstance } from '../../helpers/instance.js';
import { startSmtp, type CapturedMail } from '../../helpers/smtp.js';
import { quietUser } from '../routes/console-fixtures.js';
import { TestReporter } from '../routes/reporter-fixtures.js';

const MARKER = 'MARKER-q7v2-never-in-a-mail';
const answers = { category: 'BRIBERY', description: `${MARKER}: the officer at gate 4 asked for cash`, office: `${MARKER} office` };
const HOUR = 60 * 60 * 1000;
const SMTP_PASSWORD = 'smtp-password-Zk81';

const smtp = await startSmtp({ user: 'sealbox', password: SMTP_PASSWORD });
t.teardown(() => smtp.close());
const mail: MailConfig = {
  host: '127.0.0.1', port: smtp.port, security: 'none', auth: { user: 'sealbox', password: SMTP_PASSWORD },
  from: 'Sealbox <sealbox@customs.example>', dailyHourUtc: 7,
};
const inst = await makeInstance({ mail, consoleUrl: 'https://console.customs.example/' });
t.teardown(() => inst.close());
const app = await inst.app('reporter');
const { services, clock } = inst;
services.notifier.useLogger(app.log);

const person = (name: string, roles: Parameters<typeof quietUser>[2], channels: string[], email: string | null, notify: NotifyMode, locale = 'en') => {
  const u = quietUser(services, name, roles, channels);
  // Approved colleagues (PROTOCOL.md §9): reports are sealed only to members the roster names.
  for (const c of channels) approveWithRoot(services, u.id, c);
  services.repos.users.update(u.id, { email, notify, notifyLocale: locale });
  return { ...u, email };
};
const alice = person('alice', ['reviewer'], ['staff', 'public'], 'alice@customs.example', 'immediate');
const bob = person('bob', ['reviewer'], ['staff', 'public'], 'bob@customs.example', 'digest', 'fr');
const carol = person('carol', ['reviewer'], ['staff'], 'carol@customs.example', 'none');
const dave = person('dave', ['reviewer'], ['staff'], 'dave@customs.example', 'immediate');
services.repos.users.update(dave.id, { disabled: true });
const erin = person('erin', ['admin'], ['public'], 'erin@customs.example', 'immediate');
const frank = person('frank', ['reviewer'], ['staff'], 'frank@customs.example', 'immediate');
const gina = person('gina', ['auditor'], [], 'gina@customs.example', 'digest');
person('hugo', ['reviewer'], ['staff'], null, 'digest');

const reportIds: string[] = [];
/** Submits on `channel`, leaving out the recipients named in `leaveOut`; checks the 201. */
async function submit(channel: string, leaveOut: string[] = []): Promise<string> {
  const r = new TestReporter(app);
  const { channels, recoveryKey } = await r.channels();
  const recipients = channels.find((c) => c.id === channel)!.recipients.filter((x) => !leaveOut.includes(x.keyId));
  const { body: ch } = await r.challenge(channel);
  const payload = r.buildReport(channel, ch.reportId, solvePow(fromB64u(ch.pow.salt), ch.pow.bits), answers, [...recipients, recoveryKey!]);
  const res = await app.inject({ method: 'POST', url: '/api/reports', payload });
  if (res.statusCode !== 201) throw new Error(`submission refused: ${res.body}`);
  reportIds.push(ch.reportId);
  return ch.reportId;
}

/** The messages accepted since `from`, once every queued one has been handed over. */
async function mailsSince(from: number): Promise<CapturedMail[]> {
  await services.notifier.idle();
  return smtp.mails.slice(from);
}
const recipients = (mails: CapturedMail[]) => mails.flatMap((m) => m.to).sort();

t.test('a new report: an immediate, content-free mail to each reader who chose it', async (t) => {
  const before = smtp.mails.length;
  const id = await submit('staff');
  const mails = await mailsSince(before);
  t.same(recipients(mails), [alice.email, frank.email], 'alice and frank; not bob (digest), carol (none), dave (disabled), erin (public only), hugo (no address)');
  for (const m of mails) {
    t.equal(m.subject, 'Sealbox: a new report in channel staff');
    t.match(m.text, 'A new report arrived in channel staff.');
    t.match(m.text, 'https://console.customs.example/#/inbox', 'a link to the inbox');
    t.notMatch(m.raw, id, 'no report id');
    t.equal(m.from, 'sealbox@customs.example');
    t.match(m.headers.get('from'), 'Sealbox <sealbox@customs.example>');
  }
  t.ok(smtp.logins.includes('sealbox'), 'the server signed in with the configured user');
});

t.test('a reader the reporter left out hears nothing of the report', async (t) => {
  const before = smtp.mails.length;
  await submit('staff', [alice.keyId]);
  t.same(recipients(await mailsSince(before)), [frank.email]);
});

t.test('French readers get French mail; the public channel has its own readers', async (t) => {
  services.repos.users.update(erin.id, { notifyLocale: 'fr' });
  const before = smtp.mails.length;
  await submit('public');
  const mails = await mailsSince(before);
  t.same(recipients(mails), [alice.email, erin.email]);
  const french = mails.find((m) => m.to.includes(erin.email!))!;
  t.equal(french.subject, 'Sealbox : un nouveau signalement dans le canal public');
  t.match(french.text, 'Ouvrez la console d’examen');
});

t.test('mode "none" sends nothing', async (t) => {
  for (const u of [alice, frank]) services.repos.users.update(u.id, { notify: 'none' });
  const before = smtp.mails.length;
  await submit('staff');
  t.same(await mailsSince(before), [], 'no mail at all');
  for (const u of [alice, frank]) services.repos.users.update(u.id, { notify: 'immediate' });
});

t.test('the daily digest: once a day at the configured hour, also when empty', async (t) => {
  // 2026-11-28 16:05 UTC: past 07:00, and no digest yet today.
  let before = smtp.mails.length;
  const first = await runMaintenance(services);
  t.same(first.notifications, { digests: 1, reminders: 0 }, 'bob only: gina is an auditor, hugo has no address');
  let mails = await mailsSince(before);
  t.same(recipients(mails), [bob.email]);
  const digest = mails[0]!;
  t.equal(digest.subject, 'Sealbox : résumé quotidien');
  t.match(digest.text, 'Nouveaux signalements depuis le résumé précédent : 4');
  t.match(digest.text, '  public: 1\n  staff: 3');
  t.match(digest.text, 'https://console.customs.example/#/inbox');

  before = smtp.mails.length;
  t.equal((await runMaintenance(services)).notifications, null, 'not twice on the same day');
  const restarted = new Notifier(services);
  t.equal(restarted.daily(), undefined, 'nor after a restart: the day is kept in the settings');
  restarted.close();
  clock.advance(14 * HOUR); // 2026-11-29 06:05
  t.equal((await runMaintenance(services)).notifications, null, 'not before the hour');
  t.same(await mailsSince(before), []);

  clock.advance(HOUR); // 07:05
  t.same((await runMaintenance(services)).notifications, { digests: 1, reminders: 0 });
  mails = await mailsSince(before);
  t.same(recipients(mails), [bob.email], 'sent although nothing arrived');
  t.match(mails[0]!.text, 'Nouveaux signalements depuis le résumé précédent : 0');
  t.match(mails[0]!.text, '  public: 0\n  staff: 0');
  t.equal(mails[0]!.subject, digest.subject, 'the same subject every day');
});

t.test('the acknowledgement deadline: a reminder the day before, none once acknowledged', async (t) => {
  // The staff reports came in at 2026-11-28 16:00, so their acknowledgement is due 2026-12-05 16:00.
  const acknowledged = reportIds[1]!; // the one alice was left out of
  services.repos.reports.updateTriage(acknowledged, { status: 'acknowledged', acknowledgedAt: iso(clock.now()) }, iso(clock.now()));

  clock.advance(4 * 24 * HOUR); // 2026-12-03 07:05: nothing due on the 4th
  let before = smtp.mails.length;
  t.same((await runMaintenance(services)).notifications, { digests: 1, reminders: 0 });
  t.match((await mailsSince(before))[0]!.text, '(2026-12-04) : 0');

  clock.advance(24 * HOUR); // 2026-12-04 07:05
  before = smtp.mails.length;
  t.same((await runMaintenance(services)).notifications, { digests: 1, reminders: 3 });
  const mails = await mailsSince(before);
  t.same(recipients(mails), [alice.email, bob.email, erin.email, frank.email].sort());
  const reminder = (who: string) => mails.find((m) => m.to.includes(who))!;
  t.equal(reminder(alice.email!).subject, 'Sealbox: 3 reports pass their acknowledgement deadline tomorrow', 'alice: the unacknowledged reports sealed to her');
  t.match(reminder(alice.email!).text, '(2026-12-05): 3\n  public: 1\n  staff: 2\n');
  t.equal(reminder(frank.email!).subject, 'Sealbox: 2 reports pass their acknowledgement deadline tomorrow');
  t.match(reminder(frank.email!).text, '(2026-12-05): 2\n  staff: 2\n');
  t.equal(reminder(erin.email!).subject, 'Sealbox : un signalement atteint demain son délai d’accusé de réception', 'erin: the public report');
  t.match(reminder(bob.email!).text, '(2026-12-05) : 3\n  public: 1\n  staff: 2', 'bob’s digest carries the deadlines');

  clock.advance(24 * HOUR); // 2026-12-05: nothing due on the 6th
  before = smtp.mails.length;
  t.same((await runMaintenance(services)).notifications, { digests: 1, reminders: 0 });
  t.same(recipients(await mailsSince(before)), [bob.email]);
});

t.test('no mail holds report content, a report id, or goes to someone who should not get it', async (t) => {
  t.ok(smtp.mails.length >= 10, `${smtp.mails.length} mails captured`);
  for (const m of smtp.mails) {
    for (const text of [m.raw, m.subject, m.text]) {
      t.notMatch(text, MARKER, 'no marker from the answers');
      t.notMatch(text, 'gate 4');
      for (const id of reportIds) t.notMatch(text, id, 'no report id');
    }
  }
  const never = [carol.email, dave.email, gina.email];
  t.same(smtp.mails.flatMap((m) => m.to).filter((to) => never.includes(to)), [], 'none to carol (none), dave (disabled), gina (auditor)');
  t.notMatch(inst.log.text, /@customs\.example/, 'no address in the log');
  t.notMatch(inst.log.text, SMTP_PASSWORD, 'no SMTP password in the log');
});

t.test('SMTP down: the submission still gets its 201, and the log says only what failed', async (t) => {
  const gone = await startSmtp();
  const port = gone.port;
  await gone.close();
  const down = await makeInstance({ mail: { ...mail, port } });
  t.teardown(() => down.close());
  const downApp = await down.app('reporter');
  down.services.notifier.useLogger(downApp.log);
  down.services.notifier.retryDelaysMs = [1, 1];
  const reader = quietUser(down.services, 'ines', ['reviewer'], ['staff']);
  approveWithRoot(down.services, reader.id, 'staff');
  down.services.repos.users.update(reader.id, { email: 'ines@customs.example', notify: 'immediate' });

  const r = new TestReporter(downApp);
  const res = await r.submit('staff', answers);
  t.equal(res.statusCode, 201, 'accepted although no mail can be sent');
  await down.services.notifier.idle();

  const lines = down.log.text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const failures = lines.filter((l) => String(l.msg).startsWith('notification e-mail'));
  t.same(failures.map((l) => [l.msg, l.kind, l.code]), [
    ['notification e-mail failed; will retry', 'new_report', 'ESOCKET'],
    ['notification e-mail failed; will retry', 'new_report', 'ESOCKET'],
    ['notification e-mail dropped', 'new_report', 'ESOCKET'],
  ], 'two retries, then dropped');
  t.equal(failures[2]!.attempts, 3);
  for (const leak of ['ines@customs.example', '@customs.example', r.reportId, MARKER, SMTP_PASSWORD, String(port), '127.0.0.1']) {
    t.notMatch(down.log.text, leak, `the log does not hold ${leak === r.reportId ? 'the report id' : leak}`);
  }
  t.same(Object.keys(failures[0]!).sort(), ['attempt', 'code', 'kind', 'level', 'msg'], 'nothing else in the line');
});

t.test('a closed instance queues nothing', async (t) => {
  const other = await makeInstance({ mail });
  const notifier = other.services.notifier;
  other.close();
  const before = smtp.mails.length;
  notifier.reportReceived('AAAAAAAAAAAAAAAAAAAAAA');
  t.equal(notifier.daily(new Date('2026-12-10T12:00:00Z')), undefined);
  await notifier.idle();
  t.equal(smtp.mails.length, before);
});
