import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, localDateKey, startOfLocalDay } from './dates';
import { dDay, daysUntil } from './dday';

// Local times: the tests run in whatever zone the machine has, so build dates locally.
const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min);

describe('dDay', () => {
  const now = at(2025, 3, 10, 9, 30);

  it('is "today" for any time on the same local day, even earlier than now', () => {
    expect(dDay(at(2025, 3, 10, 0, 1), '오늘', now)).toEqual({ days: 0, label: '오늘', tone: 'today' });
    expect(dDay(at(2025, 3, 10, 23, 59), 'Today', now)?.label).toBe('Today');
  });

  it('counts calendar days, not 24-hour periods', () => {
    // 23:59 tonight → 00:01 tomorrow is one day although only minutes apart
    expect(daysUntil(at(2025, 3, 11, 0, 1), at(2025, 3, 10, 23, 59))).toBe(1);
    expect(dDay(at(2025, 3, 13, 8), '오늘', now)).toEqual({ days: 3, label: 'D-3', tone: 'upcoming' });
  });

  it('marks overdue dates with D+', () => {
    expect(dDay(at(2025, 3, 8, 22), '오늘', now)).toEqual({ days: -2, label: 'D+2', tone: 'overdue' });
  });

  it('reads RFC 3339 strings and bare dates', () => {
    const due = at(2025, 3, 17, 15);
    expect(dDay(due.toISOString(), '오늘', now)?.label).toBe('D-7');
    expect(dDay('2025-03-09', '오늘', now)?.label).toBe('D+1');
  });

  it('is null without a date', () => {
    expect(dDay(null, '오늘', now)).toBeNull();
    expect(dDay(undefined, '오늘', now)).toBeNull();
    expect(dDay('not a date', '오늘', now)).toBeNull();
  });

  it('crosses month and year ends', () => {
    expect(daysUntil(at(2026, 1, 1), at(2025, 12, 31, 23))).toBe(1);
    expect(daysUntil(at(2025, 3, 1), at(2025, 2, 28))).toBe(1);
  });
});

describe('dates', () => {
  it('reads YYYY-MM-DD as a local date and formats it back', () => {
    const d = startOfLocalDay('2025-07-04');
    expect(d.getHours()).toBe(0);
    expect(localDateKey(d)).toBe('2025-07-04');
    expect(calendarDaysBetween('2025-07-04', '2025-08-04')).toBe(31);
  });
});
