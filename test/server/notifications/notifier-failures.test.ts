// The notifier with a stand-in transport: what it logs when sending fails (a code, never the
// server's text, which can quote the address), retries that a stop cancels, a broken lookup that
// stays inside the notifier, no mail without SMTP settings, and the texts' remaining forms.
import t from 'tap';
import type { Mailer, OutgoingMail } from '../../../server/notifications/mailer.js';
import { mailTexts } from '../../../server/notifications/messages.js';
import { Notifier, type NotifyLog } from '../../../server/notifications/notifier.js';
import { approveWithRoot, makeInstance } from '../../helpers/instance.js';
import { waitFor } from '../../helpers/wait.js';
import { quietUser } from '../routes/console-fixtures.js';
import { TestReporter } from '../routes/reporter-fixtures.js';

const inst = await makeInstance();
t.teardown(() => inst.close());
const app = await inst.app('reporter');
const { services } = inst;
const mail = { host: 'smtp.customs.example', port: 587, security: 'starttls' as const, from: 'sealbox@customs.example', dailyHourUtc: 7 };
const reader = quietUser(services, 'amina', ['reviewer'], ['staff']);
// An approved colleague (PROTOCOL.md §9): reports are sealed only to members the roster names.
approveWithRoot(services, reader.id, 'staff');
services.repos.users.update(reader.id, { email: 'amina@customs.example', notify: 'immediate' });

class LogLines implements NotifyLog {
  lines: Array<{ level: string; details: Record<string, unknown>; message: string }> = [];
  info(details: object, message: string) {
    this.lines.push({ level: 'info', details: details as Record<string, unknown>, message });
  }
  warn(details: object, message: string) {
    this.lines.push({ level: 'warn', details: details as Record<string, unknown>, message });
  }
}

/** A transport that fails with each of `errors` in turn, then accepts. */
function flaky(errors: unknown[]): Mailer & { sent: OutgoingMail[]; closed: number } {
  const m = {
    sent: [] as OutgoingMail[],
    closed: 0,
    send: async (message: OutgoingMail) => {
      if (errors.length > 0) throw errors.shift();
      m.sent.push(message);
    },
    close: () => {
      m.closed++;
    },
  };
  return m;
}

const config = { ...services.config, mail };

t.test('without SMTP settings nothing is queued, and the submission is as before', async (t) => {
  t.equal(services.notifier.enabled, false);
  const res = await new TestReporter(app).submit('staff', { description: 'x' });
  t.equal(res.statusCode, 201);
  t.equal(services.notifier.daily(), undefined);
  await services.notifier.idle();
});

t.test('failures log a code and the SMTP reply code, never the server’s text; the last attempt drops', async (t) => {
  const rejected = Object.assign(new Error('550 5.1.1 <amina@customs.example>: Recipient address rejected'), { code: 'EENVELOPE', responseCode: 550 });
  const odd = Object.assign(new Error('amina@customs.example'), { code: 'lower-case <amina@customs.example>' });
  const transport = flaky([rejected, odd, null]);
  const notifier = new Notifier({ ...services, config }, { mailer: transport, retryDelaysMs: [1, 1] });
  const log = new LogLines();
  notifier.useLogger(log);
  const r = new TestReporter(app);
  t.equal((await r.submit('staff', { description: 'x' })).statusCode, 201);
  notifier.reportReceived(r.reportId);
  await notifier.idle();
  t.same(log.lines.map((l) => [l.message, l.details]), [
    ['notification e-mail failed; will retry', { kind: 'new_report', attempt: 1, code: 'EENVELOPE', smtpCode: 550 }],
    ['notification e-mail failed; will retry', { kind: 'new_report', attempt: 2, code: 'unknown' }],
    ['notification e-mail dropped', { kind: 'new_report', attempts: 3, code: 'unknown' }],
  ]);
  t.notMatch(JSON.stringify(log.lines), '@customs.example');
  t.equal(transport.sent.length, 0);
});

