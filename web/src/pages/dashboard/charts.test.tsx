import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/core';
import { localDateKey } from '../../lib/dates';
import { ActivityHeatmap } from './ActivityHeatmap';
import { ForecastChart } from './ForecastChart';
import { buildHeatmap, levelFor } from './heatmap';

function daysFrom(start: Date, n: number, fn: (i: number) => number) {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i);
    const reviews = fn(i);
    return { date: localDateKey(d), reviews, remembered: Math.floor(reviews / 2) };
  });
}

describe('heatmap layout', () => {
  it('puts each day in its week column and weekday row (Monday first)', () => {
    // 2025-03-05 is a Wednesday
    const map = buildHeatmap(daysFrom(new Date(2025, 2, 5), 10, (i) => i));
    expect(map.cells[0]).toMatchObject({ date: '2025-03-05', col: 0, row: 2 });
    expect(map.cells[5]).toMatchObject({ date: '2025-03-10', col: 1, row: 0 }); // Monday
    expect(map.weeks).toBe(2);
    expect(map.total).toBe(45);
    expect(map.activeDays).toBe(9);
    expect(map.best).toEqual({ date: '2025-03-14', reviews: 9 });
  });

  it('scales levels in quarters of the busiest day', () => {
    expect([0, 1, 3, 5, 8].map((n) => levelFor(n, 8))).toEqual([0, 1, 2, 3, 4]);
    expect(levelFor(3, 0)).toBe(0);
  });
});

describe('ActivityHeatmap', () => {
  it('draws one cell per day with titles and a text summary', () => {
    const days = daysFrom(new Date(2024, 2, 11), 365, (i) => (i % 10 === 0 ? 4 : i % 3 === 0 ? 1 : 0));
    const { container } = render(<ActivityHeatmap days={days} />);
    const cells = container.querySelectorAll('rect[data-date]');
    expect(cells).toHaveLength(365);
    const busy = container.querySelector('rect[data-date="2024-03-11"]');
    expect(busy).toHaveAttribute('data-level', '4');
    expect(busy?.querySelector('title')?.textContent).toMatch(/복습 4회, 기억 2회/);
    expect(container.querySelector('rect[data-date="2024-03-12"] title')?.textContent).toMatch(/복습 없음/);
    const img = screen.getByRole('img');
    expect(img).toHaveAccessibleName(/최근 365일 동안 .*일, 총 .*회 복습했습니다/);
    expect(screen.getByRole('region', { name: /히트맵/ })).toHaveAttribute('tabindex', '0');
  });

  it('speaks English', () => {
    setLang('en');
    render(<ActivityHeatmap days={daysFrom(new Date(2025, 0, 1), 7, (i) => i)} />);
    expect(screen.getByRole('img')).toHaveAccessibleName(
      'In the last 7 days you reviewed on 6 days, 21 reviews in total. Your busiest day was Jan 7, 2025 (6 reviews).',
    );
  });
});

describe('ForecastChart', () => {
  const days = Array.from({ length: 30 }, (_, i) => ({
    date: localDateKey(new Date(2025, 4, 1 + i)),
    due: i === 2 ? 8 : i % 5,
  }));

  it('draws a bar per day, summarises and offers a table', () => {
    const { container } = render(<ForecastChart days={days} />);
    const bars = container.querySelectorAll('rect[data-date]');
    expect(bars).toHaveLength(30);
    const peak = container.querySelector('rect[data-date="2025-05-03"]');
    expect(peak?.querySelector('title')?.textContent).toMatch(/8장/);
    expect(Number(peak?.getAttribute('height'))).toBeGreaterThan(Number(bars[1]?.getAttribute('height')));
    expect(container.querySelector('rect[data-date="2025-05-06"]')?.getAttribute('height')).toBe('0');
    expect(screen.getByRole('img')).toHaveAccessibleName(/앞으로 30일 동안 \d+장의 복습이 예정되어 있습니다\. 가장 많은 날은 .*\(8장\)/);
    const table = screen.getByRole('table');
    expect(within(table).getAllByRole('row')).toHaveLength(31);
    expect(within(table).getByRole('columnheader', { name: '예정 카드' })).toBeInTheDocument();
  });

  it('says when nothing is due', () => {
    render(<ForecastChart days={days.map((d) => ({ ...d, due: 0 }))} />);
    expect(screen.getByRole('img')).toHaveAccessibleName('앞으로 30일 동안 예정된 복습이 없습니다.');
  });
});
