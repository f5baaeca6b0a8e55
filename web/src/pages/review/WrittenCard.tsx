import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { CompletionResponse, ReviewResult } from '../../api/types';
import { isApiError } from '../../api/client';
import { Button } from '../../components/Button';
import { Markdown } from '../../components/Markdown';
import { useMessages } from '../../i18n/react';
import { CardFrame, Kbd } from './CardFrame';
import { messages } from './messages';
import type { CardProps } from './types';
import { useReviewKeys } from './useReviewKeys';
import { useSubmission } from './useSubmission';
import styles from './ReviewPage.module.css';

interface Answered {
  result: ReviewResult | null;
  evaluation: CompletionResponse['ai_evaluation'] | null;
  queued: boolean;
}

const SELF: { key: string; result: ReviewResult; label: 'forgot' | 'partial' | 'remembered' }[] = [
  { key: '1', result: 'forgot', label: 'forgot' },
  { key: '2', result: 'partial', label: 'partial' },
  { key: '3', result: 'remembered', label: 'remembered' },
];

/** Written mode: the title, an answer box (Enter submits, Shift+Enter is a new line), then the AI's grade. */
export function WrittenCard({ schedule, submit, next, last }: CardProps) {
  const t = useMessages(messages);
  const id = useId();
  const [answer, setAnswer] = useState('');
  const [answered, setAnswered] = useState<Answered | null>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  // Once answered, Enter means "next": the button takes the focus after it is committed.
  useEffect(() => {
    if (answered) nextRef.current?.focus();
  }, [answered]);
  const { run, busy, error, failure } = useSubmission(submit);

  const send = async (result?: ReviewResult) => {
    if (busy || answered || !answer.trim()) return;
    const sent = await run(result ? { descriptive_answer: answer, result } : { descriptive_answer: answer });
    if (!sent) return;
    setAnswered(
      sent.queued
        ? { result: result ?? null, evaluation: null, queued: true }
        : { result: sent.response.final_result, evaluation: sent.response.ai_evaluation ?? null, queued: false },
    );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter submits; Shift+Enter is a new line; never while an IME is composing (Korean input).
    if (e.key !== 'Enter' || e.shiftKey || e.nativeEvent.isComposing || e.keyCode === 229) return;
    e.preventDefault();
    void send();
  };

  const finish = () => answered && next(answered.result, answered.queued);
  useReviewKeys(answered ? { Enter: finish, ' ': finish } : {});

  // A refused answer (AI grading failed → 400) lets the learner grade themselves.
  const canSelfGrade = isApiError(failure) && failure.status === 400;
  const ev = answered?.evaluation;

  return (
    <CardFrame
      schedule={schedule}
      heading={schedule.content.title}
      // While writing, the keys are told under the answer box (its description).
      hints={answered ? [{ keys: ['Enter'], label: t(last ? 'finish' : 'next') }] : []}
    >
      <p className="muted">{t('writePrompt')}</p>
      <div className="field">
        <label htmlFor={`${id}-answer`} className="field__label">
          {t('yourAnswer')}
        </label>
        <textarea
          id={`${id}-answer`}
          className={`input input--textarea ${styles.answerBox}`}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          onKeyDown={onKeyDown}
          readOnly={!!answered}
          aria-describedby={`${id}-keys`}
          aria-keyshortcuts="Enter"
        />
        <p id={`${id}-keys`} className="field__hint">
          <Kbd>Enter</Kbd> {t('keySubmit')} · <Kbd>Shift+Enter</Kbd> {t('keyNewline')}
        </p>
      </div>
      {!answered && (
        <Button onClick={() => void send()} loading={busy} disabled={!answer.trim()} className={styles.primaryAction}>
          {busy ? t('grading') : t('submitAnswer')}
        </Button>
      )}
      {error && !answered && (
        <p className="form-error" role="alert">
          {t('submitError', { message: error })}
        </p>
      )}
      {canSelfGrade && !answered && (
        <div role="group" aria-label={t('selfGrade')} className={styles.grades}>
          <p className={styles.groupLabel}>{t('selfGrade')}</p>
          {SELF.map((g) => (
            <Button key={g.key} variant="secondary" disabled={busy} onClick={() => void send(g.result)}>
              {t(g.label)}
            </Button>
          ))}
        </div>
      )}
      <div role="status" className={styles.feedback}>
        {answered && ev && (
          <>
            {ev.score !== null && ev.score !== undefined && (
              <p className={styles.verdict} data-correct={ev.is_correct ?? undefined}>
                {t('aiScore', { score: Math.round(ev.score) })}
                {' · '}
                {t('aiResult', { result: t(ev.auto_result) })}
              </p>
            )}
            <h3 className={styles.feedbackTitle}>{t('aiFeedback')}</h3>
            <p>{ev.feedback}</p>
          </>
        )}
        {answered?.queued && <p className="muted">{t('queuedResult')}</p>}
      </div>
      {answered && (
        <>
          <div className={styles.answer} role="region" aria-label={t('noteBody')}>
            <Markdown source={schedule.content.content} skeletonLines={4} />
          </div>
          <Button ref={nextRef} onClick={finish} className={styles.primaryAction} aria-keyshortcuts="Enter">
            {t(last ? 'finish' : 'next')} <Kbd decorative>Enter</Kbd>
          </Button>
        </>
      )}
    </CardFrame>
  );
}
