import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Exam, ExamCompleteResponse, Id } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import { ProgressMap } from './ProgressMap';
import { QuestionPanel } from './QuestionPanel';
import { clearExamProgress, useExamAnswers } from './useExamAnswers';
import styles from './ExamTakePage.module.css';

interface Started {
  message: string;
  test: Exam;
}

/** 409 = the questions are still being prepared: try again after Retry-After (about 5 s). */
function retryStart(failureCount: number, error: unknown): boolean {
  if (isApiError(error) && error.status === 409) return failureCount < 24;
  if (isApiError(error) && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

function TakeSkeleton() {
  return (
    <div className={styles.layout} aria-hidden="true">
      <Skeleton height="3rem" />
      <Skeleton height="22rem" radius="var(--radius-lg)" />
    </div>
  );
}

function TakeExam({ examId, exam }: { examId: Id; exam: Exam }) {
  const t = useMessages(messages);
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const questions = [...exam.questions].sort((a, b) => a.order - b.order);
  const { answers, answer, saveState, retry, flush, current: stored, setCurrent } = useExamAnswers(examId);
  const current = Math.min(Math.max(0, stored), Math.max(0, questions.length - 1));
  const [confirming, setConfirming] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const [finishError, setFinishError] = useState<string | null>(null);
  const question = questions[current];
  const answeredCount = questions.filter((q) => answers[String(q.id)] !== undefined).length;
  const unanswered = questions.length - answeredCount;

  const finish = async () => {
    setFinishing(true);
    setFinishError(null);
    try {
      if (!(await flush())) throw new Error(t('saveFailed'));
      await api.patch<ExamCompleteResponse>(`/api/exams/test-sessions/${examId}/`);
    } catch (error) {
      setFinishError(isApiError(error) ? errorMessage(error) : t('saveFailed'));
      setFinishing(false);
      return;
    }
    clearExamProgress(examId);
    // Mark stale without refetching: the session query on this page must not start the exam again.
    await queryClient.invalidateQueries({ queryKey: qk.exams.all, refetchType: 'none' });
    toast.show({ message: t('finished'), tone: 'success' });
    navigate(`/exams/${examId}/results`, { replace: true });
  };


  return (
    <>
      <div className={styles.layout}>
        <div className={styles.side}>
          <p className={`${styles.answered} muted`}>
            {t('answeredCount', { answered: answeredCount, total: questions.length })}
          </p>
          <ProgressMap questions={questions} answers={answers} current={current} onSelect={setCurrent} />
        </div>
        {question && (
          <QuestionPanel
            question={question}
            index={current}
            total={questions.length}
            value={answers[String(question.id)]}
            saveState={saveState[String(question.id)]}
            onAnswer={(value) => answer(question.id, value)}
            onRetry={() => {
              const value = answers[String(question.id)];
              if (value !== undefined) void retry(question.id, value);
            }}
          />
        )}
        <div className={styles.nav}>
          <Button variant="secondary" disabled={current === 0} onClick={() => setCurrent(current - 1)}>
            {t('prevQuestion')}
          </Button>
          <Button
            variant="secondary"
            disabled={current >= questions.length - 1}
            onClick={() => setCurrent(current + 1)}
          >
            {t('nextQuestion')}
          </Button>
          <Button className={styles.finish} onClick={() => setConfirming(true)}>
            {t('finish')}
          </Button>
          {!confirming && finishError && (
            <p className={`form-error ${styles.navError}`} role="alert">
              {finishError}
            </p>
          )}
        </div>
      </div>
      <ConfirmDialog
        open={confirming}
        role="dialog"
        tone="primary"
        title={t('finishTitle')}
        description={unanswered > 0 ? t('finishUnanswered', { count: unanswered }) : t('finishAll')}
        confirmLabel={t('finishConfirm')}
        busy={finishing}
        error={finishError}
        onConfirm={() => void finish()}
        onCancel={() => {
          setConfirming(false);
          setFinishError(null);
        }}
      />
    </>
  );
}

export default function ExamTakePage() {
  const t = useMessages(messages);
  const { id } = useParams();
  const examId = Number(id);
  const query = useQuery({
    queryKey: qk.exams.session(examId),
    queryFn: () => api.post<Started>('/api/exams/test-sessions/', { test_id: examId }),
    enabled: Number.isInteger(examId) && examId > 0,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: retryStart,
    retryDelay: (n, error) => (isApiError(error) && error.status === 409 ? (error.retryAfter ?? 5) * 1000 : 1000 * 2 ** n),
  });

  const failure = query.failureReason;
  const preparing = isApiError(failure) && failure.status === 409;
  const invalid = !(Number.isInteger(examId) && examId > 0);
  return (
    <>
      {/* One header for every state, so the focused <h1> survives the data arriving. */}
      <PageHeader title={query.data?.test.title ?? t('takeTitle')} />
      {query.isSuccess ? (
        <TakeExam examId={examId} exam={query.data.test} />
      ) : invalid || (query.isError && !preparing) ? (
        <ErrorState
          title={t('notStartable')}
          error={query.error}
          onRetry={invalid ? undefined : () => void query.refetch()}
          action={
            <>
              {isApiError(query.error) && query.error.status === 400 && (
                <LinkButton to={`/exams/${examId}/results`} variant="secondary">
                  {t('viewResults')}
                </LinkButton>
              )}
              <LinkButton to="/exams" variant="ghost">
                {t('backToList')}
              </LinkButton>
            </>
          }
        />
      ) : (
        <>
          {preparing && (
            <p className="notice" role="status">
              {t('preparingHint')}
            </p>
          )}
          <TakeSkeleton />
        </>
      )}
    </>
  );
}
