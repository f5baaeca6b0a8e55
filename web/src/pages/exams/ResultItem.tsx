import { useId } from 'react';
import { Link } from 'react-router';
import type { ExamResults } from '../../api/types';
import { Badge } from '../../components/Badge';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './ExamResultsPage.module.css';

export type ResultAnswer = ExamResults['answers'][number];

export function ResultItem({ item, index }: { item: ResultAnswer; index: number }) {
  const t = useMessages(messages);
  const headingId = useId();
  const q = item.question;
  const trueFalse = q.question_type === 'true_false';
  const show = (answer: string | null | undefined) => {
    if (answer === null || answer === undefined || answer === '') return null;
    if (!trueFalse) return answer;
    const upper = answer.trim().toUpperCase();
    return upper === 'O' ? t('trueLabel') : upper === 'X' ? t('falseLabel') : answer;
  };
  const given = show(item.user_answer);
  const noteTitle = q.content?.title ?? q.content_title;

  return (
    <li className={styles.item} data-correct={item.is_correct}>
      <article aria-labelledby={headingId}>
        <div className={styles.itemHead}>
          <h3 id={headingId} className={styles.itemTitle}>
            {t('questionHeading', { n: index + 1 })}
          </h3>
          <Badge tone={item.is_correct ? 'success' : 'danger'}>
            <span aria-hidden="true">{item.is_correct ? '✓' : '✗'}</span>
            {item.is_correct ? t('correct') : t('incorrect')}
          </Badge>
        </div>
        <p className={styles.questionText}>{q.question_text}</p>
        {!trueFalse && q.choices && (
          <ul className={styles.choices}>
            {q.choices.map((c) => (
              <li key={c} data-correct={c === q.correct_answer} data-given={c === item.user_answer}>
                {c}
              </li>
            ))}
          </ul>
        )}
        <dl className={styles.answers}>
          <div>
            <dt>{t('yourAnswer')}</dt>
            <dd className={item.is_correct ? styles.right : styles.wrong}>{given ?? t('noAnswer')}</dd>
          </div>
          <div>
            <dt>{t('correctAnswer')}</dt>
            <dd>{show(q.correct_answer)}</dd>
          </div>
        </dl>
        {q.explanation && (
          <div className={styles.explanation}>
            <h4 className={styles.explanationTitle}>{t('explanation')}</h4>
            <p>{q.explanation}</p>
          </div>
        )}
        {item.ai_feedback && (
          <div className={styles.explanation}>
            <h4 className={styles.explanationTitle}>{t('aiFeedback', { score: item.ai_score ?? 0 })}</h4>
            <p>{item.ai_feedback}</p>
          </div>
        )}
        {q.content ? (
          <Link to={`/contents/${q.content.id}`} className={styles.noteLink}>
            {t('noteLink', { title: noteTitle ?? '' })}
          </Link>
        ) : (
          <p className="muted">{noteTitle ? t('fromNote', { title: noteTitle }) : t('deletedNote')}</p>
        )}
      </article>
    </li>
  );
}
