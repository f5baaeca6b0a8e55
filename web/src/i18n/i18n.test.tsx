import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  defineMessages,
  getLang,
  initLang,
  LANG_STORAGE_KEY,
  setLang,
  translate,
  type Catalog,
} from './core';
import { formatters } from './format';
import { useMessages } from './react';

const messages = defineMessages({
  ko: {
    hello: '안녕하세요, {name}님',
    cards: '카드 {count}장',
    onlyKo: '한국어만',
  },
  en: {
    hello: 'Hello, {name}',
    cards: { zero: 'No cards', one: '{count} card', other: '{count} cards' },
    onlyKo: 'English too',
  },
});

describe('translate', () => {
  it('interpolates parameters and formats numbers for the language', () => {
    expect(translate(messages, 'ko', 'hello', { name: '민수' })).toBe('안녕하세요, 민수님');
    expect(translate(messages, 'en', 'cards', { count: 1234 })).toBe('1,234 cards');
  });

  it('picks English plural forms; Korean has one form', () => {
    expect(translate(messages, 'en', 'cards', { count: 0 })).toBe('No cards');
    expect(translate(messages, 'en', 'cards', { count: 1 })).toBe('1 card');
    expect(translate(messages, 'en', 'cards', { count: 2 })).toBe('2 cards');
    expect(translate(messages, 'ko', 'cards', { count: 1 })).toBe('카드 1장');
  });

  it('falls back to Korean, then to the key', () => {
    const partial = { ko: messages.ko, en: { hello: 'Hello, {name}' } } as unknown as Catalog<keyof typeof messages.ko>;
    expect(translate(partial, 'en', 'onlyKo')).toBe('한국어만');
    expect(translate(partial, 'en', 'nope' as 'onlyKo')).toBe('nope');
  });

  it('leaves unknown placeholders as they are', () => {
    expect(translate(messages, 'en', 'hello')).toBe('Hello, {name}');
  });
});

describe('language store', () => {
  it('defaults to Korean', () => {
    expect(initLang()).toBe('ko');
    expect(document.documentElement.lang).toBe('ko');
  });

  it('persists the choice and sets <html lang>', () => {
    setLang('en');
    expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
    expect(document.documentElement.lang).toBe('en');
    expect(initLang()).toBe('en'); // as after a reload
  });

  it('ignores an invalid stored value', () => {
    localStorage.setItem(LANG_STORAGE_KEY, 'fr');
    expect(initLang()).toBe('ko');
    expect(getLang()).toBe('ko');
  });
});

describe('useMessages', () => {
  function Greeting() {
    const t = useMessages(messages);
    return <p>{t('hello', { name: 'Ana' })}</p>;
  }

  it('re-renders when the language changes', () => {
    render(<Greeting />);
    expect(screen.getByText('안녕하세요, Ana님')).toBeInTheDocument();
    act(() => setLang('en'));
    expect(screen.getByText('Hello, Ana')).toBeInTheDocument();
  });
});

describe('formatters', () => {
  it('formats dates and numbers with Intl in the language', () => {
    expect(formatters('en').number(12345.5)).toBe('12,345.5');
    expect(formatters('en').date('2025-03-01')).toBe('Mar 1, 2025');
    expect(formatters('ko').date('2025-03-01')).toBe('2025. 3. 1.');
    expect(formatters('en').percent(85)).toBe('85%');
    const now = new Date('2025-03-01T00:00:00Z');
    expect(formatters('en').relative(new Date('2025-03-04T00:00:00Z'), now)).toBe('in 3 days');
    expect(formatters('ko').relative(new Date('2025-03-02T00:00:00Z'), now)).toBe('내일');
  });
});

// Type-level checks: the en catalog must have exactly the keys of ko.
defineMessages({
  ko: { a: 'ㄱ', b: 'ㄴ' },
  // @ts-expect-error — missing key "b"
  en: { a: 'a' },
});
defineMessages({
  ko: { a: 'ㄱ' },
  // @ts-expect-error — unknown key "c"
  en: { a: 'a', c: 'c' },
});
