import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import { BUSINESS_KEYS, type BusinessMetrics } from './types';
import styles from './AdminPage.module.css';

export function OverviewPanel() {
  const t = useMessages(messages);
  const f = useFormat();
  const query = useQuery({
    queryKey: qk.admin.metrics('business'),
    queryFn: ({ signal }) => api.get<BusinessMetrics>('/api/metrics/business/', { signal }),
  });
  return (
    <section aria-labelledby="admin-metrics">
      <h2 id="admin-metrics" className={styles.sectionTitle}>
        {t('metricsTitle')}
      </h2>
      <QueryView
        query={query}
        loading={
          <div className={styles.stats} aria-hidden="true">
            {BUSINESS_KEYS.map((k) => (
              <Skeleton key={k} height="5.5rem" radius="var(--radius-md)" />
            ))}
          </div>
        }
      >
        {(data) => (
          <>
            <dl className={styles.stats}>
              {BUSINESS_KEYS.map((k) => (
                <div key={k} className={styles.stat}>
                  <dt>{t(k)}</dt>
                  <dd>{f.number(data[k] ?? 0)}</dd>
                </div>
              ))}
            </dl>
            <p className={`${styles.updated} muted`}>{t('updatedAt', { time: f.dateTime(data.timestamp) })}</p>
          </>
        )}
      </QueryView>
    </section>
  );
}
