export {
  defineMessages,
  getLang,
  setLang,
  subscribeLang,
  translate,
  translator,
  interpolate,
  initLang,
  isLang,
  LANGS,
  DEFAULT_LANG,
  LANG_STORAGE_KEY,
  type Lang,
  type Message,
  type PluralMessage,
  type Params,
  type Catalog,
  type Translate,
} from './core';
export { formatters, type Formatters, type DateInput } from './format';
export { common, tCommon, type CommonKey } from './common';
export { useLang, useMessages, useCommon, useFormat } from './react';
