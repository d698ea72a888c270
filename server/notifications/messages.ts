// The texts of notification e-mails, in English, French, Spanish and Arabic. They are built only
// from what the server already holds in plaintext (channel ids, counts, a day) and name no report:
// a mail that is read, forwarded or kept by a mail provider says that reports exist, never what
// they say. Each language gives its words; mail-text.ts lays every mail out the same way.
import { mailCatalogue, type MailCatalogue, type MailWords } from './mail-text.js';
import { ar } from './messages-ar.js';
import { es } from './messages-es.js';

export type { ChannelCounts, DigestInput, MailCatalogue, MailText, MailWords, ReminderInput } from './mail-text.js';

export const MAIL_LOCALES = ['en', 'fr', 'es', 'ar'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

const en: MailWords = {
  newReport: {
    subject: 'Sealbox: a new report in channel {channel}',
    arrived: 'A new report arrived in channel {channel}.',
    open: 'Open the review console to read it:',
    why: 'This message says nothing of what the report contains. You receive it because your notifications are set to "immediately"; you can change that under "My account" in the console. A daily summary hides when reports arrive better.',
  },
  digest: {
    subject: 'Sealbox: daily summary',
    title: 'Daily summary of {day}.',
    received: 'New reports since the previous summary: {n}',
    due: 'Reports whose acknowledgement deadline passes tomorrow ({dueDay}): {n}',
    noChannel: 'you belong to no channel',
    open: 'Open the review console:',
    why: 'This summary is sent every day, also when there is nothing new, so that the time of a message says nothing about when a report arrived. It never says what a report contains.',
  },
  reminder: {
    subjectOne: 'Sealbox: a report passes its acknowledgement deadline tomorrow',
    subjectMany: 'Sealbox: {n} reports pass their acknowledgement deadline tomorrow',
    due: 'Reports not yet acknowledged whose deadline passes tomorrow ({dueDay}): {n}',
    none: 'none',
    open: 'Acknowledge them in the review console:',
    why: 'This message says nothing of what the reports contain.',
  },
  awaitingApproval: {
    subject: 'Sealbox: someone awaits approval in channel {channel}',
    waiting: 'Someone awaits approval in channel {channel}: a new member, or a member whose keys were reset. They receive none of the channel\'s reports until a member approves them.',
    open: 'Sign in to the review console to compare fingerprints with them and approve:',
    why: 'This message names no report and no person. Compare the fingerprint the console shows with the person themselves, face to face or on a call, before you approve.',
  },
};

const fr: MailWords = {
  newReport: {
    subject: 'Sealbox : un nouveau signalement dans le canal {channel}',
    arrived: 'Un nouveau signalement est arrivé dans le canal {channel}.',
    open: 'Ouvrez la console d’examen pour le lire :',
    why: 'Ce message ne dit rien du contenu du signalement. Vous le recevez parce que vos notifications sont réglées sur « immédiatement » ; vous pouvez changer ce réglage sous « Mon compte » dans la console. Un résumé quotidien cache mieux le moment où les signalements arrivent.',
  },
  digest: {
    subject: 'Sealbox : résumé quotidien',
    title: 'Résumé quotidien du {day}.',
    received: 'Nouveaux signalements depuis le résumé précédent : {n}',
    due: 'Signalements dont le délai d’accusé de réception expire demain ({dueDay}) : {n}',
    noChannel: 'vous n’appartenez à aucun canal',
    open: 'Ouvrez la console d’examen :',
    why: 'Ce résumé est envoyé chaque jour, même quand il n’y a rien de nouveau, afin que l’heure d’un message ne dise rien du moment où un signalement est arrivé. Il ne dit jamais ce que contient un signalement.',
  },
  reminder: {
    subjectOne: 'Sealbox : un signalement atteint demain son délai d’accusé de réception',
    subjectMany: 'Sealbox : {n} signalements atteignent demain leur délai d’accusé de réception',
    due: 'Signalements pas encore accusés dont le délai expire demain ({dueDay}) : {n}',
    none: 'aucun',
    open: 'Accusez-en réception dans la console d’examen :',
    why: 'Ce message ne dit rien du contenu des signalements.',
  },
  awaitingApproval: {
    subject: 'Sealbox : une personne attend d’être approuvée dans le canal {channel}',
    waiting: 'Une personne attend d’être approuvée dans le canal {channel} : un nouveau membre, ou un membre dont les clés ont été renouvelées. Elle ne reçoit aucun signalement du canal tant qu’un membre ne l’a pas approuvée.',
    open: 'Connectez-vous à la console d’examen pour comparer les empreintes avec elle et l’approuver :',
    why: 'Ce message ne nomme aucun signalement ni aucune personne. Comparez l’empreinte affichée par la console avec la personne elle-même, en face à face ou par téléphone, avant d’approuver.',
  },
};

const catalogues: Record<MailLocale, MailCatalogue> = {
  en: mailCatalogue(en), fr: mailCatalogue(fr), es: mailCatalogue(es), ar: mailCatalogue(ar),
};

/** The texts in `locale`, English for a locale without its own. */
export const mailTexts = (locale: string): MailCatalogue => catalogues[locale as MailLocale] ?? catalogues.en;
