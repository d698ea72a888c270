// The page's languages: English and French complete; Spanish and Arabic for the main path.
import { dirOf, languagePack, type Translate } from '../../../domain/text.js';
import { ar } from './ar.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { MessageKey } from './en.js';

const catalogues: Record<string, Partial<Catalogue>> = { en, fr, es, ar };

export const { LANGUAGES, LOCALES, initialLocale, makeT } = languagePack<MessageKey>(en, catalogues, [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'es', name: 'Español' },
  { code: 'ar', name: 'العربية' },
]);

export type T = Translate<MessageKey>;

export { dirOf };
