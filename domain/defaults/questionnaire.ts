// The default questionnaire of DOMAIN.md, as data: an administrator can replace it per channel.
// Category codes are stable across languages; only the labels are translated (Spanish and Arabic
// in ./translations/, keyed by the English text). Only the server reads this file (a new
// instance's channels): the pages get a channel's questionnaire from the API.
import { CATEGORIES, PROCESSES } from '../categories.js';
import type { Questionnaire } from '../questionnaire.js';
import type { LocalText } from '../vocabulary.js';
import { withTranslations } from './translations/index.js';

const t = (en: string, fr: string): LocalText => withTranslations(en, fr);
const opt = (value: string, en: string, fr: string) => ({ value, label: t(en, fr) });

export const defaultQuestionnaire: Questionnaire = {
  id: 'customs-default',
  version: 1,
  sections: [
    {
      id: 'what', title: t('What happened', 'Ce qui s’est passé'),
      fields: [
        { id: 'category', type: 'select', required: true, label: t('Category', 'Catégorie'), options: [...CATEGORIES] },
        { id: 'description', type: 'textarea', required: true, maxLength: 20000, label: t('What happened', 'Ce qui s’est passé'),
          help: t('In your own words: what happened, and what makes you think it is wrong.', 'Avec vos mots : ce qui s’est passé et pourquoi vous pensez que ce n’est pas correct.') },
        { id: 'danger', type: 'yesno', emergency: true, label: t('Is anyone in immediate danger to life or safety?', 'Une personne est-elle en danger immédiat ?') },
      ],
    },
    {
      id: 'where', title: t('Where', 'Où'),
      fields: [
        { id: 'office', type: 'text', maxLength: 200, label: t('Customs office, port, border post, airport or depot', 'Bureau de douane, port, poste frontière, aéroport ou dépôt') },
        { id: 'process', type: 'select', label: t('Process involved', 'Procédure concernée'), options: [...PROCESSES] },
      ],
    },
    {
      id: 'when', title: t('When', 'Quand'),
      fields: [
        { id: 'dateFrom', type: 'date', label: t('Date (or start date)', 'Date (ou date de début)') },
        { id: 'dateTo', type: 'date', label: t('End date, if it lasted', 'Date de fin, le cas échéant') },
        { id: 'ongoing', type: 'yesno', label: t('Is it still happening?', 'Est-ce toujours en cours ?') },
      ],
    },
    {
      id: 'who', title: t('Who', 'Qui'),
      fields: [
        { id: 'people', type: 'group', repeatable: true, label: t('People involved', 'Personnes impliquées'), fields: [
          { id: 'name', type: 'text', maxLength: 200, label: t('Name', 'Nom') },
          { id: 'role', type: 'text', maxLength: 200, label: t('Role or unit', 'Fonction ou service') },
          { id: 'badge', type: 'text', maxLength: 50, label: t('Badge number, if known', 'Numéro de matricule, si connu') },
        ] },
        { id: 'companies', type: 'group', repeatable: true, label: t('Companies involved', 'Entreprises impliquées'), fields: [
          { id: 'name', type: 'text', maxLength: 200, label: t('Company name', 'Nom de l’entreprise') },
          { id: 'kind', type: 'select', label: t('Kind', 'Type'), options: [
            opt('importer', 'Importer', 'Importateur'), opt('exporter', 'Exporter', 'Exportateur'), opt('broker', 'Customs broker', 'Commissionnaire en douane'),
            opt('forwarder', 'Forwarder', 'Transitaire'), opt('carrier', 'Carrier', 'Transporteur'), opt('other', 'Other', 'Autre'),
          ] },
        ] },
      ],
    },
    {
      id: 'references', title: t('References', 'Références'),
      fields: [
        { id: 'declaration', type: 'text', maxLength: 200, label: t('Declaration or entry number', 'Numéro de déclaration') },
        { id: 'transport', type: 'text', maxLength: 500, label: t('Manifest, bill of lading, air waybill, container, vessel, flight or plate', 'Manifeste, connaissement, LTA, conteneur, navire, vol ou immatriculation') },
        { id: 'goods', type: 'text', maxLength: 500, label: t('Goods and HS code', 'Marchandises et code SH') },
      ],
    },
    {
      id: 'money', title: t('Money', 'Argent'),
      fields: [
        { id: 'amount', type: 'text', maxLength: 50, label: t('Amount asked or paid', 'Montant demandé ou payé') },
        { id: 'currency', type: 'text', maxLength: 20, label: t('Currency', 'Devise') },
        { id: 'form', type: 'select', label: t('Form of payment', 'Forme du paiement'), options: [
          opt('cash', 'Cash', 'Espèces'), opt('mobile_money', 'Mobile money', 'Paiement mobile'), opt('goods', 'Goods', 'Marchandises'),
          opt('favour', 'A favour', 'Une faveur'), opt('other', 'Other', 'Autre'),
        ] },
      ],
    },
    {
      id: 'source', title: t('How you know', 'Comment vous le savez'),
      fields: [
        { id: 'knowledge', type: 'select', label: t('How do you know?', 'Comment le savez-vous ?'), options: [
          opt('involved', 'I was involved', 'J’étais impliqué(e)'), opt('witnessed', 'I saw it', 'Je l’ai vu'),
          opt('heard', 'I heard it from others', 'On me l’a rapporté'), opt('documents', 'From documents', 'Par des documents'),
        ] },
        { id: 'relationship', type: 'select', label: t('Your relationship to customs', 'Votre lien avec la douane'), options: [
          opt('staff', 'Customs staff', 'Personnel des douanes'), opt('trader', 'Trader', 'Opérateur'), opt('broker', 'Broker', 'Commissionnaire'),
          opt('carrier', 'Carrier', 'Transporteur'), opt('traveller', 'Traveller', 'Voyageur'), opt('official', 'Other official', 'Autre agent public'),
          opt('public', 'Member of the public', 'Particulier'),
        ] },
        { id: 'reportedElsewhere', type: 'yesno', label: t('Have you reported this elsewhere?', 'L’avez-vous signalé ailleurs ?') },
      ],
    },
    {
      id: 'identity', identity: true, title: t('Your identity (optional)', 'Votre identité (facultatif)'),
      fields: [
        { id: 'name', type: 'text', maxLength: 200, label: t('Your name', 'Votre nom') },
        { id: 'contact', type: 'text', maxLength: 200, label: t('How to reach you', 'Comment vous joindre') },
      ],
    },
  ],
};
