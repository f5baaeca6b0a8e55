import { memo, useId, useMemo } from 'react';
import type { Activity } from '../../api/types';
import { useFormat, useMessages } from '../../i18n/react';
import { buildHeatmap, type Level } from './heatmap';
import { messages } from './messages';
import styles from './ActivityHeatmap.module.css';

const CELL = 11;
const STEP = 14;
const LEFT = 30;
const TOP = 18;
const LEVELS: Level[] = [0, 1, 2, 3, 4];

/**
 * A year of reviews as a calendar heatmap (SVG). The picture is role="img" labelled by a text
 * summary printed under it; every cell also has a <title> (tooltip) with its date and counts.
 */
export const ActivityHeatmap = memo(function ActivityHeatmap({ days }: { days: Activity['days'] }) {
  const t = useMessages(messages);
  const f = useFormat();
  const map = useMemo(() => buildHeatmap(days), [days]);
  const summaryId = useId();

  // Hundreds of cells with their tooltips: built once per data and language, not per render.
  const cells = useMemo(
    () =>
      map.cells.map((c) => (
        <rect
          key={c.date}
          className={styles.cell}
          data-level={c.level}
          data-date={c.date}
          x={LEFT + c.col * STEP}
          y={TOP + c.row * STEP}
          width={CELL}
          height={CELL}
          rx={2}
        >
          <title>
            {c.reviews > 0
              ? t('activityCell', { date: f.date(c.date), reviews: c.reviews, remembered: c.remembered })
              : t('activityCellNone', { date: f.date(c.date) })}
          </title>
        </rect>
      )),
    [map, t, f],
  );

  const width = LEFT + map.weeks * STEP;
  const height = TOP + 7 * STEP;
  const summary = [
    t('activitySummary', { days: days.length, active: map.activeDays, reviews: map.total }),
    map.best ? t('activitySummaryBest', { date: f.date(map.best.date), count: map.best.reviews }) : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <div className={styles.heatmap}>
      <div className={styles.scroll} tabIndex={0} role="region" aria-label={t('activityScroll')}>
        <svg
          className={styles.svg}
          role="img"
          aria-labelledby={summaryId}
          viewBox={`0 0 ${width} ${height}`}
          style={{ minWidth: width }}
        >
          <g aria-hidden="true" className={styles.axis}>
            {map.months.map((m) => (
              <text key={m.date} x={LEFT + m.col * STEP} y={TOP - 6}>
                {f.date(m.date, { month: 'short' })}
              </text>
            ))}
            <text x={0} y={TOP + 0 * STEP + CELL - 1}>
              {t('weekdayMon')}
            </text>
            <text x={0} y={TOP + 2 * STEP + CELL - 1}>
              {t('weekdayWed')}
            </text>
            <text x={0} y={TOP + 4 * STEP + CELL - 1}>
              {t('weekdayFri')}
            </text>
          </g>
          {cells}
        </svg>
      </div>
      <div className={styles.footer}>
        <p id={summaryId} className={styles.summary}>
          {summary}
        </p>
        <div className={styles.legend} aria-hidden="true">
          <span>{t('activityLegendLess')}</span>
          <svg width={LEVELS.length * STEP} height={CELL} viewBox={`0 0 ${LEVELS.length * STEP} ${CELL}`}>
            {LEVELS.map((level) => (
              <rect key={level} className={styles.cell} data-level={level} x={level * STEP} y={0} width={CELL} height={CELL} rx={2} />
            ))}
          </svg>
          <span>{t('activityLegendMore')}</span>
        </div>
      </div>
    </div>
  );
});
