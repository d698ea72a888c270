// The reporter's answers laid out by the channel's questionnaire (domain/questionnaire.ts
// layoutAnswers): section titles and field labels in the reader's language, choices by their
// labels, repeatable groups as numbered entries. Keys the questionnaire does not know (an older or
// newer version) are shown as they are, never dropped.
import { layoutAnswers, type Questionnaire, type ShownRow, type ShownValue } from '../../domain/questionnaire.js';
import { useApp } from './context.js';

export function Answers({ answers, questionnaire }: { answers: Record<string, unknown>; questionnaire: Questionnaire | undefined }) {
  const { t, locale } = useApp();
  const shown = layoutAnswers(questionnaire, answers, locale);
  return (
    <div class="answers">
      {shown.sections.map((section) => (
        <section key={section.id} class={section.identity ? 'identity' : ''} aria-labelledby={`answers-${section.id}`}>
          <h3 id={`answers-${section.id}`}>{section.title}</h3>
          {section.identity && <p class="notice">{t('report.identityNote')}</p>}
          <RowList rows={section.rows} />
        </section>
      ))}
      {shown.other.length > 0 && (
        <section aria-labelledby="answers-other">
          <h3 id="answers-other">{t('report.otherAnswers')}</h3>
          <dl>
            {shown.other.map((o) => (
              <div class="answer" key={o.key}>
                <dt><code>{o.key}</code></dt>
                <dd dir="auto">{o.text}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </div>
  );
}

function RowList({ rows }: { rows: ShownRow[] }) {
  return (
    <dl>
      {rows.map((row) => (
        <div class="answer" key={row.id}>
          <dt>{row.label}</dt>
          <dd dir="auto"><Value value={row.value} /></dd>
        </div>
      ))}
    </dl>
  );
}

function Value({ value }: { value: ShownValue }) {
  const { t } = useApp();
  if (value.kind === 'yesno') return <>{t(value.yes ? 'yes' : 'no')}</>;
  if (value.kind === 'text') return <>{value.text}</>;
  return (
    <ol class="entries">
      {value.entries.map((rows, i) => (
        <li key={i} aria-label={t('report.entry', { label: value.label, n: i + 1 })}>
          <RowList rows={rows} />
        </li>
      ))}
    </ol>
  );
}
