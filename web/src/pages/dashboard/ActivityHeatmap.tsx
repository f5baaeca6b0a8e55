import { memo, useId, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Activity } from '../../api/types';
import { useFormat, useMessages } from '../../i18n/react';
import { buildHeatmap, cellAt, GRID, levelPaths, type Level } from './heatmap';
import { messages } from './messages';
import styles from './ActivityHeatmap.module.css';

const LEVELS: Level[] = [0, 1, 2, 3, 4];

/** Arrow keys move a week sideways and a day up or down; Home and End jump to the ends. */
function moveBy(key: string, current: number, last: number): number | null {
  switch (key) {
    case 'ArrowLeft':
      return Math.max(0, current - 7);
    case 'ArrowRight':
      return Math.min(last, current + 7);
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'ArrowDown':
      return Math.min(last, current + 1);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/**
 * A year of reviews as a calendar heatmap (SVG). The picture is role="img" labelled by a text
 * summary printed under it. A day's counts show in a line under the grid (a polite live region)
 * when it is pointed at, or chosen with the arrow keys once the heatmap has the focus.
 */
export const ActivityHeatmap = memo(function ActivityHeatmap({ days }: { days: Activity['days'] }) {
  const t = useMessages(messages);
  const f = useFormat();
  const map = useMemo(() => buildHeatmap(days), [days]);
  const paths = useMemo(() => levelPaths(map.cells), [map]);
  const [selected, setSelected] = useState<number | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const markRef = useRef<SVGRectElement>(null);
  const summaryId = useId();

  const width = GRID.left + map.weeks * GRID.step;
  const height = GRID.top + 7 * GRID.step;
  const summary = [
    t('activitySummary', { days: days.length, active: map.activeDays, reviews: map.total }),
    map.best ? t('activitySummaryBest', { date: f.date(map.best.date), count: map.best.reviews }) : '',
  ]
    .filter(Boolean)
    .join(' ');

  const cell = selected === null ? undefined : map.cells[selected];
  const detail = !cell
    ? t('activityHint')
    : cell.reviews > 0
      ? t('activityCell', { date: f.date(cell.date), reviews: cell.reviews, remembered: cell.remembered })
      : t('activityCellNone', { date: f.date(cell.date) });

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return;
    const x = ((e.clientX - box.left) * width) / box.width;
    const y = ((e.clientY - box.top) * height) / box.height;
    const index = cellAt(map, x, y);
    if (index !== null) setSelected(index);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const last = map.cells.length - 1;
    if (last < 0) return;
    if (e.key === 'Escape') {
      setSelected(null);
      return;
    }
    const moved = moveBy(e.key, selected ?? last, last);
    if (moved === null) return;
    // The first key press starts on the most recent day.
    const next = selected === null ? last : moved;
    e.preventDefault();
    setSelected(next);
    // After React has moved the mark: bring it into view on a narrow screen.
    requestAnimationFrame(() => markRef.current?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' }));
  };

  return (
    <div className={styles.heatmap}>
      <div
        className={styles.scroll}
        tabIndex={0}
        role="region"
        aria-label={t('activityScroll')}
        onKeyDown={onKeyDown}
        onBlur={() => setSelected(null)}
      >
        <svg
          ref={svgRef}
          className={styles.svg}
          role="img"
          aria-labelledby={summaryId}
          viewBox={`0 0 ${width} ${height}`}
          style={{ minWidth: width }}
          onPointerMove={onPointerMove}
          onPointerDown={onPointerMove}
          // A touch ends with a leave: the tapped day stays shown.
          onPointerLeave={(e) => e.pointerType === 'mouse' && setSelected(null)}
        >
          <g aria-hidden="true" className={styles.axis}>
            {map.months.map((m) => (
              <text key={m.date} x={GRID.left + m.col * GRID.step} y={GRID.top - 6}>
                {f.date(m.date, { month: 'short' })}
              </text>
            ))}
            <text x={0} y={GRID.top + GRID.cell - 1}>
              {t('weekdayMon')}
            </text>
            <text x={0} y={GRID.top + 2 * GRID.step + GRID.cell - 1}>
              {t('weekdayWed')}
            </text>
            <text x={0} y={GRID.top + 4 * GRID.step + GRID.cell - 1}>
              {t('weekdayFri')}
            </text>
          </g>
          {paths.map((d, level) => (d ? <path key={level} className={styles.cell} data-level={level} d={d} /> : null))}
          {cell && (
            <rect
              ref={markRef}
              className={styles.mark}
              data-date={cell.date}
              x={GRID.left + cell.col * GRID.step - 1}
              y={GRID.top + cell.row * GRID.step - 1}
              width={GRID.cell + 2}
              height={GRID.cell + 2}
              rx={2}
            />
          )}
        </svg>
      </div>
      <p className={styles.detail} aria-live="polite">
        {detail}
      </p>
      <div className={styles.footer}>
        <p id={summaryId} className={styles.summary}>
          {summary}
        </p>
        <div className={styles.legend} aria-hidden="true">
          <span>{t('activityLegendLess')}</span>
          <svg
            width={LEVELS.length * GRID.step}
            height={GRID.cell}
            viewBox={`0 0 ${LEVELS.length * GRID.step} ${GRID.cell}`}
          >
            {LEVELS.map((level) => (
              <rect
                key={level}
                className={styles.cell}
                data-level={level}
                x={level * GRID.step}
                y={0}
                width={GRID.cell}
                height={GRID.cell}
              />
            ))}
          </svg>
          <span>{t('activityLegendMore')}</span>
        </div>
      </div>
    </div>
  );
});
