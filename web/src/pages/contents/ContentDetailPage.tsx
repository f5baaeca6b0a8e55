import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Content } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { Markdown } from '../../components/Markdown';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useCommon, useFormat, useMessages } from '../../i18n/react';
import { AiBadge, DDayBadge, ReviewModeBadge } from './badges';
import { messages } from './messages';
import { ReviewHistory } from './ReviewHistory';
import { ScheduleToggle } from './ScheduleToggle';
import styles from './ContentDetailPage.module.css';

function Meta({ content }: { content: Content }) {
  const t = useMessages(messages);
  const f = useFormat();
  return (
    <dl className={styles.meta}>
      <div>
        <dt>{t('metaCategory')}</dt>
        <dd>{content.category?.name ?? t('uncategorized')}</dd>
      </div>
      <div>
        <dt>{t('metaMode')}</dt>
        <dd>
          <ReviewModeBadge mode={content.review_mode} />
        </dd>
      </div>
      <div>
        <dt>{t('metaNextReview')}</dt>
        <dd className={styles.inline}>
          <DDayBadge date={content.next_review_date} />
          {content.next_review_date && <span>{f.dateTime(content.next_review_date)}</span>}
        </dd>
      </div>
      <div>
        <dt>{t('metaReviewCount')}</dt>
        <dd>{t('metaReviewCountValue', { count: content.review_count })}</dd>
      </div>
      <div>
        <dt>{t('metaAi')}</dt>
        <dd className={styles.inline}>
          {content.is_ai_validated ? (
            <>
              <AiBadge />
              <span>
                {t('metaAiValidated', {
                  score: content.ai_validation_score ?? '-',
                  date: content.ai_validated_at ? f.date(content.ai_validated_at) : '-',
                })}
              </span>
            </>
          ) : (
            t('metaAiNot')
          )}
        </dd>
      </div>
      <div>
        <dt>{t('metaCreated')}</dt>
        <dd>{f.dateTime(content.created_at)}</dd>
      </div>
      <div>
        <dt>{t('metaUpdated')}</dt>
        <dd>{f.dateTime(content.updated_at)}</dd>
      </div>
    </dl>
  );
}

export default function ContentDetailPage() {
  const t = useMessages(messages);
  const c = useCommon();
  const id = Number(useParams().id);
  const navigate = useNavigate();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const query = useQuery({
    queryKey: qk.contents.detail(id),
    queryFn: ({ signal }) => api.get<Content>(`/api/contents/${id}/`, { signal }),
    enabled: Number.isInteger(id),
  });
  const content = query.data;

  const remove = async () => {
    setDeleting(true);
    try {
      await api.delete(`/api/contents/${id}/`);
      setConfirming(false);
      queryClient.removeQueries({ queryKey: qk.contents.detail(id) });
      void queryClient.invalidateQueries({ queryKey: qk.contents.all });
      void queryClient.invalidateQueries({ queryKey: qk.review.all });
      toast.show({ message: t('deleted'), tone: 'success' });
      navigate('/contents', { replace: true });
    } catch (error) {
      toast.show({ message: errorMessage(error), tone: 'error' });
    } finally {
      setDeleting(false);
    }
  };

  return (
    <>
      <p className={styles.back}>
        <Link to="/contents">
          <span aria-hidden="true">← </span>
          {t('backToList')}
        </Link>
      </p>
      <PageHeader
        title={content?.title ?? t('detailTitle')}
        actions={
          content && (
            <>
              <LinkButton to={`/contents/${id}/edit`} variant="secondary">
                {t('edit')}
              </LinkButton>
              <Button variant="danger" onClick={() => setConfirming(true)}>
                {t('delete')}
              </Button>
            </>
          )
        }
      />
      <QueryView
        query={query}
        loading={
          <div className="stack" aria-hidden="true">
            <Skeleton height="7rem" />
            <Skeleton lines={8} height="1.2em" />
          </div>
        }
      >
        {(note) => (
          <div className={styles.layout}>
            <article className={`card ${styles.body}`} aria-labelledby="note-body-heading">
              <h2 id="note-body-heading" className="visually-hidden">
                {t('bodyHeading')}
              </h2>
              <Markdown source={note.content} skeletonLines={8} />
            </article>
            <aside className={styles.side}>
              <section className="card" aria-labelledby="note-meta-heading">
                <h2 id="note-meta-heading" className={styles.sectionTitle}>
                  {t('metaHeading')}
                </h2>
                <Meta content={note} />
              </section>
              <section className="card" aria-labelledby="note-schedule-heading">
                <h2 id="note-schedule-heading" className={styles.sectionTitle}>
                  {t('scheduleHeading')}
                </h2>
                <ScheduleToggle contentId={note.id} />
              </section>
            </aside>
            <section className={`card ${styles.historySection}`} aria-labelledby="note-history-heading">
              <h2 id="note-history-heading" className={styles.sectionTitle}>
                {t('historyHeading')}
              </h2>
              <ReviewHistory contentId={note.id} />
            </section>
          </div>
        )}
      </QueryView>
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        role="alertdialog"
        title={t('deleteTitle')}
        description={t('deleteText', { title: content?.title ?? '' })}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {c('cancel')}
            </Button>
            <Button variant="danger" loading={deleting} onClick={() => void remove()}>
              {t('deleteConfirm')}
            </Button>
          </>
        }
      />
    </>
  );
}
