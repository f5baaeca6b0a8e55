import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { History, Id, ReviewPage } from '../../api/types';
import { Pagination } from '../../components/Pagination';
import { Skeleton } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { ResultBadge } from './badges';
import { messages } from './messages';
import styles from './ContentDetailPage.module.css';

/** This note's reviews, newest first (25 a page). */
export function ReviewHistory({ contentId }: { contentId: Id }) {
  const t = useMessages(messages);
  const f = useFormat();
  const [page, setPage] = useState(1);
  const params = { content: contentId, page: page > 1 ? page : undefined };
  const history = useQuery({
    queryKey: qk.review.history(params),
    queryFn: ({ signal }) => api.get<ReviewPage<History>>('/api/review/history/', { query: params, signal }),
    placeholderData: keepPreviousData,
  });

  if (history.isPending) return <Skeleton lines={3} height="2.5rem" />;
  if (history.isError) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  if (history.data.results.length === 0) return <p className="muted">{t('historyEmpty')}</p>;
  return (
    <>
      <ol className={styles.history}>
        {history.data.results.map((h) => (
          <li key={h.id} className={styles.historyItem}>
            <div className={styles.historyHead}>
              <time dateTime={h.review_date}>{f.dateTime(h.review_date)}</time>
              <ResultBadge result={h.result} />
              {h.time_spent > 0 && <span className="muted">{t('historyTime', { seconds: h.time_spent })}</span>}
              {h.ai_score !== null && <span className="muted">{t('historyAiScore', { score: Math.round(h.ai_score) })}</span>}
            </div>
            {h.descriptive_answer && (
              <div className={styles.historyBlock}>
                <strong>{t('historyAnswer')}</strong>
                <p>{h.descriptive_answer}</p>
              </div>
            )}
            {h.ai_feedback && (
              <div className={styles.historyBlock}>
                <strong>{t('historyAiFeedback')}</strong>
                <p>{h.ai_feedback}</p>
              </div>
            )}
          </li>
        ))}
      </ol>
      <Pagination
        page={history.data.current_page}
        totalPages={history.data.total_pages}
        onChange={setPage}
        labels={{
          nav: t('pagination'),
          previous: t('previous'),
          next: t('next'),
          status: t('pageStatus', { page: history.data.current_page, total: history.data.total_pages }),
          page: (p) => t('pageN', { page: p }),
        }}
      />
    </>
  );
}
