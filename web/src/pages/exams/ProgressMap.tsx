import type { Question } from '../../api/types';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './ExamTakePage.module.css';

export interface ProgressMapProps {
  questions: Question[];
  answers: Record<string, string>;
  current: number;
  onSelect: (index: number) => void;
}

/** One button per question: answered / not answered / current. */
export function ProgressMap({ questions, answers, current, onSelect }: ProgressMapProps) {
  const t = useMessages(messages);
  return (
    <nav aria-label={t('progressNav')} className={styles.progress}>
      <ol className={styles.progressList}>
        {questions.map((q, i) => {
          const answered = answers[String(q.id)] !== undefined;
          const state = answered ? t('answered') : t('unanswered');
          return (
            <li key={q.id}>
              <button
                type="button"
                className={styles.progressItem}
                data-answered={answered}
                aria-current={i === current ? 'step' : undefined}
                aria-label={t('progressItem', { n: i + 1, state })}
                onClick={() => onSelect(i)}
              >
                {i + 1}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
