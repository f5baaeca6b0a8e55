import { useEffect, useRef, useState } from 'react';
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

interface Answered {
  choice: string;
  correct: boolean;
  result: ReviewResult;
  feedback: string | null;
  queued: boolean;
}

/**
 * Multiple choice: the body is shown and the title is picked among four options. Arrow keys move
 * between options (a radio group with a roving tab stop), Enter or Space chooses.
 */
export function ChoiceCard({ schedule, submit, next, last }: CardProps) {
  const t = useMessages(messages);
  const mc = schedule.content.mc_choices;
  const choices = mc?.choices?.length ? mc.choices : null;
  const [active, setActive] = useState(0);
  const [answered, setAnswered] = useState<Answered | null>(null);
  const radios = useRef<(HTMLButtonElement | null)[]>([]);
  const nextRef = useRef<HTMLButtonElement>(null);
  // Once answered, Enter means "next": the button takes the focus after it is committed.
  useEffect(() => {
    if (answered) nextRef.current?.focus();
  }, [answered]);
  const { run, busy, error } = useSubmission(submit);

  const move = (delta: number) => {
    if (!choices) return;
    const n = (active + delta + choices.length) % choices.length;
    setActive(n);
    radios.current[n]?.focus();
  };

  const choose = async (index: number) => {
    const choice = choices?.[index];
    if (choice === undefined || busy || answered) return;
    setActive(index);
    const sent = await run({ selected_choice: choice });
    if (!sent) return;
    const localCorrect = choice === mc?.correct_answer;
    const evaluation = sent.queued ? undefined : sent.response.ai_evaluation;
    const correct = evaluation?.is_correct ?? localCorrect;
    setAnswered({
      choice,
      correct,
      result: sent.queued ? (correct ? 'remembered' : 'forgot') : sent.response.final_result,
      feedback: evaluation?.feedback ?? null,
      queued: sent.queued,
    });
  };

  const finish = () => answered && next(answered.result, answered.queued);

  useReviewKeys(
    answered
      ? { Enter: finish, ' ': finish }
      : {
          ArrowUp: () => move(-1),
          ArrowLeft: () => move(-1),
          ArrowDown: () => move(1),
          ArrowRight: () => move(1),
          Enter: () => void choose(active),
          ' ': () => void choose(active),
        },
  );

  return (
    <CardFrame
      schedule={schedule}
      heading={t('choicePrompt')}
      hints={
        answered
          ? [{ keys: ['Enter'], label: t(last ? 'finish' : 'next') }]
          : [
              { keys: ['←', '↑', '→', '↓'], label: t('keyMove') },
              { keys: ['Enter', 'Space'], label: t('keyChoose') },
            ]
      }
    >
      <div className={styles.answer} role="region" aria-label={t('noteBody')}>
        <Markdown source={schedule.content.content} skeletonLines={4} />
      </div>
      {!choices ? (
        <div className={styles.pending}>
          <p className="notice">{t('choicesPending')}</p>
          <Button variant="secondary" onClick={() => next(null, false)}>
            {t('skip')}
          </Button>
        </div>
      ) : (
        <div role="radiogroup" aria-label={t('choicesLabel')} className={styles.choices}>
          {choices.map((choice, i) => {
            const isAnswer = answered && choice === mc?.correct_answer;
            const isPicked = answered?.choice === choice;
            return (
              <button
                key={choice}
                ref={(el) => {
                  radios.current[i] = el;
                }}
                type="button"
                role="radio"
                aria-checked={answered ? isPicked : i === active}
                aria-disabled={answered || busy ? true : undefined}
                tabIndex={i === active ? 0 : -1}
                className={styles.choice}
                data-state={isAnswer ? 'correct' : isPicked ? 'wrong' : undefined}
                onClick={() => void choose(i)}
                onFocus={() => !answered && setActive(i)}
              >
                <span className={styles.choiceIndex} aria-hidden="true">
                  {i + 1}
                </span>
                <span>{choice}</span>
                {isAnswer && <span className={styles.choiceTag}>{t('correctAnswer')}</span>}
                {isPicked && !isAnswer && <span className={styles.choiceTag}>{t('yourChoice')}</span>}
              </button>
            );
          })}
        </div>
      )}
      {error && (
        <div className={styles.pending}>
          <p className="form-error" role="alert">
            {t('submitError', { message: error })}
          </p>
          <Button variant="secondary" onClick={() => next(null, false)}>
            {t('skip')}
          </Button>
        </div>
      )}
      <div role="status" className={styles.feedback}>
        {answered && (
          <>
            <p className={styles.verdict} data-correct={answered.correct}>
              {answered.correct ? t('correct') : t('incorrect')}
            </p>
            {answered.feedback && <p>{answered.feedback}</p>}
            {answered.queued && <p className="muted">{t('queuedResult')}</p>}
          </>
        )}
      </div>
      {answered && (
        <Button ref={nextRef} onClick={finish} className={styles.primaryAction} aria-keyshortcuts="Enter">
          {t(last ? 'finish' : 'next')} <Kbd decorative>Enter</Kbd>
        </Button>
      )}
    </CardFrame>
  );
}
