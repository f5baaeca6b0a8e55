import { useRef, useState } from 'react';
import type { ReviewResult } from '../../api/types';
import { Button } from '../../components/Button';
import { Markdown } from '../../components/Markdown';
import { useMessages } from '../../i18n/react';
import { CardFrame, Kbd } from './CardFrame';
import { messages } from './messages';
import type { CardProps } from './types';
import { useReviewKeys } from './useReviewKeys';
import { useSubmission } from './useSubmission';
import styles from './ReviewPage.module.css';

const GRADES: { key: string; result: ReviewResult; label: 'forgot' | 'partial' | 'remembered' }[] = [
  { key: '1', result: 'forgot', label: 'forgot' },
  { key: '2', result: 'partial', label: 'partial' },
  { key: '3', result: 'remembered', label: 'remembered' },
];

/** Recall mode: the title; Space reveals the body; 1 / 2 / 3 grade it and move on. */
export function ObjectiveCard({ schedule, submit, next }: CardProps) {
  const t = useMessages(messages);
  const [revealed, setRevealed] = useState(false);
  const answerRef = useRef<HTMLDivElement>(null);
  const { run, busy, error } = useSubmission(submit);

  const reveal = () => {
    setRevealed(true);
    requestAnimationFrame(() => answerRef.current?.focus());
  };
  const grade = async (result: ReviewResult) => {
    if (busy) return;
    const sent = await run({ result });
    if (sent) next(result, sent.queued);
  };

  useReviewKeys(
    revealed
      ? { '1': () => void grade('forgot'), '2': () => void grade('partial'), '3': () => void grade('remembered') }
      : { ' ': reveal },
  );

  return (
    <CardFrame
      schedule={schedule}
      heading={schedule.content.title}
      hints={
        revealed
          ? GRADES.map((g) => ({ keys: [g.key], label: t(g.label) }))
          : [{ keys: ['Space'], label: t('keyReveal') }]
      }
    >
      {!revealed ? (
        <div className={styles.prompt}>
          <p className="muted">{t('recallPrompt')}</p>
          <Button onClick={reveal} className={styles.primaryAction} aria-keyshortcuts="Space">
            {t('reveal')} <Kbd decorative>Space</Kbd>
          </Button>
        </div>
      ) : (
        <>
          <div ref={answerRef} tabIndex={-1} className={styles.answer} role="region" aria-label={t('answer')}>
            <Markdown source={schedule.content.content} skeletonLines={5} />
          </div>
          <div role="group" aria-label={t('howWell')} className={styles.grades}>
            {GRADES.map((g) => (
              <Button
                key={g.key}
                variant={g.result === 'remembered' ? 'primary' : g.result === 'forgot' ? 'danger' : 'secondary'}
                disabled={busy}
                aria-keyshortcuts={g.key}
                onClick={() => void grade(g.result)}
              >
                <Kbd decorative>{g.key}</Kbd> {t(g.label)}
              </Button>
            ))}
          </div>
          {error && (
            <p className="form-error" role="alert">
              {t('submitError', { message: error })}
            </p>
          )}
        </>
      )}
    </CardFrame>
  );
}
