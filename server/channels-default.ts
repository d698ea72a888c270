// The two channels `sealbox init` creates (DOMAIN.md): staff and public.
import { type LocalText } from '../domain/vocabulary.js';
import { withTranslations } from '../domain/defaults/translations/index.js';

export interface ChannelDefaults {
  id: string;
  title: LocalText;
  description: LocalText;
  allowRecipientExclusion: boolean;
  maxAttachmentBytes: number;
  retentionDays: number;
  messagesAfterClose: boolean;
}

const MiB = 1024 * 1024;

export const defaultChannels: ChannelDefaults[] = [
  {
    id: 'staff',
    title: withTranslations('Customs staff', 'Personnel des douanes'),
    description: withTranslations(
      'For customs officers and employees: misconduct by colleagues or managers, pressure to look away, leaks, unfair postings.',
      'Pour les agents et employés des douanes : manquements de collègues ou de supérieurs, pressions, fuites, affectations injustes.',
    ),
    // A report about a member of the integrity unit itself must be able to leave that member out.
    allowRecipientExclusion: true,
    maxAttachmentBytes: 200 * MiB,
    retentionDays: 365,
    messagesAfterClose: false,
  },
  {
    id: 'public',
    title: withTranslations('Traders, brokers, travellers and the public', 'Opérateurs, commissionnaires, voyageurs et public'),
    description: withTranslations(
      'For anyone dealing with customs: requests for payments, threats, goods held without reason, officials favouring others.',
      'Pour toute personne en contact avec la douane : demandes de paiement, menaces, marchandises retenues sans raison, favoritisme.',
    ),
    allowRecipientExclusion: false,
    maxAttachmentBytes: 200 * MiB,
    retentionDays: 365,
    messagesAfterClose: false,
  },
];

