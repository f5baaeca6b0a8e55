import { useEffect, useRef } from 'react';
import type { ReviewResult } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import type { Outcome } from './types';
import styles from './ReviewPage.module.css';

const ROWS: { result: ReviewResult | null; label: 'remembered' | 'partial' | 'forgot' | 'summarySkipped' }[] = [
  { result: 'remembered', label: 'remembered' },
  { result: 'partial', label: 'partial' },
  { result: 'forgot', label: 'forgot' },
  { result: null, label: 'summarySkipped' },
];

/** The end of a session: results per kind, time, what waits offline, and where to go next. */
export function SessionSummary({ outcomes, onAgain }: { outcomes: Outcome[]; onAgain: () => void }) {
  const t = useMessages(messages);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  const total = outcomes.reduce((sum, o) => sum + o.seconds, 0);
  const m = Math.floor(total / 60);
  const s = total % 60;
  const time = m > 0 ? t('minutesSeconds', { m, s }) : t('seconds', { s });
  const reviewed = outcomes.filter((o) => o.result !== null).length;
  const queued = outcomes.filter((o) => o.queued).length;
  const forgot = outcomes.some((o) => o.result === 'forgot');
  return (
    <section className={`card ${styles.summary}`} aria-labelledby="summary-title">
      <h2 id="summary-title" tabIndex={-1} ref={headingRef}>
        {t('summaryTitle')}
      </h2>
      <p>{t('summaryText', { count: reviewed, time })}</p>
      <dl className={styles.counts} aria-label={t('summaryCounts')}>
        {ROWS.map((row) => {
          const count = outcomes.filter((o) => o.result === row.result).length;
          if (row.result === null && count === 0) return null;
          return (
            <div key={row.label} data-result={row.result ?? 'skipped'}>
              <dt>{t(row.label)}</dt>
              <dd>{count}</dd>
            </div>
          );
        })}
      </dl>
      {queued > 0 && <p className="notice">{t('summaryQueued', { count: queued })}</p>}
      <div className={styles.summaryActions}>
        <LinkButton to="/dashboard">{t('toDashboard')}</LinkButton>
        {forgot && (
          <Button variant="secondary" onClick={onAgain}>
            {t('reviewAgain')}
          </Button>
        )}
      </div>
    </section>
  );
}
