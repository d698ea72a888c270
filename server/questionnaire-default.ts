// The default questionnaire of DOMAIN.md, as data: an administrator can replace it per channel.
// Category codes are stable across languages; only the labels are translated (Spanish and Arabic
// in server/translations/, keyed by the English text).
import { withTranslations } from './translations/index.js';

export type LocalText = Record<string, string>;

export interface Field {
  id: string;
  type: 'select' | 'multiselect' | 'text' | 'textarea' | 'date' | 'yesno' | 'group' | 'number';
  label: LocalText;
  help?: LocalText;
  required?: boolean;
  options?: { value: string; label: LocalText }[];
  /** For `group`: the fields of one entry; `repeatable` lets the reporter add several. */
  fields?: Field[];
  repeatable?: boolean;
  /** A "danger" answer of yes makes the page show emergency contacts before anything else. */
  emergency?: boolean;
  maxLength?: number;
}

export interface Section {
  id: string;
  title: LocalText;
  fields: Field[];
  /** The identity section: separate, optional, off by default. */
  identity?: boolean;
}

export interface Questionnaire {
  id: string;
  version: number;
  sections: Section[];
}

const t = (en: string, fr: string): LocalText => withTranslations(en, fr);
const opt = (value: string, en: string, fr: string) => ({ value, label: t(en, fr) });

export const CATEGORY_CODES = [
  'BRIBERY', 'FACILITATION_PAYMENT', 'EXTORTION', 'VALUATION_CLASSIFICATION_ORIGIN', 'SMUGGLING_FACILITATION',
  'INFORMATION_MISUSE', 'EXEMPTION_ABUSE', 'AUDIT_INTERFERENCE', 'THEFT_EMBEZZLEMENT', 'PROCUREMENT_FRAUD', 'NEPOTISM_HR',
  'CONFLICT_OF_INTEREST', 'PREFERENTIAL_TREATMENT', 'WORKPLACE_MISCONDUCT', 'RETALIATION', 'TRADER_FRAUD', 'OTHER',
] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const categoryOptions = [
  opt('BRIBERY', 'Bribery: a payment, gift or favour asked for or accepted', 'Corruption : paiement, cadeau ou faveur demandé ou accepté'),
  opt('FACILITATION_PAYMENT', 'Facilitation payment ("speed money") for a lawful clearance', 'Paiement de facilitation pour un dédouanement légal'),
  opt('EXTORTION', 'Extortion: threats, invented fees, goods held until someone pays', 'Extorsion : menaces, frais inventés, marchandises retenues'),
  opt('VALUATION_CLASSIFICATION_ORIGIN', 'Undervaluation, wrong tariff classification or false origin accepted', 'Sous-évaluation, classement tarifaire erroné ou fausse origine acceptés'),
  opt('SMUGGLING_FACILITATION', 'Letting contraband, drugs, people or undeclared cargo through', 'Laisser passer contrebande, drogues, personnes ou marchandises non déclarées'),
  opt('INFORMATION_MISUSE', 'Leaking enforcement or targeting information; tampering with risk flags', 'Fuite d’informations de contrôle ou de ciblage ; falsification des alertes'),
  opt('EXEMPTION_ABUSE', 'Fraud in drawback, suspension, warehousing, exemptions or AEO approvals', 'Fraude aux drawbacks, suspensions, entrepôts, exonérations ou agréments OEA'),
  opt('AUDIT_INTERFERENCE', 'Influencing inspection or post-clearance audit findings', 'Influence sur les résultats d’inspection ou de contrôle a posteriori'),
  opt('THEFT_EMBEZZLEMENT', 'Theft of seized goods, funds or property', 'Vol de marchandises saisies, de fonds ou de biens'),
  opt('PROCUREMENT_FRAUD', 'Bid rigging or kickbacks in customs procurement', 'Trucage d’appels d’offres ou rétrocommissions dans les achats'),
  opt('NEPOTISM_HR', 'Favouritism in recruitment, promotion, rotation or postings', 'Favoritisme dans le recrutement, les promotions ou les affectations'),
  opt('CONFLICT_OF_INTEREST', 'Undeclared interests; links with traders or criminal groups', 'Intérêts non déclarés ; liens avec des opérateurs ou des groupes criminels'),
  opt('PREFERENTIAL_TREATMENT', 'Favouring particular traders, brokers or travellers', 'Traitement de faveur pour certains opérateurs, commissionnaires ou voyageurs'),
  opt('WORKPLACE_MISCONDUCT', 'Harassment, discrimination, abuse of authority, excessive force', 'Harcèlement, discrimination, abus d’autorité, usage excessif de la force'),
  opt('RETALIATION', 'Reprisals against someone who reported', 'Représailles contre une personne ayant signalé'),
  opt('TRADER_FRAUD', 'Customs fraud by a trader with no official involved', 'Fraude douanière d’un opérateur sans agent impliqué'),
  opt('OTHER', 'Something else', 'Autre chose'),
];

export const PROCESSES = [
  opt('declaration', 'Declaration processing', 'Traitement des déclarations'),
  opt('valuation_classification', 'Valuation and classification', 'Valeur et classement'),
  opt('examination', 'Physical examination', 'Visite physique'),
  opt('release', 'Release', 'Mainlevée'),
  opt('post_clearance_audit', 'Post-clearance audit', 'Contrôle a posteriori'),
  opt('exemptions_drawback', 'Exemptions and drawback', 'Exonérations et drawback'),
  opt('licensing', 'Licensing', 'Agréments et licences'),
  opt('passenger_control', 'Passenger control', 'Contrôle des voyageurs'),
  opt('procurement', 'Procurement', 'Achats publics'),
  opt('human_resources', 'Human resources', 'Ressources humaines'),
];

export const defaultQuestionnaire: Questionnaire = {
  id: 'customs-default',
  version: 1,
  sections: [
    {
      id: 'what', title: t('What happened', 'Ce qui s’est passé'),
      fields: [
        { id: 'category', type: 'select', required: true, label: t('Category', 'Catégorie'), options: categoryOptions },
        { id: 'description', type: 'textarea', required: true, maxLength: 20000, label: t('What happened', 'Ce qui s’est passé'),
          help: t('In your own words: what happened, and what makes you think it is wrong.', 'Avec vos mots : ce qui s’est passé et pourquoi vous pensez que ce n’est pas correct.') },
        { id: 'danger', type: 'yesno', emergency: true, label: t('Is anyone in immediate danger to life or safety?', 'Une personne est-elle en danger immédiat ?') },
      ],
    },
    {
      id: 'where', title: t('Where', 'Où'),
      fields: [
        { id: 'office', type: 'text', maxLength: 200, label: t('Customs office, port, border post, airport or depot', 'Bureau de douane, port, poste frontière, aéroport ou dépôt') },
        { id: 'process', type: 'select', label: t('Process involved', 'Procédure concernée'), options: PROCESSES },
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
