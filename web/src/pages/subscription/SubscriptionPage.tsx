import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { BillingCycle, Subscription, TierInfo, TiersResponse } from '../../api/types';
import { useAuth } from '../../auth/context';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useMessages } from '../../i18n/react';
import { CurrentPlan, effectiveTier } from './CurrentPlan';
import { messages } from './messages';
import { TierCard } from './TierCard';
import styles from './SubscriptionPage.module.css';
import { tierName } from '../../i18n/common';

const MINE = '/api/accounts/subscriptions/me/';
type Pending = { kind: 'change'; tier: TierInfo; cycle: BillingCycle } | { kind: 'cancel' };

function TiersSkeleton() {
  return (
    <ul className={styles.tiers} aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <li key={i} className={styles.tier}>
          <Skeleton height="19rem" />
        </li>
      ))}
    </ul>
  );
}

export default function SubscriptionPage() {
  const t = useMessages(messages);
  const toast = useToast();
  const queryClient = useQueryClient();
  const { refreshUser } = useAuth();
  const [cycle, setCycle] = useState<BillingCycle>('monthly');
  const [pending, setPending] = useState<Pending | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);

  const mine = useQuery({
    queryKey: qk.subscription.mine(),
    // No subscription row (404) means the free plan.
    queryFn: ({ signal }) =>
      api.get<Subscription>('/api/accounts/subscription/', { signal }).catch((e: unknown) => {
        if (isApiError(e) && e.status === 404) return null;
        throw e;
      }),
  });
  const tiers = useQuery({
    queryKey: qk.subscription.tiers(cycle),
    queryFn: ({ signal }) =>
      api.get<TiersResponse>('/api/accounts/subscription/tiers/', { query: { billing_cycle: cycle }, signal }),
    placeholderData: keepPreviousData,
  });

  const change = useMutation({
    mutationFn: (p: Pending) =>
      p.kind === 'change'
        ? api.patch<Subscription>(MINE, { tier: p.tier.tier, billing_cycle: p.cycle })
        : api.delete<Subscription>(MINE),
    onSuccess: async (sub, p) => {
      setPending(null);
      setRefusal(null);
      queryClient.setQueryData(qk.subscription.mine(), sub);
      toast.show({
        message: p.kind === 'change' ? t('changed', { tier: tierName(p.tier.tier) }) : t('cancelled'),
        tone: 'success',
      });
      // Limits, usage and schedules follow the plan.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: qk.subscription.all }),
        queryClient.invalidateQueries({ queryKey: qk.contents.all }),
        queryClient.invalidateQueries({ queryKey: qk.categories.all }),
        queryClient.invalidateQueries({ queryKey: qk.review.all }),
        queryClient.invalidateQueries({ queryKey: qk.profile }),
        refreshUser().catch(() => null),
      ]);
    },
    onError: (error) => {
      setPending(null);
      setRefusal(errorMessage(error));
    },
  });

  const current = effectiveTier(mine.data);
  const currentLevel = tiers.data?.tiers.find((x) => x.tier === current)?.level ?? 0;
  const choose = (tier: TierInfo) =>
    setPending(tier.tier === 'free' ? { kind: 'cancel' } : { kind: 'change', tier, cycle });

  return (
    <>
      <PageHeader title={t('subscriptionTitle')} description={t('subscriptionDescription')} />
      <div className="form-error" role="alert">
        {refusal && (
          <>
            <strong>{t('refused')}</strong>: {refusal}
          </>
        )}
      </div>
      <div className={styles.layout}>
        <QueryView query={mine} loading={<Skeleton height="12rem" radius="var(--radius-lg)" />}>
          {(sub) => <CurrentPlan sub={sub} onCancel={() => setPending({ kind: 'cancel' })} />}
        </QueryView>
        <section aria-labelledby="plans-title">
          <div className={styles.plansHead}>
            <h2 id="plans-title" className={styles.sectionTitle}>
              {t('plansTitle')}
            </h2>
            <fieldset className={styles.cycle}>
              <legend className="visually-hidden">{t('billingCycle')}</legend>
              {(['monthly', 'yearly'] as const).map((c) => (
                <label key={c} className={styles.cycleOption}>
                  <input type="radio" name="billing-cycle" value={c} checked={cycle === c} onChange={() => setCycle(c)} />
                  <span>{t(c)}</span>
                </label>
              ))}
            </fieldset>
          </div>
          <QueryView query={tiers} loading={<TiersSkeleton />}>
            {(data) => (
              <ul className={styles.tiers} aria-busy={tiers.isPlaceholderData || undefined}>
                {data.tiers.map((tier) => (
                  <TierCard
                    key={tier.tier}
                    tier={tier}
                    current={tier.tier === current}
                    currentLevel={currentLevel}
                    onChoose={choose}
                  />
                ))}
              </ul>
            )}
          </QueryView>
        </section>
      </div>
      <ConfirmDialog
        open={pending !== null}
        tone={pending?.kind === 'cancel' ? 'danger' : 'primary'}
        title={pending?.kind === 'change' ? t('confirmChangeTitle', { tier: tierName(pending.tier.tier) }) : t('confirmCancelTitle')}
        description={
          pending?.kind === 'change'
            ? t('confirmChangeText', { cycle: t(pending.cycle === 'yearly' ? 'yearly' : 'monthly') })
            : t('confirmCancelText')
        }
        confirmLabel={pending?.kind === 'change' ? t('confirmChange') : t('confirmCancel')}
        busy={change.isPending}
        onConfirm={() => pending && change.mutate(pending)}
        onCancel={() => setPending(null)}
      />
    </>
  );
}
