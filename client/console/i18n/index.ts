// The console's languages: English and French, both complete (WCO's working languages).
import { dirOf, pickLocale, translator, type Translate } from '../../shared/i18n.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type { MessageKey } from './en.js';

export const catalogues: Record<string, Catalogue> = { en, fr };

/** Each language named in itself, for the switcher. */
export const LANGUAGES: Array<{ code: string; name: string }> = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
];

export const LOCALES = LANGUAGES.map((l) => l.code);

export const initialLocale = (preferred: readonly string[]): string => pickLocale(preferred, LOCALES, 'en');

export type T = Translate<MessageKey>;

export function makeT(locale: string): T {
  return translator<MessageKey>(en, catalogues[locale] ?? {});
}

export { dirOf };
