// Pure layout of the activity heatmap: one column per week (Monday first), one row per weekday.
import type { Activity } from '../../api/types';
import { calendarDaysBetween, startOfLocalDay, weekdayMondayFirst } from '../../lib/dates';

export type Level = 0 | 1 | 2 | 3 | 4;

export interface HeatCell {
  date: string;
  reviews: number;
  remembered: number;
  level: Level;
  /** week column, 0 = the week of the first day */
  col: number;
  /** 0 = Monday … 6 = Sunday */
  row: number;
}

export interface Heatmap {
  cells: HeatCell[];
  weeks: number;
  /** the first column of each month (for labels) */
  months: { col: number; date: string }[];
  max: number;
  total: number;
  activeDays: number;
  best: { date: string; reviews: number } | null;
}

/** 0 for no reviews, else 1–4 in quarters of the busiest day. */
export function levelFor(reviews: number, max: number): Level {
  if (reviews <= 0 || max <= 0) return 0;
  return Math.min(4, Math.max(1, Math.ceil((reviews / max) * 4))) as Level;
}

export function buildHeatmap(days: Activity['days']): Heatmap {
  const first = days[0];
  if (!first) return { cells: [], weeks: 0, months: [], max: 0, total: 0, activeDays: 0, best: null };
  const start = startOfLocalDay(first.date);
  const offset = weekdayMondayFirst(start);
  let max = 0;
  let total = 0;
  let activeDays = 0;
  let best: Heatmap['best'] = null;
  for (const d of days) {
    max = Math.max(max, d.reviews);
    total += d.reviews;
    if (d.reviews > 0) activeDays++;
    if (d.reviews > 0 && (!best || d.reviews > best.reviews)) best = { date: d.date, reviews: d.reviews };
  }
  const months: Heatmap['months'] = [];
  const cells = days.map((d) => {
    const index = calendarDaysBetween(start, d.date) + offset;
    const col = Math.floor(index / 7);
    const row = index % 7;
    const local = startOfLocalDay(d.date);
    if (local.getDate() === 1 || d === first) {
      const last = months[months.length - 1];
      // skip a label that would collide with the previous one
      if (!last || col - last.col >= 3) months.push({ col, date: d.date });
    }
    return { date: d.date, reviews: d.reviews, remembered: d.remembered, level: levelFor(d.reviews, max), col, row };
  });
  const weeks = (cells[cells.length - 1]?.col ?? 0) + 1;
  return { cells, weeks, months, max, total, activeDays, best };
}

/** The grid's geometry in SVG units: cell size, distance between cells, margins for the labels. */
export const GRID = { cell: 11, step: 14, left: 30, top: 18 } as const;

/**
 * One SVG path per level (index = level), each drawing all of that level's cells: five elements
 * instead of one per day, so a year of activity costs the page almost nothing to render.
 */
export function levelPaths(cells: readonly HeatCell[]): string[] {
  const paths: string[] = ['', '', '', '', ''];
  for (const c of cells) {
    const x = GRID.left + c.col * GRID.step;
    const y = GRID.top + c.row * GRID.step;
    paths[c.level] += `M${x} ${y}h${GRID.cell}v${GRID.cell}h-${GRID.cell}z`;
  }
  return paths;
}

/** The index of the cell at SVG point (x, y), or null between cells and outside the grid. */
export function cellAt(map: Heatmap, x: number, y: number): number | null {
  const dx = x - GRID.left;
  const dy = y - GRID.top;
  if (dx < 0 || dy < 0 || dx % GRID.step >= GRID.cell || dy % GRID.step >= GRID.cell) return null;
  const col = Math.floor(dx / GRID.step);
  const row = Math.floor(dy / GRID.step);
  if (row > 6) return null;
  // A year is a few hundred cells: a scan per pointer move costs nothing.
  const index = map.cells.findIndex((c) => c.col === col && c.row === row);
  return index >= 0 ? index : null;
}
