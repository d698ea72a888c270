// The questionnaire's shape, once, as one zod schema: the server checks an administrator's file
// with it, the console checks the file before sending it (with the problems an administrator is
// shown), and every questionnaire type is inferred from it. Apart from domain/questionnaire.ts so
// that the reporting page, which only lays answers out, does not carry zod's parser.
import * as z from 'zod/mini';

export const FIELD_TYPES = ['select', 'multiselect', 'text', 'textarea', 'date', 'yesno', 'group', 'number'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Text in at least one language: `{"en": "…", "fr": "…"}`. */
const text = z.record(z.string(), z.string()).check(z.refine((r) => Object.keys(r).length > 0, { message: 'missing' }));
const id = z.string().check(z.minLength(1), z.maxLength(100));

const option = z.looseObject({ value: z.string(), label: text });

export interface Field {
  id: string;
  type: FieldType;
  label: Record<string, string>;
  help?: Record<string, string> | undefined;
  required?: boolean | undefined;
  options?: Array<{ value: string; label: Record<string, string> }> | undefined;
  /** For `group`: the fields of one entry; `repeatable` lets the reporter add several. */
  fields?: Field[] | undefined;
  repeatable?: boolean | undefined;
  /** A "danger" answer of yes makes the page show emergency contacts before anything else. */
  emergency?: boolean | undefined;
  maxLength?: number | undefined;
}

/**
 * Ids must be unique among their siblings: answers are keyed by them. Checked even when some
 * sibling is wrong in another way (`when`), so that an administrator sees every problem at once.
 */
function uniqueIds(list: unknown, ctx: z.core.$RefinementCtx<unknown[]>): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((x, i) => {
    const id = typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || id === '') return;
    if (seen.has(id)) ctx.addIssue({ code: 'custom', message: 'duplicate', path: [i, 'id'], input: id });
    seen.add(id);
  });
}
const unique = z.superRefine(uniqueIds, { when: () => true }) as z.core.$ZodCheck<unknown[]>;
/** A bound on a list's length that, unlike zod's own, lets the checks after it still run. */
const atMost = (n: number) => z.superRefine((list: unknown, ctx) => {
  if (Array.isArray(list) && list.length > n) ctx.addIssue({ code: 'custom', message: 'tooMany', input: list });
}, { when: () => true }) as z.core.$ZodCheck<unknown[]>;

const fieldList = (): z.ZodMiniType<Field[]> => z.array(field).check(atMost(200), unique);

const field: z.ZodMiniType<Field> = z.looseObject({
  id,
  type: z.enum(FIELD_TYPES),
  label: text,
  help: z.optional(text),
  required: z.optional(z.boolean()),
  options: z.optional(z.array(option)),
  fields: z.optional(z.lazy(fieldList)),
  repeatable: z.optional(z.boolean()),
  emergency: z.optional(z.boolean()),
  maxLength: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(1_000_000))),
}).check(z.superRefine((f, ctx) => {
  if ((f.type === 'select' || f.type === 'multiselect') && !(f.options && f.options.length > 0)) {
    ctx.addIssue({ code: 'custom', message: 'empty', path: ['options'], input: f.options });
  }
  if (f.type === 'group' && f.fields === undefined) ctx.addIssue({ code: 'custom', message: 'missing', path: ['fields'], input: f.fields });
})) as unknown as z.ZodMiniType<Field>;

const section = z.looseObject({
  id,
  title: text,
  fields: fieldList(),
  /** The identity section: separate, optional, off by default. */
  identity: z.optional(z.boolean()),
});

export const questionnaireSchema = z.looseObject({
  id,
  version: z.number().check(z.int(), z.minimum(1)),
  sections: z.array(section).check(z.minLength(1), atMost(50), unique),
});

export type Section = z.infer<typeof section>;
export type Questionnaire = z.infer<typeof questionnaireSchema>;

// ---- what an administrator is told about a file ---------------------------------------------------

export type Problem = { path: string; problem: 'notJson' | 'notObject' | 'missing' | 'type' | 'empty' | 'duplicate' | 'fieldType' | 'tooMany' };

/** Problems are listed in the order of the file, each object's keys in this order. */
const KEY_ORDER = ['id', 'version', 'sections', 'type', 'label', 'title', 'options', 'fields'];

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '');

function problemOf(issue: z.core.$ZodIssue): Problem {
  let path = [...issue.path];
  // An option is right or wrong as a whole.
  const o = path.indexOf('options');
  if (o >= 0 && typeof path[o + 1] === 'number') path = path.slice(0, o + 2);
  const last = path.at(-1);
  let problem: Problem['problem'];
  if (issue.code === 'custom') problem = issue.message as Problem['problem'];
  else if (issue.code === 'too_big') problem = 'tooMany';
  else if (issue.code === 'invalid_value' && last === 'type') problem = 'fieldType';
  else if (issue.code === 'invalid_type' && issue.expected === 'object' && (typeof last === 'number' || last === undefined)) problem = 'notObject';
  else if (last === 'version') problem = 'type';
  else if (last === 'sections' || (issue.code === 'too_small' && last === 'options')) problem = 'empty';
  else problem = 'missing';
  return { path: pathText(path), problem };
}

function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const rank = (k: PropertyKey) => (KEY_ORDER.indexOf(String(k)) + KEY_ORDER.length + 1) % (KEY_ORDER.length + 1);
    return rank(x) - rank(y) || String(x).localeCompare(String(y));
  }
  return a.length - b.length;
}

/** Parses and checks a questionnaire file; `value` is set only when there is no problem. */
export function checkQuestionnaire(source: string): { value?: Questionnaire; problems: Problem[] } {
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch {
    return { problems: [{ path: '', problem: 'notJson' }] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { problems: [{ path: '', problem: 'notObject' }] };
  const result = questionnaireSchema.safeParse(data);
  if (result.success) return { value: result.data, problems: [] };
  const issues = [...result.error.issues].sort((a, b) => comparePaths(a.path, b.path));
  const problems: Problem[] = [];
  for (const issue of issues) {
    const p = problemOf(issue);
    // One problem per place: a missing list is not also an empty one.
    if (!problems.some((q) => q.path === p.path)) problems.push(p);
  }
  return { problems };
}
