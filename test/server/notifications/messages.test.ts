// Every language of the notification e-mails says what the English says, from the same inputs:
// each text names the channels, the counts, the day and the console's address, and nothing else
// the server could know (no report id, no content). The subjects are the language's own.
import t from 'tap';
import { MAIL_LOCALES, mailTexts } from '../../../server/notifications/messages.js';

const received = [{ channelId: 'staff', n: 3 }, { channelId: 'public', n: 0 }];
const due = [{ channelId: 'staff', n: 2 }, { channelId: 'public', n: 5 }];
const inboxUrl = 'https://console.example/inbox';

t.test('every language: the same facts, its own words', async (t) => {
  t.same([...MAIL_LOCALES], ['en', 'fr', 'es', 'ar']);
  const subjects = new Map<string, string>();
  for (const locale of MAIL_LOCALES) {
    const texts = mailTexts(locale);
    const mails = {
      newReport: texts.newReport('public', inboxUrl),
      digest: texts.digest({ day: '2026-11-28', received, due, dueDay: '2026-11-29', inboxUrl }),
      emptyDigest: texts.digest({ day: '2026-11-28', received: [], due: [], dueDay: '2026-11-29', inboxUrl }),
      reminderOne: texts.reminder({ due: [{ channelId: 'staff', n: 1 }], dueDay: '2026-11-29', inboxUrl }),
      reminderMany: texts.reminder({ due, dueDay: '2026-11-29', inboxUrl }),
      awaitingApproval: texts.awaitingApproval(['staff', 'public'], inboxUrl),
    };
    for (const [name, mail] of Object.entries(mails)) {
      t.ok(mail.subject.startsWith('Sealbox'), `${locale} ${name}: the subject names Sealbox`);
      t.ok(mail.text.includes(inboxUrl), `${locale} ${name}: the console's address`);
      t.notMatch(mail.text, /\{|\}|undefined|NaN/, `${locale} ${name}: nothing left unfilled`);
      if (locale !== 'en') t.not(mail.subject, subjects.get(name), `${locale} ${name}: a subject of its own`);
      else subjects.set(name, mail.subject);
    }
    t.match(mails.newReport.text, /public/, `${locale}: the channel of the new report`);
    t.match(mails.digest.text, /2026-11-28/, `${locale}: the digest's day`);
    t.match(mails.digest.text, /2026-11-29/, `${locale}: the day of the deadline`);
    for (const line of ['  staff: 3', '  public: 0', '  staff: 2', '  public: 5']) t.ok(mails.digest.text.includes(line), `${locale}: digest line ${line.trim()}`);
    t.match(mails.digest.text, /\b3\b/, `${locale}: new reports in all`);
    t.match(mails.digest.text, /\b7\b/, `${locale}: reports due in all`);
    t.match(mails.reminderMany.subject, /\b7\b/, `${locale}: the reminder's subject counts the reports`);
    t.ok(mails.reminderMany.text.includes('  public: 5'), `${locale}: reminder lines`);
    t.notOk(mails.reminderMany.text.includes('staff: 0'), `${locale}: no line for a channel with nothing due`);
    t.not(mails.reminderOne.subject, mails.reminderMany.subject, `${locale}: one report and several read differently`);
    t.ok(mails.awaitingApproval.subject.includes('staff, public') && mails.awaitingApproval.text.includes('staff, public'), `${locale}: the channels someone awaits approval in`);
    t.not(mails.emptyDigest.text.split('\n')[3], '  ', `${locale}: an empty digest says why there is no line`);
  }
});
