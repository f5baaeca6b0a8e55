// Calendar-date helpers in the browser's local time zone (the API reports dates in the user's
// zone, which is normally the browser's). A bare `YYYY-MM-DD` is a local calendar date.

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of the calendar day of `value` (`YYYY-MM-DD`, an RFC 3339 string or a Date). */
export function startOfLocalDay(value: string | Date): Date {
  if (typeof value === 'string') {
    const m = DATE_ONLY.exec(value);
    if (m) return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  }
  const d = typeof value === 'string' ? new Date(value) : value;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** `YYYY-MM-DD` of the local calendar day of `d`. */
export function localDateKey(d: Date): string {
  const mm = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier); DST-safe. */
export function calendarDaysBetween(from: string | Date, to: string | Date): number {
  const a = startOfLocalDay(from);
  const b = startOfLocalDay(to);
  const utcA = Date.UTC(a.getFullYear(), a.getMonth(), a.getDate());
  const utcB = Date.UTC(b.getFullYear(), b.getMonth(), b.getDate());
  return Math.round((utcB - utcA) / 86_400_000);
}

/** Monday = 0 … Sunday = 6 for a local date. */
export function weekdayMondayFirst(d: Date): number {
  return (d.getDay() + 6) % 7;
}
