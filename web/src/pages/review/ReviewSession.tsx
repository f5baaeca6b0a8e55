import { useCallback, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { qk } from '../../api/queryKeys';
import type { CompletionRequest, ReviewResult, Schedule } from '../../api/types';
import { useMessages } from '../../i18n/react';
import { submitCompletion } from '../../offline';
import { ChoiceCard } from './ChoiceCard';
import { messages } from './messages';
import { ObjectiveCard } from './ObjectiveCard';
import { SessionSummary } from './SessionSummary';
import type { CardProps, Outcome } from './types';
import { WrittenCard } from './WrittenCard';
import styles from './ReviewPage.module.css';

const MAX_SECONDS = 86_400;

function Card(props: CardProps) {
  switch (props.schedule.content.review_mode) {
    case 'multiple_choice':
      return <ChoiceCard {...props} />;
    case 'descriptive':
      return <WrittenCard {...props} />;
    default:
      return <ObjectiveCard {...props} />;
  }
}

/**
 * One pass over a snapshot of today's cards (refetches of the list do not reshuffle a running
 * session). Measures the time per card, sends completions through the offline outbox, and marks
 * review and contents queries stale so the dashboard shows the new numbers.
 */
export function ReviewSession({ cards, onAgain }: { cards: Schedule[]; onAgain: () => void }) {
  const t = useMessages(messages);
  const queryClient = useQueryClient();
  const [queue] = useState(cards);
  const [index, setIndex] = useState(0);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [offline, setOffline] = useState(false);
  const startedAt = useRef(Date.now());
  const spent = useRef<number | null>(null);
  const current = queue[index];

  const elapsed = () => Math.min(MAX_SECONDS, Math.max(0, Math.round((Date.now() - startedAt.current) / 1000)));

  const submit = useCallback(
    async (body: CompletionRequest) => {
      if (!current) throw new Error('no card');
      const seconds = elapsed();
      const sent = await submitCompletion(current.id, { ...body, time_spent: seconds });
      spent.current = seconds;
      if (sent.queued) setOffline(true);
      // Stale now; refetched when shown (today's list is not refetched under a running session).
      void queryClient.invalidateQueries({ queryKey: qk.review.all, refetchType: 'none' });
      void queryClient.invalidateQueries({ queryKey: qk.contents.all, refetchType: 'none' });
      return sent;
    },
    [current, queryClient],
  );

  const next = useCallback(
    (result: ReviewResult | null, queued: boolean) => {
      if (!current) return;
      const seconds = spent.current ?? elapsed();
      setOutcomes((list) => [...list, { scheduleId: current.id, title: current.content.title, result, queued, seconds }]);
      spent.current = null;
      startedAt.current = Date.now();
      setIndex((i) => i + 1);
    },
    [current],
  );

  const done = outcomes.length;
  const total = queue.length;
  return (
    <div className={styles.session}>
      <div className={styles.progress}>
        <div
          className={styles.progressTrack}
          role="progressbar"
          aria-label={t('progressLabel')}
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={done}
          aria-valuetext={t('progressText', { done, total })}
        >
          <span className={styles.progressFill} style={{ width: `${total ? (done / total) * 100 : 0}%` }} />
        </div>
        <span className={styles.progressText} aria-hidden="true">
          {t('progressShort', { done, total })}
        </span>
      </div>
      <p className={styles.offline} role="status">
        {offline ? t('queued') : ''}
      </p>
      {current ? (
        <Card key={current.id} schedule={current} submit={submit} next={next} last={index === total - 1} />
      ) : (
        <SessionSummary outcomes={outcomes} onAgain={onAgain} />
      )}
    </div>
  );
}
