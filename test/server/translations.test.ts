// The server's default texts (questionnaire, channel titles and descriptions, the acknowledgement
// template, the <noscript> text and the emergency contacts) exist in every language the reporting page offers, with no stale entry in a table.
import t from 'tap';
import { defaultChannels } from '../../server/channels-default.js';
import { DEFAULT_ACKNOWLEDGEMENT } from '../../server/init.js';
import { DEFAULT_EMERGENCY, DEFAULT_NOSCRIPT } from '../../server/plugins/static-pages.js';
import { defaultQuestionnaire } from '../../domain/defaults/questionnaire.js';
import { CATEGORIES, PROCESSES } from '../../domain/categories.js';
import { type Field } from '../../domain/questionnaire.js';
import { type LocalText } from '../../domain/vocabulary.js';
import { TRANSLATIONS, withTranslations } from '../../domain/defaults/translations/index.js';
import { LOCALES } from '../../client/report/i18n/index.js';

/** Every LocalText of the defaults, with where it is. */
function defaultTexts(): [string, LocalText][] {
  const out: [string, LocalText][] = [];
  const field = (path: string, f: Field) => {
    out.push([`${path}.${f.id}`, f.label]);
    if (f.help) out.push([`${path}.${f.id} help`, f.help]);
    for (const o of f.options ?? []) out.push([`${path}.${f.id}=${o.value}`, o.label]);
    for (const sub of f.fields ?? []) field(`${path}.${f.id}`, sub);
  };
  for (const s of defaultQuestionnaire.sections) {
    out.push([s.id, s.title]);
    for (const f of s.fields) field(s.id, f);
  }
  for (const c of defaultChannels) out.push([`channel ${c.id}`, c.title], [`channel ${c.id} description`, c.description]);
  out.push(['acknowledgement template', DEFAULT_ACKNOWLEDGEMENT], ['noscript text', DEFAULT_NOSCRIPT], ['emergency contacts', DEFAULT_EMERGENCY]);
  return out;
}

t.test('every default text is in every language of the reporting page', async (t) => {
  t.same([...LOCALES].sort(), ['ar', 'en', 'es', 'fr'], 'the page offers these four');
  const texts = defaultTexts();
  t.ok(texts.length >= 90, `${texts.length} texts, all of them walked`);
  const missing = texts.flatMap(([where, text]) => LOCALES.filter((l) => !text[l]?.trim()).map((l) => `${where} (${l})`));
  t.same(missing, [], 'no text lacks a language');
});

t.test('the tables hold only texts the defaults use, with the same placeholders and no stray whitespace', async (t) => {
  const english = new Set(defaultTexts().map(([, text]) => text.en));
  for (const [locale, table] of Object.entries(TRANSLATIONS)) {
    t.same(Object.keys(table).filter((en) => !english.has(en)), [], `${locale}: no stale entry`);
    for (const [en, text] of Object.entries(table)) {
      if (text !== text.trim() || text === '' || text === en) t.fail(`${locale}: "${en}" is blank, padded or left in English`);
    }
  }
  // The categories and processes carry their four languages in domain/categories.ts: never a second copy here.
  const coded = new Set([...CATEGORIES, ...PROCESSES].map((c) => c.label.en));
  for (const [locale, table] of Object.entries(TRANSLATIONS)) t.same(Object.keys(table).filter((en) => coded.has(en)), [], `${locale}: no category or process label`);
  t.same(withTranslations('no such text', 'aucun texte'), { en: 'no such text', fr: 'aucun texte' }, 'an unknown text keeps English and French');
});
