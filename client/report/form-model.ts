// The report form as data: empty values from a questionnaire, validation with zod, and the
// answers object that is encrypted. Answers are keyed by field id; the identity section (when
// the reporter chose to fill it in) sits under its section id, so the unit sees it apart.
// yes/no answers become booleans, empty answers are left out, and empty group entries dropped.
import * as z from 'zod/mini';
import type { Answers, Field, Questionnaire, Section } from './types.js';

export type GroupEntry = Record<string, string>;
export type FieldValue = string | string[] | GroupEntry[];
export type FormValues = Record<string, FieldValue>;

/** A problem with one control; `path` is `field`, or `group.index.field` inside a group. */
export interface FieldError {
  path: string;
  key: 'error.required' | 'error.tooLong' | 'error.invalidChoice' | 'error.invalidDate' | 'error.invalidNumber' | 'error.dateOrder';
  max?: number;
}

const DEFAULT_MAX = { text: 1000, textarea: 20000 } as const;

export const fieldMax = (f: Field): number => f.maxLength ?? (f.type === 'textarea' ? DEFAULT_MAX.textarea : DEFAULT_MAX.text);

/** Values for a fresh form: empty strings, empty lists, and one empty entry per repeatable group. */
export function emptyValues(q: Questionnaire): FormValues {
  const values: FormValues = {};
  for (const section of q.sections) {
    for (const f of section.fields) values[key(section, f)] = f.type === 'multiselect' ? [] : f.type === 'group' ? [emptyEntry(f)] : '';
  }
  return values;
}

export const emptyEntry = (group: Field): GroupEntry => Object.fromEntries((group.fields ?? []).map((f) => [f.id, '']));

/** The key of a field in the form values: its id, prefixed by the section for the identity section. */
export const key = (section: Section, f: Field): string => (section.identity ? `${section.id}.${f.id}` : f.id);

function scalar(f: Field): z.ZodMiniType {
  const required = f.required === true;
  switch (f.type) {
    case 'select':
    case 'yesno': {
      const allowed = f.type === 'yesno' ? ['yes', 'no'] : (f.options ?? []).map((o) => o.value);
      return z.string().check(z.refine((v) => (v === '' ? !required : allowed.includes(v)), { message: v(required) }));
    }
    case 'date':
      return z.string().check(z.refine((v) => v !== '' || !required, { message: 'error.required' }),
        z.refine((v) => v === '' || isDate(v), { message: 'error.invalidDate' }));
    case 'number':
      return z.string().check(z.refine((v) => v !== '' || !required, { message: 'error.required' }),
        z.refine((v) => v === '' || /^-?\d+([.,]\d+)?$/.test(v), { message: 'error.invalidNumber' }));
    default:
      return z.string().check(z.refine((v) => v.trim() !== '' || !required, { message: 'error.required' }),
        z.maxLength(fieldMax(f), { message: 'error.tooLong' }));
  }
}

const v = (required: boolean): string => (required ? 'error.required' : 'error.invalidChoice');

function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

function fieldSchema(f: Field): z.ZodMiniType {
  if (f.type === 'multiselect') {
    const allowed = (f.options ?? []).map((o) => o.value);
    return z.array(z.string().check(z.refine((x) => allowed.includes(x), { message: 'error.invalidChoice' })))
      .check(z.refine((a) => a.length > 0 || f.required !== true, { message: 'error.required' }));
  }
  if (f.type === 'group') {
    const entry = z.object(Object.fromEntries((f.fields ?? []).map((g) => [g.id, scalar(g)])));
    return z.array(entry);
  }
  return scalar(f);
}

/** The zod schema of the whole form; the identity section only when the reporter turned it on. */
export function formSchema(q: Questionnaire, includeIdentity: boolean): z.ZodMiniType {
  const shape: Record<string, z.ZodMiniType> = {};
  for (const section of q.sections) {
    if (section.identity && !includeIdentity) continue;
    for (const f of section.fields) shape[key(section, f)] = fieldSchema(f);
  }
  return z.object(shape);
}

