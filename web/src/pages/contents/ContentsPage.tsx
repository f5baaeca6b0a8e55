import { useCallback } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { ContentsPage as ContentsEnvelope } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { Pagination } from '../../components/Pagination';
import { Skeleton } from '../../components/Spinner';
import { EmptyState, ErrorState } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { isUnlimited } from '../../lib/usage';
import { ContentListItem } from './ContentListItem';
import { ContentsFilters } from './ContentsFilters';
import { apiQuery, readListParams, writeListParams, type ListParams } from './listParams';
import { messages } from './messages';
import styles from './ContentsPage.module.css';

function ListSkeleton() {
  return (
    <ul className={styles.list} aria-hidden="true">
      {Array.from({ length: 6 }, (_, i) => (
        <li key={i} className={styles.item}>
          <Skeleton height="3rem" />
        </li>
      ))}
    </ul>
  );
}

export default function ContentsPage() {
  const t = useMessages(messages);
  const [searchParams, setSearchParams] = useSearchParams();
  const params = readListParams(searchParams);
  const query = apiQuery(params);
  const list = useQuery({
    queryKey: qk.contents.list(query),
    queryFn: ({ signal }) => api.get<ContentsEnvelope>('/api/contents/', { query, signal }),
    placeholderData: keepPreviousData,
  });

  const update = useCallback(
    (next: Partial<ListParams>) =>
      setSearchParams((current) => writeListParams({ ...readListParams(current), ...next }), { replace: !('page' in next && next.page !== 1) }),
    [setSearchParams],
  );

  const filtered = Boolean(params.search || params.category);
  const usage = list.data?.usage;
  const blocked = usage ? !usage.can_create : false;

  return (
    <>
      <PageHeader
        title={t('listTitle')}
        description={t('listDescription')}
        actions={
          blocked ? (
            <Button disabled>{t('newNote')}</Button>
          ) : (
            <LinkButton to="/contents/new">{t('newNote')}</LinkButton>
          )
        }
      />
      {usage && blocked && (
        <p className="notice" role="status">
          {t('planLimit', { limit: usage.limit })} <Link to="/subscription">{t('upgrade')}</Link>
        </p>
      )}
      <ContentsFilters params={params} onChange={update} filtered={filtered} />
      <div className={styles.meta}>
        <p className={styles.count} aria-live="polite">
          {list.data ? t('resultCount', { count: list.data.count }) : ' '}
        </p>
        {usage && !isUnlimited(usage) && (
          <p className={styles.usage}>
            {t('usageNotes')} {t('usageValue', { current: usage.current, limit: usage.limit })}
          </p>
        )}
      </div>
      {list.isPending ? (
        <ListSkeleton />
      ) : list.isError ? (
        isApiError(list.error) && list.error.status === 404 && params.page > 1 ? (
          <ErrorState message={t('pageMissing')} action={<Button onClick={() => update({ page: 1 })}>{t('firstPage')}</Button>} />
        ) : (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        )
      ) : list.data.results.length === 0 ? (
        filtered ? (
          <EmptyState
            title={t('noMatchTitle')}
            description={t('noMatchText')}
            action={<Button variant="secondary" onClick={() => update({ search: '', category: '', page: 1 })}>{t('clearFilters')}</Button>}
          />
        ) : (
          <EmptyState
            title={t('emptyTitle')}
            description={t('emptyText')}
            action={blocked ? undefined : <LinkButton to="/contents/new">{t('newNote')}</LinkButton>}
          />
        )
      ) : (
        <>
          <ul className={styles.list} aria-busy={list.isPlaceholderData || undefined}>
            {list.data.results.map((c) => (
              <ContentListItem key={c.id} content={c} />
            ))}
          </ul>
          <Pagination
            page={list.data.current_page}
            totalPages={list.data.total_pages}
            onChange={(page) => {
              update({ page });
              window.scrollTo({ top: 0 });
            }}
            labels={{
              nav: t('pagination'),
              previous: t('previous'),
              next: t('next'),
              status: t('pageStatus', { page: list.data.current_page, total: list.data.total_pages }),
              page: (page) => t('pageN', { page }),
            }}
          />
        </>
      )}
    </>
  );
}
