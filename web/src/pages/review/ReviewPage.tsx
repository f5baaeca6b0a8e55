import { useCallback, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Schedule, TodayResponse } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { Select } from '../../components/Field';
import { Skeleton } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { useOutboxEvents, type OutboxEvent } from '../../offline';
import { useCategories } from '../categories/useCategories';
import { messages } from './messages';
import { ReviewEmpty } from './ReviewEmpty';
import { ReviewSession } from './ReviewSession';
import styles from './ReviewPage.module.css';

export default function ReviewPage() {
  const t = useMessages(messages);
  const [params, setParams] = useSearchParams();
  const slug = params.get('category_slug') || undefined;
  const queryClient = useQueryClient();
  const categories = useCategories();
  // Bumped by "review again": a new session from a fresh list.
  const [round, setRound] = useState(0);
  const today = useQuery({
    queryKey: qk.review.today(slug),
    queryFn: ({ signal }) =>
      api.get<TodayResponse>('/api/review/schedules/today/', { query: { category_slug: slug }, signal }),
    staleTime: 0,
  });

  // A session runs on a snapshot of the list taken when it starts: refetches (focus, reconnect,
  // outbox) never reshuffle or end it. A new category or "review again" starts a new one.
  const sessionKey = `${slug ?? ''}:${round}`;
  const [session, setSession] = useState<{ key: string; cards: Schedule[]; hasNotes: boolean } | null>(null);
  if (today.data && !today.isFetching && session?.key !== sessionKey) {
    setSession({ key: sessionKey, cards: today.data.results, hasNotes: today.data.total_count > 0 });
  }
  const current = session?.key === sessionKey ? session : null;

  const onOutbox = useCallback(
    (event: OutboxEvent) => {
      if (event.type === 'sent') void queryClient.invalidateQueries({ queryKey: qk.review.all, refetchType: 'none' });
    },
    [queryClient],
  );
  useOutboxEvents(onOutbox);

  const again = async () => {
    await today.refetch();
    setRound((r) => r + 1);
  };

  return (
    <>
      <PageHeader title={t('reviewTitle')} description={t('reviewDescription')} />
      {(categories.data?.results.length ?? 0) > 0 && (
        <div className={styles.filter}>
          <Select
            label={t('category')}
            value={slug ?? ''}
            onChange={(e) => setParams(e.target.value ? { category_slug: e.target.value } : {}, { replace: true })}
          >
            <option value="">{t('allCategories')}</option>
            {categories.data?.results.map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
          </Select>
        </div>
      )}
      {current ? (
        current.cards.length === 0 ? (
          <ReviewEmpty hasNotes={current.hasNotes} />
        ) : (
          <ReviewSession key={current.key} cards={current.cards} onAgain={() => void again()} />
        )
      ) : today.isError ? (
        <ErrorState error={today.error} onRetry={() => void today.refetch()} />
      ) : (
        <div className="stack" aria-hidden="true">
          <Skeleton height="0.75rem" />
          <Skeleton height="16rem" />
        </div>
      )}
    </>
  );
}
