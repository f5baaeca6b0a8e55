import { useEffect, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { ExamSummary, Page } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { EmptyState, QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useMessages } from '../../i18n/react';
import { ExamListItem } from './ExamListItem';
import { messages } from './messages';
import styles from './ExamsPage.module.css';

const PAGE_SIZE = 20;

function ListSkeleton() {
  return (
    <ul className={styles.list} aria-hidden="true">
      {[0, 1, 2].map((i) => (
        <li key={i} className={styles.item}>
          <Skeleton height="5.25rem" />
        </li>
      ))}
    </ul>
  );
}

export default function ExamsPage() {
  const t = useMessages(messages);
  const toast = useToast();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [toDelete, setToDelete] = useState<ExamSummary | null>(null);

  const query = useQuery({
    queryKey: qk.exams.list({ page }),
    queryFn: ({ signal }) => api.get<Page<ExamSummary>>('/api/exams/', { query: { page }, signal }),
    placeholderData: keepPreviousData,
  });

  const remove = useMutation({
    mutationFn: (exam: ExamSummary) => api.delete(`/api/exams/${exam.id}/`),
    onSuccess: async () => {
      setToDelete(null);
      toast.show({ message: t('deleted'), tone: 'success' });
      await queryClient.invalidateQueries({ queryKey: qk.exams.all });
    },
  });

  const totalPages = Math.max(1, Math.ceil((query.data?.count ?? 0) / PAGE_SIZE));
  const goTo = (p: number) => setParams(p > 1 ? { page: String(p) } : {});
  // A page that no longer exists (its last exam was deleted): back to the first one.
  const outOfRange = page > 1 && isApiError(query.error) && query.error.status === 404;
  useEffect(() => {
    if (outOfRange) setParams({}, { replace: true });
  }, [outOfRange, setParams]);

  return (
    <>
      <PageHeader
        title={t('listTitle')}
        description={t('listDescription')}
        actions={<LinkButton to="/exams/new">{t('newExam')}</LinkButton>}
      />
      <QueryView
        query={query}
        loading={<ListSkeleton />}
        isEmpty={(d) => d.results.length === 0 && page === 1}
        empty={
          <EmptyState
            title={t('emptyTitle')}
            description={t('emptyText')}
            action={<LinkButton to="/exams/new">{t('newExam')}</LinkButton>}
          />
        }
      >
        {(data) => (
          <>
            <ul className={styles.list} aria-label={t('examList')}>
              {data.results.map((exam) => (
                <ExamListItem key={exam.id} exam={exam} onDelete={setToDelete} />
              ))}
            </ul>
            {(data.next || data.previous) && (
              <nav className={styles.pager} aria-label={t('pagination')}>
                <Button variant="secondary" size="sm" disabled={!data.previous} onClick={() => goTo(page - 1)}>
                  {t('prevPage')}
                </Button>
                <span aria-live="polite">{t('pageOf', { page, total: totalPages })}</span>
                <Button variant="secondary" size="sm" disabled={!data.next} onClick={() => goTo(page + 1)}>
                  {t('nextPage')}
                </Button>
              </nav>
            )}
          </>
        )}
      </QueryView>
      <ConfirmDialog
        open={toDelete !== null}
        title={t('deleteTitle')}
        description={toDelete ? t('deleteText', { title: toDelete.title }) : undefined}
        confirmLabel={t('delete')}
        busy={remove.isPending}
        error={remove.isError ? errorMessage(remove.error) : null}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        onCancel={() => {
          setToDelete(null);
          remove.reset();
        }}
      />
    </>
  );
}
