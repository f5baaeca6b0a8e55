import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Category } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { EmptyState, QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { UsageMeter } from '../../components/UsageMeter';
import { useCommon, useFormat, useMessages } from '../../i18n/react';
import { isUnlimited } from '../../lib/usage';
import { CreateCategory } from './CreateCategory';
import { EditCategoryDialog } from './EditCategoryDialog';
import { messages } from './messages';
import { useCategories } from './useCategories';
import styles from './CategoriesPage.module.css';

export default function CategoriesPage() {
  const t = useMessages(messages);
  const c = useCommon();
  const f = useFormat();
  const toast = useToast();
  const queryClient = useQueryClient();
  const query = useCategories();
  const [editing, setEditing] = useState<Category | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const [busy, setBusy] = useState(false);
  const usage = query.data?.usage;

  const remove = async (category: Category) => {
    setBusy(true);
    try {
      await api.delete(`/api/categories/${category.id}/`);
      setDeleting(null);
      void queryClient.invalidateQueries({ queryKey: qk.categories.all });
      void queryClient.invalidateQueries({ queryKey: qk.contents.all });
      void queryClient.invalidateQueries({ queryKey: qk.review.all });
      toast.show({ message: t('deleted'), tone: 'success' });
    } catch (error) {
      toast.show({ message: errorMessage(error), tone: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('categoriesTitle')} description={t('categoriesDescription')} />
      <div className={styles.layout}>
        <div className={`card ${styles.top}`}>
          {usage ? (
            <UsageMeter
              usage={usage}
              label={t('usage')}
              valueText={
                isUnlimited(usage)
                  ? t('usageUnlimited', { current: usage.current })
                  : t('usageValue', { current: usage.current, limit: usage.limit })
              }
              hint={
                usage.can_create ? undefined : (
                  <>
                    {t('limitReached', { limit: usage.limit })} <Link to="/subscription">{t('upgrade')}</Link>
                  </>
                )
              }
            />
          ) : (
            <Skeleton height="2.75rem" />
          )}
          <CreateCategory disabled={usage ? !usage.can_create : false} />
        </div>
        <section aria-labelledby="category-list">
          <h2 id="category-list" className={styles.sectionTitle}>
            {t('listHeading')}
          </h2>
          <QueryView
            query={query}
            loading={<Skeleton lines={4} height="3.5rem" />}
            isEmpty={(d) => d.results.length === 0}
            empty={<EmptyState title={t('emptyTitle')} description={t('emptyText')} />}
          >
            {(data) => (
              <ul className={styles.list}>
                {data.results.map((category) => (
                  <li key={category.id} className={styles.item}>
                    <div className={styles.itemText}>
                      <h3 className={styles.itemName}>{category.name}</h3>
                      {category.description && <p className={styles.itemDescription}>{category.description}</p>}
                      <p className={styles.itemMeta}>{t('createdAt', { date: f.date(category.created_at) })}</p>
                    </div>
                    <div className={styles.itemActions}>
                      <LinkButton
                        to={`/contents?category=${category.id}`}
                        variant="ghost"
                        size="sm"
                        aria-label={t('viewNotesOf', { name: category.name })}
                      >
                        {t('viewNotes')}
                      </LinkButton>
                      <Button
                        variant="secondary"
                        size="sm"
                        aria-label={t('editOf', { name: category.name })}
                        onClick={() => setEditing(category)}
                      >
                        {t('edit')}
                      </Button>
                      <Button
                        variant="danger"
                        size="sm"
                        aria-label={t('deleteOf', { name: category.name })}
                        onClick={() => setDeleting(category)}
                      >
                        {t('delete')}
                      </Button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </QueryView>
        </section>
      </div>
      {editing && <EditCategoryDialog key={editing.id} category={editing} onClose={() => setEditing(null)} />}
      <Dialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        role="alertdialog"
        title={t('deleteTitle', { name: deleting?.name ?? '' })}
        description={t('deleteText')}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              {c('cancel')}
            </Button>
            <Button variant="danger" loading={busy} onClick={() => deleting && void remove(deleting)}>
              {t('delete')}
            </Button>
          </>
        }
      />
    </>
  );
}
