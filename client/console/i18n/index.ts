// The console's languages: English and French, both complete (WCO's working languages).
import { dirOf, languagePack, type Translate } from '../../shared/i18n.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { fr } from './fr.js';

export type { MessageKey } from './en.js';

export const catalogues: Record<string, Catalogue> = { en, fr };

export const { LANGUAGES, LOCALES, initialLocale, makeT } = languagePack<MessageKey>(en, catalogues, [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
]);

export type T = Translate<MessageKey>;

export { dirOf };
