import { useId } from 'react';
import type { TierInfo } from '../../api/types';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './SubscriptionPage.module.css';
import { tierName } from '../../i18n/common';

const UNLIMITED = 999_999;

export interface TierCardProps {
  tier: TierInfo;
  current: boolean;
  /** the current tier's level, to word the button as an upgrade or a change */
  currentLevel: number;
  onChoose: (tier: TierInfo) => void;
}

export function TierCard({ tier, current, currentLevel, onChoose }: TierCardProps) {
  const t = useMessages(messages);
  const f = useFormat();
  const titleId = useId();
  const limit = (n: number) => (n >= UNLIMITED ? t('unlimited') : t('count', { count: n }));
  const price = f.number(tier.price, { style: 'currency', currency: 'KRW', maximumFractionDigits: 0 });
  return (
    <li className={styles.tier} data-current={current}>
      <div className={styles.tierHead}>
        <h3 id={titleId} className={styles.tierName}>
          {tierName(tier.tier)}
        </h3>
        {current && <Badge tone="success">{t('currentPlan')}</Badge>}
      </div>
      <p className={styles.price}>
        {tier.price === 0 ? (
          t('freePrice')
        ) : (
          <>
            <strong>{price}</strong>
            <span className="muted">{tier.billing_cycle === 'yearly' ? t('perYear') : t('perMonth')}</span>
          </>
        )}
      </p>
      <dl className={styles.limits}>
        <div>
          <dt>{t('maxInterval')}</dt>
          <dd>{t('days', { days: tier.max_interval_days })}</dd>
        </div>
        <div>
          <dt>{t('contentLimit')}</dt>
          <dd>{limit(tier.content_limit)}</dd>
        </div>
        <div>
          <dt>{t('categoryLimit')}</dt>
          <dd>{limit(tier.category_limit)}</dd>
        </div>
      </dl>
      {tier.features.length > 0 && (
        <ul className={styles.features}>
          {tier.features.map((feature) => (
            <li key={feature}>{feature}</li>
          ))}
        </ul>
      )}
      <div className={styles.tierAction}>
        {current ? (
          <Button variant="secondary" block disabled>
            {t('currentPlan')}
          </Button>
        ) : (
          <Button
            variant={tier.level > currentLevel ? 'primary' : 'secondary'}
            block
            onClick={() => onChoose(tier)}
            aria-label={t(tier.level > currentLevel ? 'upgradeNamed' : 'downgradeNamed', { tier: tierName(tier.tier) })}
          >
            {tier.level > currentLevel ? t('upgrade') : t('downgrade')}
          </Button>
        )}
      </div>
    </li>
  );
}
