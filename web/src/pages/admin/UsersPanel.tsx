import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Id, Page } from '../../api/types';
import { useAuth } from '../../auth/context';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import type { AdminUser } from './types';
import { UserRow, type UserChange } from './UserRow';
import { TableWrap } from './TableWrap';
import styles from './AdminPage.module.css';

const PAGE_SIZE = 20;

export function UsersPanel() {
  const t = useMessages(messages);
  const toast = useToast();
  const queryClient = useQueryClient();
  const { user: me } = useAuth();
  const [page, setPage] = useState(1);
  const [pending, setPending] = useState<UserChange | null>(null);
  // `is_active` is not part of <User>: remember what this session set.
  const [activeSet, setActiveSet] = useState<Record<Id, boolean>>({});

  const query = useQuery({
    queryKey: qk.admin.users({ page }),
    queryFn: ({ signal }) => api.get<Page<AdminUser>>('/api/accounts/users/', { query: { page }, signal }),
    placeholderData: keepPreviousData,
  });

  const patch = useMutation({
    mutationFn: (c: UserChange) => api.patch<AdminUser>(`/api/accounts/users/${c.user.id}/`, { [c.field]: c.value }),
    onSuccess: async (_, c) => {
      if (c.field === 'is_active') setActiveSet((s) => ({ ...s, [c.user.id]: c.value }));
      setPending(null);
      toast.show({ message: t('userUpdated', { email: c.user.email }), tone: 'success' });
      await queryClient.invalidateQueries({ queryKey: qk.admin.all });
    },
  });

  const total = Math.max(1, Math.ceil((query.data?.count ?? 0) / PAGE_SIZE));
  const confirmText = (c: UserChange) =>
    c.field === 'is_staff'
      ? t(c.value ? 'confirmMakeStaff' : 'confirmRemoveStaff')
      : t(c.value ? 'confirmActivate' : 'confirmDeactivate');

  return (
    <section aria-labelledby="admin-users">
      <div className={styles.panelHead}>
        <h2 id="admin-users" className={styles.sectionTitle}>
          {t('usersTitle')}
        </h2>
        {query.data && <span className="muted">{t('usersCount', { count: query.data.count })}</span>}
      </div>
      <QueryView query={query} loading={<Skeleton lines={8} height="2.75rem" />}>
        {(data) => (
          <>
            <TableWrap caption={t('usersTitle')}>
              <thead>
                <tr>
                  <th scope="col">{t('colEmail')}</th>
                  <th scope="col">{t('colUsername')}</th>
                  <th scope="col">{t('colVerified')}</th>
                  <th scope="col">{t('colStaff')}</th>
                  <th scope="col">{t('colActive')}</th>
                  <th scope="col">{t('colJoined')}</th>
                  <th scope="col">{t('colTier')}</th>
                  <th scope="col">{t('colActions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.results.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    active={u.is_active ?? activeSet[u.id]}
                    self={u.id === me?.id}
                    onChange={setPending}
                  />
                ))}
              </tbody>
            </TableWrap>
            {(data.next || data.previous) && (
              <nav className={styles.pager} aria-label={t('pagination')}>
                <Button variant="secondary" size="sm" disabled={!data.previous} onClick={() => setPage(page - 1)}>
                  {t('prevPage')}
                </Button>
                <span aria-live="polite">{t('pageOf', { page, total })}</span>
                <Button variant="secondary" size="sm" disabled={!data.next} onClick={() => setPage(page + 1)}>
                  {t('nextPage')}
                </Button>
              </nav>
            )}
          </>
        )}
      </QueryView>
      <ConfirmDialog
        open={pending !== null}
        tone={pending?.value === false ? 'danger' : 'primary'}
        title={pending ? t('confirmTitle', { email: pending.user.email }) : ''}
        description={pending ? confirmText(pending) : undefined}
        confirmLabel={pending ? pending.label : ''}
        busy={patch.isPending}
        error={patch.isError ? errorMessage(patch.error) : null}
        onConfirm={() => pending && patch.mutate(pending)}
        onCancel={() => {
          setPending(null);
          patch.reset();
        }}
      />
    </section>
  );
}
