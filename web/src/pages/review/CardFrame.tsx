import { useEffect, useRef, type ReactNode } from 'react';
import type { Schedule } from '../../api/types';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './ReviewPage.module.css';

const MODE_KEYS = {
  objective: 'modeObjective',
  multiple_choice: 'modeMultipleChoice',
  descriptive: 'modeDescriptive',
} as const;

interface Props {
  schedule: Schedule;
  /** the heading; the title, or a question for multiple choice (which must not show the title) */
  heading: ReactNode;
  /** key hints shown under the card: the keys and what they do */
  hints: { keys: string[]; label: string }[];
  children: ReactNode;
}

/** The card around every mode: mode and category, a heading focused when the card appears, key hints. */
export function CardFrame({ schedule, heading, hints, children }: Props) {
  const t = useMessages(messages);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: false });
  }, [schedule.id]);
  return (
    <article className={`card ${styles.card}`} aria-labelledby={`card-${schedule.id}`}>
      <p className={styles.cardMeta}>
        <span className={styles.mode}>{t(MODE_KEYS[schedule.content.review_mode] ?? 'modeObjective')}</span>
        <span>{schedule.content.category_name ?? t('uncategorized')}</span>
      </p>
      <h2 id={`card-${schedule.id}`} ref={headingRef} tabIndex={-1} className={styles.cardTitle}>
        {heading}
      </h2>
      {children}
      {hints.length > 0 && (
        <ul className={styles.hints} aria-label={t('keyHintsLabel')}>
          {hints.map((h) => (
            <li key={h.label}>
              {h.keys.map((k) => (
                <Kbd key={k}>{k}</Kbd>
              ))}{' '}
              {h.label}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** A key cap. Inside buttons pass `decorative` (the button names itself; aria-keyshortcuts tells the key). */
export function Kbd({ children, decorative = false }: { children: ReactNode; decorative?: boolean }) {
  return (
    <kbd className={styles.kbd} aria-hidden={decorative || undefined}>
      {children}
    </kbd>
  );
}
