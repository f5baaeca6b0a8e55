import type { ReviewMode, ReviewResult } from '../../api/types';
import { useMessages } from '../../i18n/react';
import { dDay } from '../../lib/dday';
import { messages } from './messages';
import styles from './badges.module.css';

export const MODE_KEYS = {
  objective: 'modeObjective',
  multiple_choice: 'modeMultipleChoice',
  descriptive: 'modeDescriptive',
} as const satisfies Record<ReviewMode, string>;

export const RESULT_KEYS = {
  remembered: 'resultRemembered',
  partial: 'resultPartial',
  forgot: 'resultForgot',
} as const satisfies Record<ReviewResult, string>;

/** 기억 확인 / 객관식 / 서술형 */
export function ReviewModeBadge({ mode }: { mode: ReviewMode }) {
  const t = useMessages(messages);
  const label = t(MODE_KEYS[mode] ?? 'modeObjective');
  return (
    <span className={styles.badge} data-tone={mode === 'objective' ? 'neutral' : 'info'} title={t('modeLabel', { mode: label })}>
      {label}
    </span>
  );
}

export function AiBadge() {
  const t = useMessages(messages);
  return (
    <span className={styles.badge} data-tone="success">
      <span aria-hidden="true">✓ </span>
      {t('aiValidated')}
    </span>
  );
}

export function ResultBadge({ result }: { result: ReviewResult }) {
  const t = useMessages(messages);
  const tone = result === 'remembered' ? 'success' : result === 'partial' ? 'warning' : 'danger';
  return (
    <span className={styles.badge} data-tone={tone}>
      {t(RESULT_KEYS[result] ?? 'resultForgot')}
    </span>
  );
}

/** "D-3" / "오늘" / "D+2" for the next review, with the full date as its accessible name. */
export function DDayBadge({ date, fullDate }: { date: string | null; fullDate?: string }) {
  const t = useMessages(messages);
  const d = dDay(date, t('today'));
  if (!d) return <span className={styles.badge} data-tone="neutral">{t('nextReviewNone')}</span>;
  return (
    <span className={styles.badge} data-tone={d.tone} title={fullDate}>
      <span className="visually-hidden">{t('nextReviewPrefix')} </span>
      {d.label}
    </span>
  );
}
