// Message catalogues: language choice, placeholders, server texts, sizes, and complete catalogues.
import t from 'tap';
import { dirOf, format, formatBytes, localText, pickLocale, translator } from '../../domain/text.js';
import { en } from '../../client/report/i18n/en.js';
import { fr } from '../../client/report/i18n/fr.js';
import { es } from '../../client/report/i18n/es.js';
import { ar } from '../../client/report/i18n/ar.js';
import { initialLocale, LANGUAGES, makeT } from '../../client/report/i18n/index.js';

t.test('language from the browser, direction, placeholders', async (t) => {
  t.equal(pickLocale(['de-DE', 'fr-CA', 'en'], ['en', 'fr'], 'en'), 'fr');
  t.equal(pickLocale(['de'], ['en', 'fr'], 'en'), 'en');
  t.equal(initialLocale(['ar-EG']), 'ar');
  t.equal(initialLocale([]), 'en');
  t.equal(dirOf('ar'), 'rtl');
  t.equal(dirOf('fr-FR'), 'ltr');
  t.equal(format('{a} and {b}', { a: 1 }), '1 and {b}', 'a missing parameter stays visible');
  const tr = translator({ hi: 'Hello {name}', bye: 'Bye' }, { hi: 'Bonjour {name}' });
  t.equal(tr('hi', { name: 'A' }), 'Bonjour A');
  t.equal(tr('bye'), 'Bye', 'falls back to the base catalogue');
  t.equal(makeT('es')('receipt.label'), 'Código de recibo');
  t.not(makeT('es')('loadFailed'), en.loadFailed, 'Spanish has its own text where French does');
  t.not(makeT('ar')('submit.button'), en['submit.button'], 'and so has Arabic');
  t.equal(makeT('xx')('submit.button'), 'Submit report');
});

t.test('server texts and sizes', async (t) => {
  t.equal(localText({ en: 'E', fr: 'F' }, 'fr'), 'F');
  t.equal(localText({ en: 'E', fr: 'F' }, 'ar'), 'E');
  t.equal(localText({ de: 'D' }, 'ar'), 'D');
  t.equal(localText('plain', 'fr'), 'plain');
  t.equal(localText(undefined, 'fr'), '');
  t.equal(localText({}, 'fr'), '');
  t.equal(formatBytes(999, 'en'), '999 B');
  t.equal(formatBytes(1500, 'en'), '1.5 kB');
  t.equal(formatBytes(12_345_678, 'fr'), '12 MB');
  t.equal(formatBytes(5e12, 'en'), '5,000 GB');
});

t.test('catalogues: the key labels in English; French, Spanish and Arabic complete; no stray placeholders', async (t) => {
  t.equal(en['submit.button'], 'Submit report');
  t.equal(en['receipt.label'], 'Receipt code');
  t.same(Object.keys(fr).sort(), Object.keys(en).sort(), 'French has every key');
  t.same(Object.keys(es).sort(), Object.keys(en).sort(), 'Spanish has every key');
  t.same(Object.keys(ar).sort(), Object.keys(en).sort(), 'Arabic has every key');
  for (const [name, cat] of Object.entries({ fr, es, ar })) {
    for (const [k, text] of Object.entries(cat)) {
      const want = (en[k as keyof typeof en].match(/\{\w+\}/g) ?? []).sort();
      t.same((text!.match(/\{\w+\}/g) ?? []).sort(), want, `${name} ${k} has the same placeholders`);
      t.ok(k in en, `${name} ${k} is a known key`);
    }
  }
  t.same(LANGUAGES.map((l) => l.code), ['en', 'fr', 'es', 'ar']);
});
