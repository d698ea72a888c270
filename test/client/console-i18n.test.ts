// The console's catalogues: French is complete, no text is empty, placeholders match English's,
// and every category code has a short name in both languages.
import t from 'tap';
import { en } from '../../client/console/i18n/en.js';
import { fr } from '../../client/console/i18n/fr.js';
import { initialLocale, makeT } from '../../client/console/i18n/index.js';
import { CATEGORY_CODES } from '../../server/questionnaire-default.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

t.test('French has every key, none empty, with the same placeholders', async (t) => {
  t.same(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const [key, text] of Object.entries(en)) {
    const french = (fr as Record<string, string>)[key]!;
    t.ok(text.trim() && french.trim(), `${key} is not empty`);
    t.same(placeholders(french), placeholders(text), `${key}: same placeholders`);
  }
});

t.test('category codes have short names', async (t) => {
  for (const code of CATEGORY_CODES) {
    t.ok((en as Record<string, string>)[`category.${code}`], `en ${code}`);
    t.ok((fr as Record<string, string>)[`category.${code}`], `fr ${code}`);
  }
});

t.test('picking a language and translating', async (t) => {
  t.equal(initialLocale(['fr-CA', 'en']), 'fr');
  t.equal(initialLocale(['de-DE']), 'en');
  t.equal(makeT('fr')('signin.submit'), 'Se connecter');
  t.equal(makeT('de')('signin.submit'), 'Sign in', 'an unknown language falls back to English');
  t.equal(makeT('en')('report.title', { date: '1 May' }), 'Report received 1 May');
});
