import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Skeleton } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import { useActivity, useDashboard } from './queries';
import styles from './DashboardPage.module.css';

function Stat({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className={`card ${styles.stat}`}>
      <dt className={styles.statLabel}>{label}</dt>
      <dd className={styles.statValue}>{value}</dd>
      {detail !== undefined && <dd className={styles.statDetail}>{detail}</dd>}
    </div>
  );
}

function StatSkeleton({ label }: { label: string }) {
  return (
    <div className={`card ${styles.stat}`}>
      <dt className={styles.statLabel}>{label}</dt>
      <dd className={styles.statValue}>
        <Skeleton width="4rem" height="1.75rem" />
      </dd>
      <dd className={styles.statDetail}>
        <Skeleton width="8rem" />
      </dd>
    </div>
  );
}

/** Streak, weekly goal, success rate and number of notes. */
export function DashboardStats() {
  const t = useMessages(messages);
  const f = useFormat();
  const dashboard = useDashboard();
  const activity = useActivity();

  if (dashboard.isError || activity.isError) {
    const failed = dashboard.isError ? dashboard : activity;
    return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />;
  }
  const a = activity.data;
  const d = dashboard.data;
  const goal = a ? Math.max(1, a.weekly_goal) : 1;
  const done = a?.this_week ?? 0;
  return (
    <dl className={styles.stats}>
      {a ? (
        <Stat
          label={t('streak')}
          value={t('streakValue', { days: a.streak, count: a.streak })}
          detail={t('longestStreak', { days: a.longest_streak, count: a.longest_streak })}
        />
      ) : (
        <StatSkeleton label={t('streak')} />
      )}
      {a ? (
        <Stat
          label={t('weeklyGoal')}
          value={t('weeklyGoalValue', { done, goal: a.weekly_goal })}
          detail={
            <>
              <span
                className={styles.goalTrack}
                role="progressbar"
                aria-label={t('weeklyGoalLabel', { done, goal: a.weekly_goal })}
                aria-valuemin={0}
                aria-valuemax={goal}
                aria-valuenow={Math.min(done, goal)}
              >
                <span className={styles.goalFill} style={{ width: `${Math.min(100, (done / goal) * 100)}%` }} />
              </span>
              <span>{done >= goal ? t('weeklyGoalDone') : t('weeklyGoalLeft', { count: goal - done })}</span>
            </>
          }
        />
      ) : (
        <StatSkeleton label={t('weeklyGoal')} />
      )}
      {d ? (
        <Stat
          label={t('successRate')}
          value={f.percent(d.success_rate, 1)}
          detail={t('successRateDetail', { count: d.total_reviews_30_days })}
        />
      ) : (
        <StatSkeleton label={t('successRate')} />
      )}
      {d ? (
        <Stat
          label={t('totalNotes')}
          value={f.number(d.total_content)}
          detail={<Link to="/contents">{t('notesLink')}</Link>}
        />
      ) : (
        <StatSkeleton label={t('totalNotes')} />
      )}
    </dl>
  );
}
