import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { ExamResults } from '../../api/types';
import { LinkButton } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { parseDuration, splitSeconds } from '../../lib/duration';
import { messages } from './messages';
import { ResultItem } from './ResultItem';
import styles from './ExamResultsPage.module.css';

function Summary({ data }: { data: ExamResults }) {
  const t = useMessages(messages);
  const f = useFormat();
  const test = data.test;
  const seconds = parseDuration(test.time_spent);
  const d = seconds === null ? null : splitSeconds(seconds);
  const total = test.total_questions || data.answers.length;
  return (
    <section className={styles.summary} aria-labelledby="exam-summary">
      <h2 id="exam-summary" className="visually-hidden">
        {t('summary')}
      </h2>
      <div className={styles.score}>
        <span className={styles.scoreValue}>{f.percent(test.score_percentage ?? 0, 1)}</span>
        <span className="muted">{t('score')}</span>
      </div>
      <dl className={styles.facts}>
        <div>
          <dt>{t('correctCount')}</dt>
          <dd>{t('correctOfTotal', { correct: test.correct_answers, total })}</dd>
        </div>
        <div>
          <dt>{t('timeSpent')}</dt>
          <dd>
            {d === null
              ? '—'
              : d.hours > 0
                ? t('duration', { h: d.hours, m: d.minutes, s: d.seconds })
                : t('durationMin', { m: d.minutes, s: d.seconds })}
          </dd>
        </div>
        <div>
          <dt>{t('completedAt')}</dt>
          <dd>{test.completed_at ? f.dateTime(test.completed_at) : '—'}</dd>
        </div>
      </dl>
    </section>
  );
}

export default function ExamResultsPage() {
  const t = useMessages(messages);
  const { id } = useParams();
  const examId = Number(id);
  const query = useQuery({
    queryKey: qk.exams.results(examId),
    queryFn: ({ signal }) => api.get<ExamResults>(`/api/exams/test-sessions/${examId}/results/`, { signal }),
    enabled: Number.isInteger(examId) && examId > 0,
  });
  const back = (
    <LinkButton to="/exams" variant="secondary">
      {t('backToList')}
    </LinkButton>
  );

  return (
    <>
      <PageHeader title={query.data ? query.data.test.title : t('resultsTitle')} actions={back} />
      {query.isError ? (
        <ErrorState
          title={isApiError(query.error) && query.error.status === 400 ? t('notCompleted') : undefined}
          error={query.error}
          onRetry={() => void query.refetch()}
          action={
            isApiError(query.error) && query.error.status === 400 ? (
              <LinkButton to={`/exams/${examId}/take`}>{t('continueExam')}</LinkButton>
            ) : undefined
          }
        />
      ) : !query.data ? (
        <div className="stack" aria-hidden="true">
          <Skeleton height="8rem" radius="var(--radius-lg)" />
          <Skeleton lines={3} height="10rem" />
        </div>
      ) : (
        <>
          <Summary data={query.data} />
          <h2 className={styles.sectionTitle}>{t('questionsHeading')}</h2>
          <ol className={styles.list}>
            {query.data.answers.map((item, i) => (
              <ResultItem key={item.question.id} item={item} index={i} />
            ))}
          </ol>
        </>
      )}
    </>
  );
}
