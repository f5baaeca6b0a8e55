import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import { TableWrap } from './TableWrap';
import type { DeadLetter, DeadLetters, JobsOverview } from './types';
import styles from './AdminPage.module.css';

export const QUEUE_REFRESH_MS = 10_000;

export function QueuePanel() {
  const t = useMessages(messages);
  const f = useFormat();
  const toast = useToast();
  const queryClient = useQueryClient();
  const jobs = useQuery({
    queryKey: qk.admin.jobs(),
    queryFn: ({ signal }) => api.get<JobsOverview>('/api/admin/jobs/', { signal }),
    refetchInterval: QUEUE_REFRESH_MS,
  });
  const dead = useQuery({
    queryKey: qk.admin.deadJobs(),
    queryFn: ({ signal }) => api.get<DeadLetters>('/api/admin/jobs/dead/', { query: { limit: 100 }, signal }),
    refetchInterval: QUEUE_REFRESH_MS,
  });
  // qk.admin.jobs() is a prefix of deadJobs(): one invalidation refreshes both tables.
  const refresh = () => queryClient.invalidateQueries({ queryKey: qk.admin.jobs() });

  const requeue = useMutation({
    mutationFn: (d: DeadLetter) =>
      api.post<{ message: string; type: string }>(`/api/admin/jobs/dead/${encodeURIComponent(d.id)}/requeue/`),
    onSuccess: (res) => toast.show({ message: res.message, tone: 'success' }),
    onError: (error) => toast.show({ message: errorMessage(error), tone: 'error' }),
    onSettled: () => refresh(),
  });

  const updated = Math.max(jobs.dataUpdatedAt, dead.dataUpdatedAt);
  return (
    <div className={styles.stack}>
      <div className={styles.panelHead}>
        <span className="muted">
          {t('autoRefresh')}
          {updated > 0 && ` · ${t('updatedAt', { time: f.time(updated) })}`}
        </span>
        <Button variant="secondary" size="sm" onClick={() => void refresh()} loading={jobs.isFetching || dead.isFetching}>
          {t('refresh')}
        </Button>
      </div>
      <section aria-labelledby="admin-jobs">
        <h2 id="admin-jobs" className={styles.sectionTitle}>
          {t('jobsTitle')}
        </h2>
        <QueryView
          query={jobs}
          loading={<Skeleton lines={4} height="2.5rem" />}
          isEmpty={(d) => d.jobs.length === 0}
          empty={<p className="muted">{t('noJobs')}</p>}
        >
          {(data) => (
            <TableWrap caption={t('jobsTitle')}>
              <thead>
                <tr>
                  <th scope="col">{t('colType')}</th>
                  <th scope="col" className={styles.num}>{t('colQueued')}</th>
                  <th scope="col" className={styles.num}>{t('colRunning')}</th>
                  <th scope="col" className={styles.num}>{t('colDelayed')}</th>
                </tr>
              </thead>
              <tbody>
                {data.jobs.map((j) => (
                  <tr key={j.type}>
                    <th scope="row"><code>{j.type}</code></th>
                    <td className={styles.num}>{f.number(j.queued)}</td>
                    <td className={styles.num}>{f.number(j.running)}</td>
                    <td className={styles.num}>{f.number(j.delayed)}</td>
                  </tr>
                ))}
              </tbody>
            </TableWrap>
          )}
        </QueryView>
      </section>
      <section aria-labelledby="admin-dead">
        <div className={styles.panelHead}>
          <h2 id="admin-dead" className={styles.sectionTitle}>
            {t('deadTitle')}
          </h2>
          {dead.data && (
            <Badge tone={dead.data.count > 0 ? 'danger' : 'success'}>{t('deadCount', { count: dead.data.count })}</Badge>
          )}
        </div>
        <QueryView
          query={dead}
          loading={<Skeleton lines={3} height="2.5rem" />}
          isEmpty={(d) => d.results.length === 0}
          empty={<p className="muted">{t('noDead')}</p>}
        >
          {(data) => (
            <TableWrap caption={t('deadTitle')}>
              <thead>
                <tr>
                  <th scope="col">{t('colType')}</th>
                  <th scope="col">{t('colJobId')}</th>
                  <th scope="col">{t('colError')}</th>
                  <th scope="col" className={styles.num}>{t('colAttempts')}</th>
                  <th scope="col">{t('colFailedAt')}</th>
                  <th scope="col"><span className="visually-hidden">{t('requeue')}</span></th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((d) => (
                  <tr key={d.id}>
                    <th scope="row"><code>{d.type}</code></th>
                    <td><code className={styles.mono}>{d.job_id}</code></td>
                    <td className={styles.error}>{d.error}</td>
                    <td className={styles.num}>{d.attempts}</td>
                    <td className={styles.nowrap}>{d.failed_at ? f.dateTime(d.failed_at) : '—'}</td>
                    <td>
                      <Button
                        size="sm"
                        variant="secondary"
                        loading={requeue.isPending && requeue.variables?.id === d.id}
                        aria-label={t('requeueNamed', { type: d.type, id: d.id })}
                        onClick={() => requeue.mutate(d)}
                      >
                        {t('requeue')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableWrap>
          )}
        </QueryView>
      </section>
    </div>
  );
}
