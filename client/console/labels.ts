// Labels for the stable codes the server uses: categories (DOMAIN.md), processes, statuses.
// Category and process labels come from domain/categories.ts, the same texts the reporter chose
// from; short category names for the inbox are in the catalogues.
import { CATEGORIES, CATEGORY_CODES, KNOWN_PROCESSES, PROCESSES } from '../../domain/categories.js';
import { localText } from '../../domain/text.js';

export { CATEGORY_CODES, KNOWN_PROCESSES };

/** A category's long label ("Bribery: a payment, gift or favour asked for or accepted"). */
export function categoryLabel(code: string, locale: string): string {
  const option = CATEGORIES.find((o) => o.value === code);
  return option ? localText(option.label, locale) : code;
}

/** A process code's label, or the text itself when the administrator added their own. */
export function processLabel(code: string, locale: string): string {
  const option = PROCESSES.find((o) => o.value === code);
  return option ? localText(option.label, locale) : code;
}

/** Audit actions the server writes, for the filter's suggestions. */
export { AUDIT_ACTIONS } from '../../domain/audit-actions.js';
