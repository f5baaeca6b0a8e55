import { useCallback, useDeferredValue, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { qk } from '../../api/queryKeys';
import { LinkButton } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { PageLoader, Skeleton } from '../../components/Spinner';
import { ErrorState, QueryView } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { useOutboxEvents, type OutboxEvent } from '../../offline';
import { ActivityHeatmap } from './ActivityHeatmap';
import { DashboardStats } from './DashboardStats';
import { ForecastChart } from './ForecastChart';
import { messages } from './messages';
import { useActivity, useCategoryUsage, useContentUsage, useDashboard, useForecast } from './queries';
import { UsagePanel } from './UsagePanel';
import styles from './DashboardPage.module.css';

function TodayCard() {
  const t = useMessages(messages);
  const query = useDashboard();
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const d = query.data;
  return (
    <section className={`card ${styles.today}`} aria-labelledby="dash-today">
      <div className={styles.todayText}>
        <h2 id="dash-today" className={styles.todayHeading}>
          {t('todayHeading')}
        </h2>
        {d ? (
          <>
            <p className={styles.todayCount}>
              {d.today_reviews > 0 ? t('todayCount', { count: d.today_reviews }) : t('todayNone')}
            </p>
            {d.pending_reviews > 0 && <p className="muted">{t('pendingCount', { count: d.pending_reviews })}</p>}
          </>
        ) : (
          <Skeleton lines={2} height="1.5rem" />
        )}
      </div>
      <LinkButton
        to="/review"
        className={styles.startButton}
        variant={d && d.today_reviews === 0 ? 'secondary' : 'primary'}
      >
        {t('startReview')}
      </LinkButton>
    </section>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className={`card ${styles.section}`} aria-labelledby={id}>
      <h2 id={id} className={styles.sectionTitle}>
        {title}
      </h2>
      {children}
    </section>
  );
}

export default function DashboardPage() {
  const t = useMessages(messages);
  const activity = useActivity();
  const forecast = useForecast();
  // The sections appear together once their first answers are in (or failed): sections filling
  // in one by one would push each other down (layout shift). Latched, so that a section's own
  // retry of a failed query (its mount refetches it) never takes the page back to the loader.
  const firstAnswers = [useDashboard(), activity, forecast, useContentUsage(), useCategoryUsage()].every(
    (q) => q.data !== undefined || q.isError,
  );
  const [settled, setSettled] = useState(firstAnswers);
  if (firstAnswers && !settled) setSettled(true);
  // The body is drawn as a deferred render, which React splits into short slices that let the
  // browser respond in between (a year heatmap, charts and meters at once would block it).
  const showBody = useDeferredValue(settled, false);
  const queryClient = useQueryClient();
  // Reviews queued offline that reach the server change every number here.
  const onOutbox = useCallback(
    (event: OutboxEvent) => {
      if (event.type === 'sent') void queryClient.invalidateQueries({ queryKey: qk.review.all });
    },
    [queryClient],
  );
  useOutboxEvents(onOutbox);

  return (
    <>
      <PageHeader
        title={t('dashboardTitle')}
        description={t('dashboardDescription')}
        actions={
          <LinkButton to="/contents/new" variant="secondary">
            {t('newNote')}
          </LinkButton>
        }
      />
      {!showBody ? (
        <PageLoader />
      ) : (
        <div className={styles.layout}>
          <TodayCard />
          <section aria-label={t('statsHeading')}>
            <DashboardStats />
          </section>
          <Section id="dash-activity" title={t('activityHeading')}>
            <QueryView query={activity} loading={<Skeleton height="9.5rem" />}>
              {(data) => <ActivityHeatmap days={data.days} />}
            </QueryView>
          </Section>
          <div className={styles.columns}>
            <Section id="dash-forecast" title={t('forecastHeading')}>
              <QueryView query={forecast} loading={<Skeleton height="14rem" />}>
                {(data) => <ForecastChart days={data.days} />}
              </QueryView>
            </Section>
            <Section id="dash-usage" title={t('usageHeading')}>
              <UsagePanel />
            </Section>
          </div>
        </div>
      )}
    </>
  );
}
