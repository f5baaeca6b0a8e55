// Dates and numbers through Intl in the current language.
import type { Lang } from './core';

export type DateInput = Date | string | number;

function toDate(value: DateInput): Date {
  if (value instanceof Date) return value;
  // A bare `YYYY-MM-DD` is a calendar date: read it as local midnight, not UTC.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d);
  }
  return new Date(value);
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

export interface Formatters {
  lang: Lang;
  /** 2025. 3. 1. / Mar 1, 2025 */
  date(value: DateInput, options?: Intl.DateTimeFormatOptions): string;
  /** date and time, short */
  dateTime(value: DateInput, options?: Intl.DateTimeFormatOptions): string;
  time(value: DateInput): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(value: number, fractionDigits?: number): string;
  /** "3일 후" / "in 3 days", relative to now */
  relative(value: DateInput, now?: Date): string;
}

// Building an Intl formatter costs far more than using one (a year heatmap formats hundreds of
// dates a render), so each language + options pair is built once and reused.
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  kind: string,
  lang: Lang,
  options: object | undefined,
  make: () => T,
): T {
  const key = `${kind}|${lang}|${options ? JSON.stringify(options) : ''}`;
  let formatter = cache.get(key) as T | undefined;
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

const dateFormat = (lang: Lang, options: Intl.DateTimeFormatOptions) =>
  cached('date', lang, options, () => new Intl.DateTimeFormat(lang, options));
const numberFormat = (lang: Lang, options?: Intl.NumberFormatOptions) =>
  cached('number', lang, options, () => new Intl.NumberFormat(lang, options));

export function formatters(lang: Lang): Formatters {
  return {
    lang,
    date: (value, options = { dateStyle: 'medium' }) => dateFormat(lang, options).format(toDate(value)),
    dateTime: (value, options = { dateStyle: 'medium', timeStyle: 'short' }) =>
      dateFormat(lang, options).format(toDate(value)),
    time: (value) => dateFormat(lang, { timeStyle: 'short' }).format(toDate(value)),
    number: (value, options) => numberFormat(lang, options).format(value),
    percent: (value, fractionDigits = 0) =>
      numberFormat(lang, { style: 'percent', maximumFractionDigits: fractionDigits }).format(value / 100),
    relative: (value, now = new Date()) => {
      const seconds = Math.round((toDate(value).getTime() - now.getTime()) / 1000);
      const rtf = cached('relative', lang, undefined, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }));
      for (const [unit, size] of RELATIVE_UNITS) {
        if (Math.abs(seconds) >= size || unit === 'second') {
          return rtf.format(Math.round(seconds / size), unit);
        }
      }
      return rtf.format(0, 'second');
    },
  };
}
