// The page's languages: English and French complete; Spanish and Arabic for the main path.
import { dirOf, pickLocale, translator, type Translate } from '../../shared/i18n.js';
import { ar } from './ar.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { MessageKey } from './en.js';

const catalogues: Record<string, Partial<Catalogue>> = { en, fr, es, ar };

/** Each language named in itself, for the switcher. */
export const LANGUAGES: Array<{ code: string; name: string }> = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'ar', name: 'العربية' },
];

export const LOCALES = LANGUAGES.map((l) => l.code);

export const initialLocale = (preferred: readonly string[]): string => pickLocale(preferred, LOCALES, 'en');

export type T = Translate<MessageKey>;

export function makeT(locale: string): T {
  return translator<MessageKey>(en, catalogues[locale] ?? {});
}

export { dirOf };
