import { Link } from 'react-router';
import type { Content } from '../../api/types';
import { useFormat, useMessages } from '../../i18n/react';
import { AiBadge, DDayBadge, ReviewModeBadge } from './badges';
import { messages } from './messages';
import styles from './ContentsPage.module.css';

/** One note in the list: title (link), category, mode, AI badge and the next review's D-day. */
export function ContentListItem({ content }: { content: Content }) {
  const t = useMessages(messages);
  const f = useFormat();
  return (
    <li className={styles.item}>
      <div className={styles.itemMain}>
        <Link to={`/contents/${content.id}`} className={styles.itemTitle}>
          {content.title}
        </Link>
        <span className={styles.itemCategory}>{content.category?.name ?? t('uncategorized')}</span>
      </div>
      <div className={styles.itemBadges}>
        <ReviewModeBadge mode={content.review_mode} />
        {content.is_ai_validated && <AiBadge />}
        <DDayBadge
          date={content.next_review_date}
          fullDate={content.next_review_date ? f.dateTime(content.next_review_date) : undefined}
        />
      </div>
    </li>
  );
}
