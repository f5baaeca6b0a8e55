import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Exam, ExamSummary } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { Spinner } from '../../components/Spinner';
import { useFormat, useMessages } from '../../i18n/react';
import { ExamStatusBadge } from './examStatus';
import { messages } from './messages';
import styles from './ExamsPage.module.css';

/** How often a `preparing` exam is re-read until its questions are ready. */
export const PREPARING_POLL_MS = 3000;

/** While an exam is `preparing`, poll its detail; once it moved on, refresh the list. */
function usePreparingStatus(exam: ExamSummary): ExamSummary['status'] {
  const queryClient = useQueryClient();
  const preparing = exam.status === 'preparing';
  const detail = useQuery({
    queryKey: qk.exams.detail(exam.id),
    queryFn: ({ signal }) => api.get<Exam>(`/api/exams/${exam.id}/`, { signal }),
    enabled: preparing,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'preparing' ? false : PREPARING_POLL_MS),
  });
  const status = preparing && detail.data ? detail.data.status : exam.status;
  useEffect(() => {
    if (preparing && status !== 'preparing') void queryClient.invalidateQueries({ queryKey: qk.exams.all });
  }, [preparing, status, queryClient]);
  return status;
}

export function ExamListItem({ exam, onDelete }: { exam: ExamSummary; onDelete: (exam: ExamSummary) => void }) {
  const t = useMessages(messages);
  const f = useFormat();
  const status = usePreparingStatus(exam);
  const title = exam.title;
  return (
    <li className={styles.item}>
      <div className={styles.itemMain}>
        <div className={styles.itemHead}>
          <h2 className={styles.itemTitle}>{title}</h2>
          <ExamStatusBadge status={status} />
        </div>
        <p className={`${styles.meta} muted`}>
          <span>{t('createdOn', { date: f.date(exam.created_at) })}</span>
          {exam.total_questions > 0 && <span>{t('questionCount', { count: exam.total_questions })}</span>}
          {status === 'completed' && (
            <span>
              {t('scoreLine', {
                correct: exam.correct_answers,
                total: exam.total_questions,
                score: f.percent(exam.score_percentage ?? 0, 1),
              })}
            </span>
          )}
        </p>
        {status === 'preparing' && (
          <p className={styles.preparing} role="status">
            <Spinner size="sm" decorative />
            {t('preparingHint')}
          </p>
        )}
      </div>
      <div className={styles.actions}>
        {status === 'pending' && (
          <LinkButton to={`/exams/${exam.id}/take`} size="sm" aria-label={t('startNamed', { title })}>
            {t('start')}
          </LinkButton>
        )}
        {status === 'in_progress' && (
          <LinkButton to={`/exams/${exam.id}/take`} size="sm" aria-label={t('resumeNamed', { title })}>
            {t('resume')}
          </LinkButton>
        )}
        {status === 'completed' && (
          <LinkButton to={`/exams/${exam.id}/results`} size="sm" aria-label={t('viewResultsNamed', { title })}>
            {t('viewResults')}
          </LinkButton>
        )}
        <Button variant="ghost" size="sm" onClick={() => onDelete(exam)} aria-label={t('deleteNamed', { title })}>
          {t('delete')}
        </Button>
      </div>
    </li>
  );
}
