// The questionnaire as readers meet it: its types (from the one schema in
// domain/questionnaire-schema.ts), the reference report content names it by, and the one walk from
// a reporter's answers to what a reader sees (the reporting page's follow-up, the console's report
// view, the case transcript).
import type { Field, Questionnaire } from './questionnaire-schema.js';
import { localText } from './text.js';

export type { Field, FieldType, Questionnaire, Section } from './questionnaire-schema.js';
export type { LocalText } from './vocabulary.js';

/** `{id}@{version}`: what report content names as the questionnaire its answers follow. */
export const questionnaireRef = (q: Pick<Questionnaire, 'id' | 'version'>): string => `${q.id}@${q.version}`;

// ---- answers as a reader sees them ----------------------------------------------------------------

/** One answer, ready to show: the renderer only chooses the words for yes and no. */
export type ShownValue =
  | { kind: 'text'; text: string }
  | { kind: 'yesno'; yes: boolean }
  | { kind: 'entries'; label: string; entries: ShownRow[][] };

export interface ShownRow {
  id: string;
  label: string;
  value: ShownValue;
}

export interface ShownSection {
  id: string;
  title: string;
  identity: boolean;
  rows: ShownRow[];
}

export interface ShownAnswers {
  sections: ShownSection[];
  /** Keys the questionnaire does not know (an older or newer version): shown as they are, never dropped. */
  other: Array<{ key: string; text: string }>;
}

export const isEmptyAnswer = (v: unknown): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
  || (typeof v === 'object' && !Array.isArray(v) && Object.values(v as object).every(isEmptyAnswer));

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function optionText(f: Field | undefined, v: unknown, locale: string): string {
  const o = f?.options?.find((x) => x.value === v);
  return o ? localText(o.label, locale) : asText(v);
}

function shown(f: Field | undefined, v: unknown, locale: string): ShownValue {
  if (typeof v === 'boolean') return { kind: 'yesno', yes: v };
  if (f?.type === 'group' && v && typeof v === 'object') {
    const entries = (Array.isArray(v) ? v : [v]).filter((e) => !isEmptyAnswer(e)) as Record<string, unknown>[];
    return { kind: 'entries', label: localText(f.label, locale), entries: entries.map((entry) => rowsOf(f.fields ?? [], entry, locale, true)) };
  }
  if (Array.isArray(v)) return { kind: 'text', text: v.map((x) => optionText(f, x, locale)).join(', ') };
  return { kind: 'text', text: optionText(f, v, locale) };
}

/** The non-empty answers to `fields`, in their order; with `extra`, keys they do not name follow as plain text. */
function rowsOf(fields: Field[], values: Record<string, unknown>, locale: string, extra = false): ShownRow[] {
  const rows = fields.filter((f) => !isEmptyAnswer(values[f.id]))
    .map((f) => ({ id: f.id, label: localText(f.label, locale) || f.id, value: shown(f, values[f.id], locale) }));
  if (!extra) return rows;
  const unknown = Object.keys(values).filter((k) => !fields.some((f) => f.id === k) && !isEmptyAnswer(values[k]));
  return [...rows, ...unknown.map((k) => ({ id: k, label: k, value: shown(undefined, values[k], locale) }))];
}

/**
 * Lays a reporter's answers out by the questionnaire: section titles and field labels in the
 * reader's language, choices by their labels, groups as entries, the identity section apart.
 * Without the questionnaire (or for keys it does not know) the answers are listed as they are.
 */
export function layoutAnswers(questionnaire: Questionnaire | undefined, answers: Record<string, unknown>, locale: string): ShownAnswers {
  const known = new Set<string>();
  const sections = (questionnaire?.sections ?? []).map((s) => {
    const source = s.identity ? (answers[s.id] as Record<string, unknown> | undefined) ?? {} : answers;
    if (s.identity) known.add(s.id);
    else for (const f of s.fields) known.add(f.id);
    return { id: s.id, title: localText(s.title, locale) || s.id, identity: s.identity === true, rows: rowsOf(s.fields, source, locale) };
  }).filter((s) => s.rows.length > 0);
  const other = Object.keys(answers).filter((k) => !known.has(k) && !isEmptyAnswer(answers[k])).map((key) => ({ key, text: asText(answers[key]) }));
  return { sections, other };
}
