import { useId } from 'react';
import type { Question } from '../../api/types';
import { Button } from '../../components/Button';
import { Spinner } from '../../components/Spinner';
import { useMessages } from '../../i18n/react';
import { ChoiceGroup, type Choice } from './ChoiceGroup';
import { messages } from './messages';
import type { SaveState } from './useExamAnswers';
import styles from './ExamTakePage.module.css';

const LETTERS = 'ABCDEFGHIJ';

export interface QuestionPanelProps {
  question: Question;
  index: number;
  total: number;
  value: string | undefined;
  saveState: SaveState | undefined;
  onAnswer: (value: string) => void;
  onRetry: () => void;
}

export function QuestionPanel({ question, index, total, value, saveState, onAnswer, onRetry }: QuestionPanelProps) {
  const t = useMessages(messages);
  const textId = useId();
  const choices: Choice[] =
    question.question_type === 'true_false'
      ? [
          { value: 'O', label: t('trueLabel'), marker: 'O' },
          { value: 'X', label: t('falseLabel'), marker: 'X' },
        ]
      : (question.choices ?? []).map((c, i) => ({ value: c, label: c, marker: LETTERS[i] ?? String(i + 1) }));

  return (
    <section className={styles.question} aria-labelledby={`${textId}-h`}>
      <p className={`${styles.position} muted`} aria-live="polite">
        {t('questionOf', { n: index + 1, total })}
      </p>
      <h2 id={`${textId}-h`} className="visually-hidden">
        {t('questionHeading', { n: index + 1 })}
      </h2>
      <p id={textId} className={styles.questionText}>
        {question.question_text}
      </p>
      <ChoiceGroup
        key={question.id}
        label={t('choicesLabel')}
        describedBy={textId}
        choices={choices}
        value={value}
        onChange={onAnswer}
      />
      <div className={styles.saveState} aria-live="polite">
        {saveState === 'saving' && (
          <>
            <Spinner size="sm" decorative />
            <span>{t('saving')}</span>
          </>
        )}
        {saveState === 'saved' && (
          <span className={styles.saved}>
            <span aria-hidden="true">✓ </span>
            <span>{t('saved')}</span>
          </span>
        )}
        {saveState === 'error' && (
          <>
            <span className={styles.saveError}>{t('saveFailed')}</span>
            <Button size="sm" variant="secondary" onClick={onRetry}>
              {t('saveRetry')}
            </Button>
          </>
        )}
      </div>
    </section>
  );
}
