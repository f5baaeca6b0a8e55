import { useMemo, useSyncExternalStore } from 'react';
import { getLang, setLang, subscribeLang, translator, type Catalog, type Lang, type Translate } from './core';
import { formatters, type Formatters } from './format';
import { common, type CommonKey } from './common';

/** The current language and its setter (persists to localStorage `resee.lang`, sets `<html lang>`). */
export function useLang(): [Lang, (lang: Lang) => void] {
  const lang = useSyncExternalStore(subscribeLang, getLang, getLang);
  return [lang, setLang];
}

/**
 * `const t = useMessages(messages)` → `t('key', { count: 3 })`.
 * Pass a module-level catalog (from `defineMessages`), never an inline object.
 */
export function useMessages<K extends string>(catalog: Catalog<K>): Translate<K> {
  const [lang] = useLang();
  return useMemo(() => translator(catalog, lang), [catalog, lang]);
}

/** Shared messages (nav, buttons, generic errors, validation) — `src/i18n/common.ts`. */
export function useCommon(): Translate<CommonKey> {
  return useMessages(common);
}

/** Intl formatters in the current language: `const f = useFormat(); f.date(iso)`. */
export function useFormat(): Formatters {
  const [lang] = useLang();
  return useMemo(() => formatters(lang), [lang]);
}
