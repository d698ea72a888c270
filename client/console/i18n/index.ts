// The console's languages, all complete: English and French (WCO's working languages), Spanish
// and Arabic (right to left), as on the reporting page.
import { dirOf, languagePack, type Translate } from '../../../domain/text.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { ar } from './ar.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { MessageKey } from './en.js';

export const catalogues: Record<string, Catalogue> = { en, fr, es, ar };

export const { LANGUAGES, LOCALES, initialLocale, makeT } = languagePack<MessageKey>(en, catalogues, [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'ar', name: 'العربية' },
]);

export type T = Translate<MessageKey>;

export { dirOf };
