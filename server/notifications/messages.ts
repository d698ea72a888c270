// The texts of notification e-mails, in English, French, Spanish and Arabic. They are built only
// from what the server already holds in plaintext (channel ids, counts, a day) and name no report:
// a mail that is read, forwarded or kept by a mail provider says that reports exist, never what
// they say.
import { lines, total, type DigestInput, type MailCatalogue, type ReminderInput } from './mail-text.js';
import { ar } from './messages-ar.js';
import { es } from './messages-es.js';

export type { ChannelCounts, DigestInput, MailCatalogue, MailText, ReminderInput } from './mail-text.js';

export const MAIL_LOCALES = ['en', 'fr', 'es', 'ar'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

const en: MailCatalogue = {
  newReport: (channelId, inboxUrl) => ({
    subject: `Sealbox: a new report in channel ${channelId}`,
    text: [
      `A new report arrived in channel ${channelId}.`,
      '',
      'Open the review console to read it:',
      inboxUrl,
      '',
      'This message says nothing of what the report contains. You receive it because your notifications are set to "immediately"; you can change that under "My account" in the console. A daily summary hides when reports arrive better.',
    ].join('\n'),
  }),
  digest: (d: DigestInput) => ({
    subject: 'Sealbox: daily summary',
    text: [
      `Daily summary of ${d.day}.`,
      '',
      `New reports since the previous summary: ${total(d.received)}`,
      lines(d.received, 'you belong to no channel'),
      '',
      `Reports whose acknowledgement deadline passes tomorrow (${d.dueDay}): ${total(d.due)}`,
      lines(d.due, 'you belong to no channel'),
      '',
      'Open the review console:',
      d.inboxUrl,
      '',
      'This summary is sent every day, also when there is nothing new, so that the time of a message says nothing about when a report arrived. It never says what a report contains.',
    ].join('\n'),
  }),
  reminder: (r: ReminderInput) => {
    const n = total(r.due);
    return {
      subject: n === 1 ? 'Sealbox: a report passes its acknowledgement deadline tomorrow' : `Sealbox: ${n} reports pass their acknowledgement deadline tomorrow`,
      text: [
        `Reports not yet acknowledged whose deadline passes tomorrow (${r.dueDay}): ${n}`,
        lines(r.due.filter((c) => c.n > 0), 'none'),
        '',
        'Acknowledge them in the review console:',
        r.inboxUrl,
        '',
        'This message says nothing of what the reports contain.',
      ].join('\n'),
    };
  },
};

const fr: MailCatalogue = {
  newReport: (channelId, inboxUrl) => ({
    subject: `Sealbox : un nouveau signalement dans le canal ${channelId}`,
    text: [
      `Un nouveau signalement est arrivé dans le canal ${channelId}.`,
      '',
      'Ouvrez la console d’examen pour le lire :',
      inboxUrl,
      '',
      'Ce message ne dit rien du contenu du signalement. Vous le recevez parce que vos notifications sont réglées sur « immédiatement » ; vous pouvez changer ce réglage sous « Mon compte » dans la console. Un résumé quotidien cache mieux le moment où les signalements arrivent.',
    ].join('\n'),
  }),
  digest: (d) => ({
    subject: 'Sealbox : résumé quotidien',
    text: [
      `Résumé quotidien du ${d.day}.`,
      '',
      `Nouveaux signalements depuis le résumé précédent : ${total(d.received)}`,
      lines(d.received, 'vous n’appartenez à aucun canal'),
      '',
      `Signalements dont le délai d’accusé de réception expire demain (${d.dueDay}) : ${total(d.due)}`,
      lines(d.due, 'vous n’appartenez à aucun canal'),
      '',
      'Ouvrez la console d’examen :',
      d.inboxUrl,
      '',
      'Ce résumé est envoyé chaque jour, même quand il n’y a rien de nouveau, afin que l’heure d’un message ne dise rien du moment où un signalement est arrivé. Il ne dit jamais ce que contient un signalement.',
    ].join('\n'),
  }),
  reminder: (r) => {
    const n = total(r.due);
    return {
      subject: n === 1 ? 'Sealbox : un signalement atteint demain son délai d’accusé de réception' : `Sealbox : ${n} signalements atteignent demain leur délai d’accusé de réception`,
      text: [
        `Signalements pas encore accusés dont le délai expire demain (${r.dueDay}) : ${n}`,
        lines(r.due.filter((c) => c.n > 0), 'aucun'),
        '',
        'Accusez-en réception dans la console d’examen :',
        r.inboxUrl,
        '',
        'Ce message ne dit rien du contenu des signalements.',
      ].join('\n'),
    };
  },
};

const catalogues: Record<MailLocale, MailCatalogue> = { en, fr, es, ar };

/** The texts in `locale`, English for a locale without its own. */
export const mailTexts = (locale: string): MailCatalogue => catalogues[locale as MailLocale] ?? en;
