import { Link } from 'react-router';
import type { Usage } from '../../api/types';
import { Skeleton } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { UsageMeter } from '../../components/UsageMeter';
import { useMessages } from '../../i18n/react';
import { isUnlimited } from '../../lib/usage';
import { messages } from './messages';
import { useCategoryUsage, useContentUsage } from './queries';
import styles from './DashboardPage.module.css';

function Meter({ usage, label }: { usage: Usage; label: string }) {
  const t = useMessages(messages);
  const valueText = isUnlimited(usage)
    ? t('usageUnlimited', { current: usage.current })
    : t('usageValue', { current: usage.current, limit: usage.limit });
  return (
    <UsageMeter
      usage={usage}
      label={label}
      valueText={valueText}
      hint={
        usage.can_create ? undefined : (
          <>
            {t('usageFull')} <Link to="/subscription">{t('usageUpgrade')}</Link>
          </>
        )
      }
    />
  );
}

/** Notes and categories against the plan's limits (999999 = unlimited). */
export function UsagePanel() {
  const t = useMessages(messages);
  const contents = useContentUsage();
  const categories = useCategoryUsage();
  const failed = contents.isError ? contents : categories.isError ? categories : null;
  if (failed) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />;
  return (
    <div className={styles.usage}>
      {contents.data ? <Meter usage={contents.data} label={t('usageNotes')} /> : <Skeleton height="2.75rem" />}
      {categories.data ? (
        <Meter usage={categories.data} label={t('usageCategories')} />
      ) : (
        <Skeleton height="2.75rem" />
      )}
      {contents.data && <p className="muted">{t('usageTier', { tier: contents.data.tier })}</p>}
    </div>
  );
}