/** Validates the form; errors come in the questionnaire's order, so the first is the first control. */
export function validate(q: Questionnaire, values: FormValues, includeIdentity: boolean): { ok: true; answers: Answers } | { ok: false; errors: FieldError[] } {
  const result = formSchema(q, includeIdentity).safeParse(values);
  const errors: FieldError[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      if (errors.some((e) => e.path === path)) continue;
      const error: FieldError = { path, key: issue.message as FieldError['key'] };
      if (error.key === 'error.tooLong') error.max = fieldByPath(q, path)?.maxLength ?? fieldMax(fieldByPath(q, path)!);
      errors.push(error);
    }
  }
  const from = values.dateFrom;
  const to = values.dateTo;
  if (typeof from === 'string' && typeof to === 'string' && isDate(from) && isDate(to) && to < from && !errors.some((e) => e.path === 'dateTo')) {
    errors.push({ path: 'dateTo', key: 'error.dateOrder' });
  }
  if (errors.length > 0) {
    const order = paths(q, values);
    errors.sort((a, b) => order.indexOf(a.path) - order.indexOf(b.path));
    return { ok: false, errors };
  }
  return { ok: true, answers: toAnswers(q, values, includeIdentity) };
}

/** Every control's path in the order the form shows them. */
function paths(q: Questionnaire, values: FormValues): string[] {
  const out: string[] = [];
  for (const section of q.sections) {
    for (const f of section.fields) {
      const k = key(section, f);
      if (f.type === 'group') {
        const entries = values[k];
        (Array.isArray(entries) ? entries : []).forEach((_, i) => (f.fields ?? []).forEach((g) => out.push(`${k}.${i}.${g.id}`)));
      } else out.push(k);
    }
  }
  return out;
}

/** The field a path names (inside groups too). */
export function fieldByPath(q: Questionnaire, path: string): Field | undefined {
  const [first, , inner] = path.split('.');
  for (const section of q.sections) {
    for (const f of section.fields) {
      if (section.identity ? path.startsWith(`${section.id}.`) && `${section.id}.${f.id}` === path : f.id === first) {
        return inner !== undefined && f.type === 'group' ? f.fields?.find((g) => g.id === inner) : f;
      }
    }
  }
  return undefined;
}

function clean(f: Field, value: FieldValue | undefined): unknown {
  if (f.type === 'multiselect') return Array.isArray(value) && value.length > 0 ? value : undefined;
  if (f.type === 'group') {
    const entries = (Array.isArray(value) ? (value as GroupEntry[]) : [])
      .map((e) => Object.fromEntries(Object.entries(e).map(([k, x]) => [k, x.trim()]).filter(([, x]) => x !== '')))
      .filter((e) => Object.keys(e).length > 0);
    return entries.length > 0 ? entries : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (f.type === 'yesno') return value === 'yes';
  return f.type === 'textarea' ? value.replace(/\s+$/, '') : value.trim();
}

export function toAnswers(q: Questionnaire, values: FormValues, includeIdentity: boolean): Answers {
  const answers: Answers = {};
  for (const section of q.sections) {
    if (section.identity && !includeIdentity) continue;
    const target: Answers = section.identity ? {} : answers;
    for (const f of section.fields) {
      const value = clean(f, values[key(section, f)]);
      if (value !== undefined) target[f.id] = value;
    }
    if (section.identity && Object.keys(target).length > 0) answers[section.id] = target;
  }
  return answers;
}

/** True when a field marked `emergency` is answered yes: the page shows emergency contacts first. */
export function isEmergency(q: Questionnaire, values: FormValues): boolean {
  return q.sections.some((s) => s.fields.some((f) => f.emergency === true && values[key(s, f)] === 'yes'));
}
