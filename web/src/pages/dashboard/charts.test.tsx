import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setLang } from '../../i18n/core';
import { localDateKey } from '../../lib/dates';
import { ActivityHeatmap } from './ActivityHeatmap';
import { ForecastChart } from './ForecastChart';
import { buildHeatmap, cellAt, GRID, levelFor } from './heatmap';

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
  const year = () => daysFrom(new Date(2024, 2, 11), 365, (i) => (i % 10 === 0 ? 4 : i % 3 === 0 ? 1 : 0));

  it('draws every day in one path per level, with a text summary', () => {
    const { container } = render(<ActivityHeatmap days={year()} />);
    // one square (one "M" move) per day; levels without days draw nothing
    const squares = Object.fromEntries(
      [...container.querySelectorAll('path[data-level]')].map((p) => [
        p.getAttribute('data-level'),
        (p.getAttribute('d')?.match(/M/g) ?? []).length,
      ]),
    );
    // the 37 tenth days have 4 reviews (the busiest: level 4); the 122 - 13 other third days 1
    expect(squares).toEqual({ '0': 365 - 37 - 109, '1': 109, '4': 37 });
    const img = screen.getByRole('img');
    expect(img).toHaveAccessibleName(/최근 365일 동안 .*일, 총 .*회 복습했습니다/);
    expect(screen.getByRole('region', { name: /히트맵/ })).toHaveAttribute('tabindex', '0');
  });

  it("tells a day's counts when chosen with the keyboard", async () => {
    const user = userEvent.setup();
    const { container } = render(<ActivityHeatmap days={year()} />);
    expect(screen.getByText(/날짜를 가리키면/)).toBeInTheDocument();
    await user.tab();
    expect(screen.getByRole('region', { name: /히트맵/ })).toHaveFocus();
    await user.keyboard('{End}');
    // the last day (2025-03-10, index 364: neither tenth nor third)
    expect(container.querySelector('rect[data-date]')).toHaveAttribute('data-date', '2025-03-10');
    expect(screen.getByText(/복습 없음/)).toBeInTheDocument();
    await user.keyboard('{Home}');
    expect(container.querySelector('rect[data-date]')).toHaveAttribute('data-date', '2024-03-11');
    expect(screen.getByText(/복습 4회, 기억 2회/)).toBeInTheDocument();
    await user.keyboard('{ArrowRight}{ArrowRight}{ArrowDown}');
    // 15 days on: index 15 is a third day (1 review)
    expect(container.querySelector('rect[data-date]')).toHaveAttribute('data-date', '2024-03-26');
    expect(screen.getByText(/복습 1회, 기억 0회/)).toBeInTheDocument();
    await user.keyboard('{Escape}');
    expect(container.querySelector('rect[data-date]')).toBeNull();
  });

  it('finds the day under the pointer', () => {
    const map = buildHeatmap(daysFrom(new Date(2025, 2, 5), 10, (i) => i));
    // 2025-03-10 (index 5) is the Monday of the second week: column 1, row 0
    expect(cellAt(map, GRID.left + GRID.step + 1, GRID.top + 1)).toBe(5);
    expect(cellAt(map, GRID.left + GRID.cell + 1, GRID.top + 1)).toBeNull(); // the gap between cells
    expect(cellAt(map, GRID.left + 1, GRID.top + 1)).toBeNull(); // before the first day
    expect(cellAt(map, 0, 0)).toBeNull();
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
