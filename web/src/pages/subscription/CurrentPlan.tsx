import type { Subscription } from '../../api/types';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './SubscriptionPage.module.css';
import { tierName } from '../../i18n/common';

/** The tier that applies now: free once inactive or past its end date. */
export function effectiveTier(sub: Subscription | null | undefined): string {
  return sub && sub.is_active && !sub.is_expired ? sub.tier : 'free';
}

export function CurrentPlan({ sub, onCancel }: { sub: Subscription | null; onCancel: () => void }) {
  const t = useMessages(messages);
  const f = useFormat();
  const tier = effectiveTier(sub);
  const status = !sub ? null : sub.is_expired ? 'expired' : sub.is_active ? 'active' : 'inactive';
  return (
    <section className={`card ${styles.current}`} aria-labelledby="current-plan">
      <div className={styles.currentHead}>
        <h2 id="current-plan" className={styles.sectionTitle}>
          {t('currentTitle')}
        </h2>
        {status && <Badge tone={status === 'active' ? 'success' : 'warning'}>{t(status)}</Badge>}
      </div>
      <p className={styles.planName}>{sub ? tierName(sub.tier) : t('free')}</p>
      {sub && (
        <dl className={styles.facts}>
          <div>
            <dt>{t('maxInterval')}</dt>
            <dd>{t('days', { days: sub.max_interval_days })}</dd>
          </div>
          <div>
            <dt>{t('since')}</dt>
            <dd>{f.date(sub.start_date)}</dd>
          </div>
          <div>
            <dt>{t('endsOn')}</dt>
            <dd>
              {sub.end_date ? f.date(sub.end_date) : t('noEnd')}
              {sub.days_remaining !== null && !sub.is_expired && (
                <span className="muted"> · {t('daysLeft', { days: sub.days_remaining })}</span>
              )}
            </dd>
          </div>
          {sub.next_billing_date && (
            <div>
              <dt>{t('nextBilling')}</dt>
              <dd>{f.date(sub.next_billing_date)}</dd>
            </div>
          )}
          <div>
            <dt>{t('autoRenewal')}</dt>
            <dd>{sub.auto_renewal ? t('on') : t('off')}</dd>
          </div>
        </dl>
      )}
      {tier !== 'free' && (
        <div>
          <Button variant="ghost" size="sm" onClick={onCancel}>
            {t('cancel')}
          </Button>
        </div>
      )}
    </section>
  );
}
