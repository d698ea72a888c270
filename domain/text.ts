// Text in several languages, for every room: picking a language, filling in placeholders, the
// direction a language is written in, choosing a translation from a `{locale: text}` record, sizes.

/** Languages written right to left: the page sets `dir="rtl"` for them. */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

export const dirOf = (locale: string): 'ltr' | 'rtl' => (RTL.has(baseOf(locale)) ? 'rtl' : 'ltr');

const baseOf = (tag: string): string => tag.toLowerCase().split(/[-_]/)[0] ?? '';

/**
 * The first of the browser's preferred languages (`navigator.languages`) that the page has,
 * matched on the base language (`fr-CA` → `fr`); otherwise `fallback`.
 */
export function pickLocale(preferred: readonly string[], available: readonly string[], fallback: string): string {
  for (const tag of preferred) {
    const base = baseOf(tag);
    if (available.includes(base)) return base;
  }
  return fallback;
}

export type Params = Record<string, string | number>;

/** Replaces `{name}` with `params.name`; unknown placeholders stay visible so a gap is noticed. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => (name in params ? String(params[name]) : all));
}

/** A translator over a complete base catalogue and a possibly partial one for the locale. */
export function translator<K extends string>(base: Record<K, string>, local: Partial<Record<K, string>>) {
  return (key: K, params?: Params): string => format(local[key] ?? base[key], params);
}

export type Translate<K extends string = string> = (key: K, params?: Params) => string;

/**
 * A page's languages: `base` is the complete catalogue (English), `catalogues` every language by
 * its code (complete or partial), `languages` each named in itself for the switcher, in order.
 */
export function languagePack<K extends string>(base: Record<K, string>, catalogues: Record<string, Partial<Record<K, string>>>, languages: Array<{ code: string; name: string }>) {
  const locales = languages.map((l) => l.code);
  return {
    LANGUAGES: languages,
    LOCALES: locales,
    initialLocale: (preferred: readonly string[]): string => pickLocale(preferred, locales, languages[0]!.code),
    makeT: (locale: string): Translate<K> => translator<K>(base, catalogues[locale] ?? {}),
  };
}

/** Text from a server record `{en: …, fr: …}`: the locale, else English, else the first there is. */
export function localText(record: Record<string, string> | string | undefined | null, locale: string): string {
  if (record === undefined || record === null) return '';
  if (typeof record === 'string') return record;
  return record[locale] ?? record.en ?? Object.values(record)[0] ?? '';
}

/** `12 MB`-style sizes, in the locale's number format. */
export function formatBytes(n: number, locale: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
