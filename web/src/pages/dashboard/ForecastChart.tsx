import { useId } from 'react';
import type { Forecast } from '../../api/types';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './ForecastChart.module.css';

const BAR = 10;
const SLOT = 14;
const HEIGHT = 100;

/**
 * Cards falling due per day as an SVG bar chart (role="img" with a text summary), each bar with a
 * <title>, and the same numbers in a table behind a disclosure for assistive tech and keyboards.
 */
export function ForecastChart({ days }: { days: Forecast['days'] }) {
  const t = useMessages(messages);
  const f = useFormat();
  const summaryId = useId();
  const max = Math.max(0, ...days.map((d) => d.due));
  const total = days.reduce((sum, d) => sum + d.due, 0);
  const peak = days.reduce<Forecast['days'][number] | null>((best, d) => (d.due > (best?.due ?? 0) ? d : best), null);
  const width = days.length * SLOT;
  const short = (date: string) => f.date(date, { month: 'numeric', day: 'numeric' });

  const summary =
    total === 0
      ? t('forecastEmpty')
      : [
          t('forecastSummary', { days: days.length, total, count: total }),
          peak ? t('forecastSummaryPeak', { date: f.date(peak.date), count: peak.due }) : '',
        ]
          .filter(Boolean)
          .join(' ');

  return (
    <div className={styles.forecast}>
      <div className={styles.chart}>
        <span className={styles.max} aria-hidden="true">
          {max}
        </span>
        <svg
          className={styles.svg}
          role="img"
          aria-labelledby={summaryId}
          viewBox={`0 0 ${width} ${HEIGHT}`}
          preserveAspectRatio="none"
        >
          <line className={styles.baseline} x1={0} x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} />
          {days.map((d, i) => {
            const h = max > 0 ? Math.max(d.due > 0 ? 2 : 0, (d.due / max) * (HEIGHT - 4)) : 0;
            return (
              <rect
                key={d.date}
                className={styles.bar}
                data-today={i === 0 || undefined}
                data-date={d.date}
                x={i * SLOT + (SLOT - BAR) / 2}
                y={HEIGHT - h}
                width={BAR}
                height={h}
              >
                <title>{t('forecastBar', { date: f.date(d.date), count: d.due })}</title>
              </rect>
            );
          })}
        </svg>
        <div className={styles.labels} aria-hidden="true">
          {days.map((d, i) =>
            i % 7 === 0 ? (
              <span key={d.date} style={{ left: `${((i + 0.5) / days.length) * 100}%` }}>
                {short(d.date)}
              </span>
            ) : null,
          )}
        </div>
      </div>
      <p id={summaryId} className={styles.summary}>
        {summary}
      </p>
      <details className={styles.details}>
        <summary>{t('forecastTable')}</summary>
        <div className={styles.tableWrap}>
          <table className={styles.table}>
            <thead>
              <tr>
                <th scope="col">{t('forecastDate')}</th>
                <th scope="col">{t('forecastDue')}</th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{f.date(d.date)}</td>
                  <td>{f.number(d.due)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
