// Tiny typed i18n: no dependencies, no React. See ./react.ts for the hooks.
//
// A "catalog" is `{ ko: {...}, en: {...} }`. Korean is the source of truth: `defineMessages`
// makes TypeScript reject an `en` object whose keys differ from `ko` (missing or extra keys).

export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];
export const DEFAULT_LANG: Lang = 'ko';
export const LANG_STORAGE_KEY = 'resee.lang';

/** Plural forms keyed by `Intl.PluralRules` categories; `other` is required. Korean only ever uses `other`. */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}
export type Message = string | PluralMessage;
export type Params = Record<string, string | number>;

export interface Catalog<K extends string> {
  ko: Record<K, Message>;
  en: Record<K, Message>;
}

/** Declare a feature's messages. `en` must have exactly the keys of `ko`. */
export function defineMessages<K extends string>(catalog: {
  ko: Record<K, Message>;
  en: Record<NoInfer<K>, Message>;
}): Catalog<K> {
  return catalog;
}

export function isLang(value: unknown): value is Lang {
  return value === 'ko' || value === 'en';
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();
const pluralRules = new Map<Lang, Intl.PluralRules>();

function numberFormat(lang: Lang): Intl.NumberFormat {
  let f = numberFormats.get(lang);
  if (!f) {
    f = new Intl.NumberFormat(lang);
    numberFormats.set(lang, f);
  }
  return f;
}

function pluralRule(lang: Lang): Intl.PluralRules {
  let r = pluralRules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(lang);
    pluralRules.set(lang, r);
  }
  return r;
}

/** Replace `{name}` placeholders; numbers are formatted for the language; unknown names stay as they are. */
export function interpolate(text: string, params: Params | undefined, lang: Lang): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numberFormat(lang).format(value) : value;
  });
}

function pick(message: Message, params: Params | undefined, lang: Lang): string {
  if (typeof message === 'string') return message;
  const count = params?.count;
  if (typeof count !== 'number') return message.other;
  if (count === 0 && message.zero !== undefined) return message.zero;
  const category = pluralRule(lang).select(count);
  return message[category] ?? message.other;
}

/**
 * Look a key up in `lang`, falling back to Korean, then to the key itself
 * (so a missing translation is visible but never crashes).
 */
export function translate<K extends string>(catalog: Catalog<K>, lang: Lang, key: K, params?: Params): string {
  const message = catalog[lang][key] ?? catalog[DEFAULT_LANG][key];
  if (message === undefined) return key;
  return interpolate(pick(message, params, lang), params, lang);
}

export type Translate<K extends string> = (key: K, params?: Params) => string;

export function translator<K extends string>(catalog: Catalog<K>, lang: Lang): Translate<K> {
  return (key, params) => translate(catalog, lang, key, params);
}

// ---- the current language (a tiny external store, readable outside React, e.g. by the api client)

let current: Lang = DEFAULT_LANG;
const listeners = new Set<() => void>();

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(LANG_STORAGE_KEY);
    return isLang(stored) ? stored : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

function applyLang(lang: Lang): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

/** (Re)read the persisted language and apply it to `<html lang>`. Called once at startup. */
export function initLang(): Lang {
  current = readStoredLang();
  applyLang(current);
  for (const l of listeners) l();
  return current;
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  applyLang(lang);
  for (const l of listeners) l();
}

export function subscribeLang(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

initLang();
