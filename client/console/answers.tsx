// The reporter's answers laid out by the channel's questionnaire: section titles and field labels
// in the reader's language, choices by their labels, repeatable groups as numbered entries. Keys
// the questionnaire does not know (an older or newer version) are shown as they are, never dropped.
import { localText } from '../shared/i18n.js';
import { useApp } from './context.js';
import type { Field, Questionnaire } from './types.js';

const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isEmpty));

export function Answers({ answers, questionnaire }: { answers: Record<string, unknown>; questionnaire: Questionnaire | undefined }) {
  const { t, locale } = useApp();
  const known = new Set<string>();
  const sections = (questionnaire?.sections ?? []).map((section) => {
    const source = section.identity ? (answers[section.id] as Record<string, unknown> | undefined) ?? {} : answers;
    if (section.identity) known.add(section.id);
    const items = section.fields.filter((f) => {
      if (!section.identity) known.add(f.id);
      return !isEmpty(source[f.id]);
    });
    return { section, source, items };
  }).filter((s) => s.items.length > 0);
  const unknown = Object.keys(answers).filter((k) => !known.has(k) && !isEmpty(answers[k]));

  return (
    <div class="answers">
      {sections.map(({ section, source, items }) => (
        <section key={section.id} class={section.identity ? 'identity' : ''} aria-labelledby={`answers-${section.id}`}>
          <h3 id={`answers-${section.id}`}>{localText(section.title, locale) || section.id}</h3>
          {section.identity && <p class="notice">{t('report.identityNote')}</p>}
          <FieldList fields={items} values={source} />
        </section>
      ))}
      {unknown.length > 0 && (
        <section aria-labelledby="answers-other">
          <h3 id="answers-other">{t('report.otherAnswers')}</h3>
          <dl>
            {unknown.map((k) => (
              <div class="answer" key={k}>
                <dt><code>{k}</code></dt>
                <dd dir="auto">{typeof answers[k] === 'string' ? answers[k] as string : JSON.stringify(answers[k], null, 1)}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}

function FieldList({ fields, values }: { fields: Field[]; values: Record<string, unknown> }) {
  const { locale } = useApp();
  return (
    <dl>
      {fields.map((f) => (
        <div class="answer" key={f.id}>
          <dt>{localText(f.label, locale) || f.id}</dt>
          <dd dir="auto"><Value field={f} value={values[f.id]} /></dd>
        </div>
      ))}
    </dl>
  );
}

function Value({ field, value }: { field: Field | undefined; value: unknown }) {
  const { t, locale } = useApp();
  if (typeof value === 'boolean') return <>{t(value ? 'yes' : 'no')}</>;
  if (field?.type === 'group' && value && typeof value === 'object') {
    const entries = (Array.isArray(value) ? value : [value]).filter((e) => !isEmpty(e)) as Record<string, unknown>[];
    const label = localText(field.label, locale);
    return (
      <ol class="entries">
        {entries.map((entry, i) => {
          const sub = (field.fields ?? []).filter((f) => !isEmpty(entry[f.id]));
          const extra = Object.keys(entry).filter((k) => !(field.fields ?? []).some((f) => f.id === k) && !isEmpty(entry[k]));
          return (
            <li key={i} aria-label={t('report.entry', { label, n: i + 1 })}>
              <FieldList fields={[...sub, ...extra.map((k) => ({ id: k, type: 'text', label: { en: k } }) as Field)]} values={entry} />
            </li>
          );
        })}
      </ol>
    );
  }
  if (Array.isArray(value)) return <>{value.map((v) => optionText(field, v, locale)).join(', ')}</>;
  if (value && typeof value === 'object') return <>{JSON.stringify(value)}</>;
  return <>{optionText(field, value, locale)}</>;
}

function optionText(field: Field | undefined, value: unknown, locale: string): string {
  const option = field?.options?.find((o) => o.value === value);
  return option ? localText(option.label, locale) : String(value);
}

