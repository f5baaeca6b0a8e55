// "D-day" labels for the next review: D-3 (in three days), today, D+2 (two days overdue),
// counted in local calendar dates (not 24-hour periods).
import { calendarDaysBetween } from './dates';

/** Days from today until `due` (0 today, > 0 later, < 0 overdue), or null without a date. */
export function daysUntil(due: string | Date | null | undefined, now: Date = new Date()): number | null {
  if (due === null || due === undefined || due === '') return null;
  const parsed = typeof due === 'string' ? new Date(due) : due;
  if (typeof due === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(due) && Number.isNaN(parsed.getTime())) return null;
  return calendarDaysBetween(now, due);
}

export type DDayTone = 'today' | 'overdue' | 'upcoming';

export interface DDay {
  days: number;
  /** "D-3", "D+2", or `todayLabel` */
  label: string;
  tone: DDayTone;
}

/** The D-day of `due` relative to `now`; `todayLabel` is the word for 0 ("오늘" / "Today"). */
export function dDay(
  due: string | Date | null | undefined,
  todayLabel: string,
  now: Date = new Date(),
): DDay | null {
  const days = daysUntil(due, now);
  if (days === null) return null;
  if (days === 0) return { days, label: todayLabel, tone: 'today' };
  if (days > 0) return { days, label: `D-${days}`, tone: 'upcoming' };
  return { days, label: `D+${-days}`, tone: 'overdue' };
}
