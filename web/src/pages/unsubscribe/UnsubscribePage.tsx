// GET only shows a confirmation (mail scanners prefetch links); the POST does the change.
import { useMutation } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { Button, LinkButton } from '../../components/Button';
import { FormError } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

export default function UnsubscribePage() {
  const t = useMessages(messages);
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unsubscribe = useMutation({
    mutationFn: () => api.post('/api/accounts/unsubscribe/', { token }, { auth: false }),
  });

  return (
    <div className="auth-page">
      <PageHeader title={t('title')} />
      {!token ? (
        <ErrorState message={t('invalid')} />
      ) : unsubscribe.isSuccess ? (
        <div className="stack">
          <p className="notice notice--success" role="status">
            {t('done')}
          </p>
          <LinkButton to="/settings" variant="secondary">
            {t('settings')}
          </LinkButton>
        </div>
      ) : (
        <div className="stack">
          <p>{t('text')}</p>
          <FormError message={unsubscribe.isError ? errorMessage(unsubscribe.error) : undefined} />
          <Button onClick={() => unsubscribe.mutate()} loading={unsubscribe.isPending} block>
            {t('confirm')}
          </Button>
        </div>
      )}
    </div>
  );
}
