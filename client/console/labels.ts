// Labels for the stable codes the server uses: categories (DOMAIN.md), processes, statuses.
// Category and process labels come from the default questionnaire (en/fr), the same texts the
// reporter sees; short category names for the inbox are in the catalogues.
import { categoryOptions, CATEGORY_CODES, PROCESSES } from '../../server/questionnaire-default.js';
import { localText } from '../shared/i18n.js';

export { CATEGORY_CODES };

/** A category's long label ("Bribery: a payment, gift or favour asked for or accepted"). */
export function categoryLabel(code: string, locale: string): string {
  const option = categoryOptions.find((o) => o.value === code);
  return option ? localText(option.label, locale) : code;
}

/** A process code's label, or the text itself when the administrator added their own. */
export function processLabel(code: string, locale: string): string {
  const option = PROCESSES.find((o) => o.value === code);
  return option ? localText(option.label, locale) : code;
}

export const KNOWN_PROCESSES = PROCESSES.map((p) => p.value);

/** Audit actions the server writes, for the filter's suggestions. */
export const AUDIT_ACTIONS = [
  'instance.init', 'instance.seed', 'instance.backup', 'instance.restore', 'setup.link_issued', 'auth.login', 'auth.login_failed', 'auth.logout',
  'user.create', 'user.invite', 'user.update', 'user.reset_link', 'user.reset',
  'report.received', 'report.attachment', 'report.view', 'report.triage', 'report.message', 'report.note', 'report.keys', 'report.export',
  'report.retention_extended', 'report.purged',
  'attachment.download', 'attachment.purge_incomplete',
  'channel.update', 'channel.members', 'settings.lists', 'settings.acknowledgement_template', 'settings.recovery_key',
  'statistics.export',
];
