// Checks a questionnaire file before it replaces a channel's: the shape the server accepts, and the
// field types the reporting page can render. Returns every problem found, each naming where it is.
import type { Questionnaire } from './types.js';

export const FIELD_TYPES = ['select', 'multiselect', 'text', 'textarea', 'date', 'yesno', 'group', 'number'] as const;

export type Problem = { path: string; problem: 'notJson' | 'notObject' | 'missing' | 'type' | 'empty' | 'duplicate' | 'fieldType' | 'tooMany' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): boolean => isRecord(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'string');

function checkFields(fields: unknown, path: string, out: Problem[]): void {
  if (!Array.isArray(fields)) {
    out.push({ path, problem: 'missing' });
    return;
  }
  if (fields.length > 200) out.push({ path, problem: 'tooMany' });
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(f)) {
      out.push({ path: at, problem: 'notObject' });
      return;
    }
    if (typeof f.id !== 'string' || f.id === '') out.push({ path: `${at}.id`, problem: 'missing' });
    else if (seen.has(f.id)) out.push({ path: `${at}.id`, problem: 'duplicate' });
    else seen.add(f.id);
    if (!FIELD_TYPES.includes(f.type as (typeof FIELD_TYPES)[number])) out.push({ path: `${at}.type`, problem: 'fieldType' });
    if (!isText(f.label)) out.push({ path: `${at}.label`, problem: 'missing' });
    if (f.type === 'select' || f.type === 'multiselect') {
      if (!Array.isArray(f.options) || f.options.length === 0) out.push({ path: `${at}.options`, problem: 'empty' });
      else f.options.forEach((o, j) => {
        if (!isRecord(o) || typeof o.value !== 'string' || !isText(o.label)) out.push({ path: `${at}.options[${j}]`, problem: 'missing' });
      });
    }
    if (f.type === 'group') checkFields(f.fields, `${at}.fields`, out);
  });
}

/** Parses and checks; `value` is set only when there is no problem. */
export function checkQuestionnaire(text: string): { value?: Questionnaire; problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { problems: [{ path: '', problem: 'notJson' }] };
  }
  const out: Problem[] = [];
  if (!isRecord(data)) return { problems: [{ path: '', problem: 'notObject' }] };
  if (typeof data.id !== 'string' || data.id === '' || data.id.length > 100) out.push({ path: 'id', problem: 'missing' });
  if (!Number.isInteger(data.version) || (data.version as number) < 1) out.push({ path: 'version', problem: 'type' });
  if (!Array.isArray(data.sections) || data.sections.length === 0) out.push({ path: 'sections', problem: 'empty' });
  else {
    if (data.sections.length > 50) out.push({ path: 'sections', problem: 'tooMany' });
    const seen = new Set<string>();
    data.sections.forEach((s, i) => {
      const at = `sections[${i}]`;
      if (!isRecord(s)) {
        out.push({ path: at, problem: 'notObject' });
        return;
      }
      if (typeof s.id !== 'string' || s.id === '') out.push({ path: `${at}.id`, problem: 'missing' });
      else if (seen.has(s.id)) out.push({ path: `${at}.id`, problem: 'duplicate' });
      else seen.add(s.id);
      if (!isText(s.title)) out.push({ path: `${at}.title`, problem: 'missing' });
      checkFields(s.fields, `${at}.fields`, out);
    });
  }
  return out.length === 0 ? { value: data as unknown as Questionnaire, problems: [] } : { problems: out };
}
