import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { formatBytes } from '../../lib/bytes';
import { messages, type AdminMessageKey } from './messages';
import { TableWrap } from './TableWrap';
import type { BackupRun, Backups } from './types';
import styles from './AdminPage.module.css';

const OUTCOME: Record<string, { key: AdminMessageKey; tone: BadgeTone }> = {
  succeeded: { key: 'outcome_succeeded', tone: 'success' },
  failed: { key: 'outcome_failed', tone: 'danger' },
  running: { key: 'outcome_running', tone: 'info' },
};

function LastRun({ run }: { run: BackupRun | null }) {
  const t = useMessages(messages);
  const f = useFormat();
  if (!run) return <p className="muted">{t('noRun')}</p>;
  const failed = run.outcome === 'failed';
  const outcome = OUTCOME[run.outcome];
  return (
    <div className={failed ? styles.runFailed : styles.run}>
      {failed && <p className={styles.runAlert}>{t('lastRunFailed')}</p>}
      <dl className={styles.runFacts}>
        <div>
          <dt>{t('outcome')}</dt>
          <dd>
            <Badge tone={outcome?.tone ?? 'neutral'}>{outcome ? t(outcome.key) : run.outcome}</Badge>
          </dd>
        </div>
        <div>
          <dt>{t('started')}</dt>
          <dd>{f.dateTime(run.started_at)}</dd>
        </div>
        <div>
          <dt>{t('finished')}</dt>
          <dd>{run.finished_at ? f.dateTime(run.finished_at) : '—'}</dd>
        </div>
        {run.key && (
          <div>
            <dt>{t('key')}</dt>
            <dd><code className={styles.mono}>{run.key}</code></dd>
          </div>
        )}
        {run.step && (
          <div>
            <dt>{t('step')}</dt>
            <dd>{run.step}</dd>
          </div>
        )}
        {run.error && (
          <div className={styles.wide}>
            <dt>{t('error')}</dt>
            <dd className={styles.error}>{run.error}</dd>
          </div>
        )}
      </dl>
    </div>
  );
}

export function BackupsPanel() {
  const t = useMessages(messages);
  const f = useFormat();
  const query = useQuery({
    queryKey: qk.admin.backups(),
    queryFn: ({ signal }) => api.get<Backups>('/api/admin/backups/', { signal }),
  });
  return (
    <QueryView query={query} loading={<Skeleton lines={5} height="2.75rem" />}>
      {(data) => (
        <div className={styles.stack}>
          <section aria-labelledby="admin-last-run">
            <h2 id="admin-last-run" className={styles.sectionTitle}>
              {t('lastRunTitle')}
            </h2>
            <LastRun run={data.last_run} />
          </section>
          <section aria-labelledby="admin-backups">
            <h2 id="admin-backups" className={styles.sectionTitle}>
              {t('backupsTitle')}
            </h2>
            {data.backups.length === 0 ? (
              <p className="muted">{t('noBackups')}</p>
            ) : (
              <TableWrap caption={t('backupsTitle')}>
                <thead>
                  <tr>
                    <th scope="col">{t('key')}</th>
                    <th scope="col">{t('colCreated')}</th>
                    <th scope="col" className={styles.num}>{t('colSize')}</th>
                    <th scope="col">{t('colChecksum')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.backups.map((b) => (
                    <tr key={b.key}>
                      <th scope="row"><code className={styles.mono}>{b.key}</code></th>
                      <td className={styles.nowrap}>{f.dateTime(b.created_at)}</td>
                      <td className={`${styles.num} ${styles.nowrap}`}>{formatBytes(b.bytes, f.lang)}</td>
                      <td>
                        <code title={b.sha256} className={styles.mono}>
                          {b.sha256.slice(0, 12)}…
                        </code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </TableWrap>
            )}
          </section>
        </div>
      )}
    </QueryView>
  );
}