t.test('a message that fails once goes through on the retry', async (t) => {
  const transport = flaky([Object.assign(new Error('x'), { code: 'ECONNECTION' })]);
  const notifier = new Notifier({ ...services, config }, { mailer: transport, retryDelaysMs: [1] });
  const log = new LogLines();
  notifier.useLogger(log);
  const r = new TestReporter(app);
  await r.submit('staff', { description: 'x' });
  notifier.reportReceived(r.reportId);
  await notifier.idle();
  t.equal(transport.sent.length, 1);
  t.same(log.lines.map((l) => l.message), ['notification e-mail failed; will retry']);
});

t.test('closing cancels a waiting retry: the message is dropped and the transport closed', async (t) => {
  const transport = flaky([Object.assign(new Error('x'), { code: 'ETIMEDOUT' })]);
  const notifier = new Notifier({ ...services, config }, { mailer: transport, retryDelaysMs: [60 * 60 * 1000] });
  const log = new LogLines();
  notifier.useLogger(log);
  const r = new TestReporter(app);
  await r.submit('staff', { description: 'x' });
  notifier.reportReceived(r.reportId);
  await waitFor(() => log.lines.length > 0, { what: 'the first attempt to fail and be logged', intervalMs: 0 });
  notifier.close();
  await notifier.idle();
  t.same(log.lines.map((l) => l.message), ['notification e-mail failed; will retry', 'notification e-mail dropped']);
  t.equal(transport.closed, 1);
  t.equal(transport.sent.length, 0);
});

t.test('a failing lookup is logged by name and goes no further', async (t) => {
  const broken = { ...services.repos, notifications: { ...services.repos.notifications, immediateRecipients: () => { throw new TypeError('database is closed'); } } };
  const notifier = new Notifier({ ...services, repos: broken, config }, { mailer: flaky([]) });
  const log = new LogLines();
  notifier.useLogger(log);
  notifier.reportReceived('AAAAAAAAAAAAAAAAAAAAAA');
  await notifier.idle();
  t.same(log.lines, [{ level: 'warn', details: { errName: 'TypeError' }, message: 'notifications failed' }]);
  const thrown = { ...services.repos, notifications: { ...services.repos.notifications, immediateRecipients: () => { throw 'not an error'; } } };
  const other = new Notifier({ ...services, repos: thrown, config }, { mailer: flaky([]) });
  other.useLogger(log);
  other.reportReceived('AAAAAAAAAAAAAAAAAAAAAA');
  await other.idle();
  t.same(log.lines[1]!.details, { errName: 'unknown' });
});

t.test('without a console URL the link uses the listening address (IPv6 in brackets)', async (t) => {
  const transport = flaky([]);
  const { consoleUrl: _none, ...rest } = config;
  const notifier = new Notifier({ ...services, config: { ...rest, host: '::1', consolePort: 9081 } }, { mailer: transport });
  const r = new TestReporter(app);
  await r.submit('staff', { description: 'x' });
  notifier.reportReceived(r.reportId);
  await notifier.idle();
  t.match(transport.sent[0]!.text, 'http://[::1]:9081/#/inbox');
  t.equal(transport.sent[0]!.to, 'amina@customs.example');
});

t.test('the texts: one report, no channel, an unknown language', async (t) => {
  const en = mailTexts('en');
  t.equal(en.reminder({ due: [{ channelId: 'staff', n: 1 }, { channelId: 'public', n: 0 }], dueDay: '2026-12-05', inboxUrl: 'u' }).subject,
    'Sealbox: a report passes its acknowledgement deadline tomorrow');
  t.match(en.reminder({ due: [{ channelId: 'staff', n: 1 }, { channelId: 'public', n: 0 }], dueDay: '2026-12-05', inboxUrl: 'u' }).text, '(2026-12-05): 1\n  staff: 1\n\n');
  t.equal(mailTexts('fr').reminder({ due: [{ channelId: 'staff', n: 2 }], dueDay: 'd', inboxUrl: 'u' }).subject,
    'Sealbox : 2 signalements atteignent demain leur délai d’accusé de réception');
  t.match(en.digest({ day: 'd', received: [], due: [], dueDay: 'e', inboxUrl: 'u' }).text, ': 0\n  you belong to no channel\n');
  t.match(mailTexts('fr').digest({ day: 'd', received: [], due: [], dueDay: 'e', inboxUrl: 'u' }).text, 'vous n’appartenez à aucun canal');
  t.same(mailTexts('de'), en, 'English for a language without its own texts');
});
