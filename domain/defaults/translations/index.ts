// The server's default texts in the languages beyond English and French: each table is keyed by
// the English text, so that the questionnaire and channels stay readable as written (English and
// French side by side) while Spanish and Arabic are added here. test/server/translations.test.ts
// checks that every default text has both and that no table holds a text nobody uses.
import { ar } from './ar.js';
import { es } from './es.js';

export const TRANSLATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = { es, ar };

/** `{en, fr}` plus every other language that has a text for `en`. */
export function withTranslations(en: string, fr: string): Record<string, string> {
  const text: Record<string, string> = { en, fr };
  for (const [locale, table] of Object.entries(TRANSLATIONS)) {
    const translated = table[en];
    if (translated !== undefined) text[locale] = translated;
  }
  return text;
}
