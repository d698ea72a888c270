// The console's catalogues: French, Spanish and Arabic are complete, no text is empty, placeholders
// match English's, and every category code has a short name in every language.
import t from 'tap';
import { en } from '../../client/console/i18n/en.js';
import { fr } from '../../client/console/i18n/fr.js';
import { ar } from '../../client/console/i18n/ar.js';
import { es } from '../../client/console/i18n/es.js';
import { catalogues, initialLocale, makeT } from '../../client/console/i18n/index.js';
import { CATEGORY_CODES } from '../../domain/categories.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

t.test('French, Spanish and Arabic have every key, none empty, with the same placeholders', async (t) => {
  t.same(Object.keys(catalogues).sort(), ['ar', 'en', 'es', 'fr']);
  for (const [locale, catalogue] of Object.entries({ fr, es, ar })) {
    t.same(Object.keys(catalogue).sort(), Object.keys(en).sort(), `${locale} has every key`);
    const same: string[] = [];
    for (const [key, text] of Object.entries(en)) {
      const translated = (catalogue as Record<string, string>)[key]!;
      if (!text.trim() || !translated.trim()) t.fail(`${locale} ${key} is empty`);
      if (translated === text) same.push(key);
      t.same(placeholders(translated), placeholders(text), `${locale} ${key}: same placeholders`);
    }
    // Names and codes (Sealbox, CSV, TOTP, a placeholder alone) may read the same; a catalogue
    // left in English may not.
    t.ok(same.length <= 20, `${locale}: ${same.length} texts as in English (${same.join(', ')})`);
  }
});

t.test('category codes have short names', async (t) => {
  for (const code of CATEGORY_CODES) {
    for (const [locale, catalogue] of Object.entries(catalogues)) t.ok((catalogue as Record<string, string>)[`category.${code}`], `${locale} ${code}`);
  }
});

t.test('picking a language and translating', async (t) => {
  t.equal(initialLocale(['fr-CA', 'en']), 'fr');
  t.equal(initialLocale(['de-DE']), 'en');
  t.equal(makeT('fr')('signin.submit'), 'Se connecter');
  t.equal(makeT('de')('signin.submit'), 'Sign in', 'an unknown language falls back to English');
  t.equal(makeT('en')('report.title', { date: '1 May' }), 'Report received 1 May');
});
