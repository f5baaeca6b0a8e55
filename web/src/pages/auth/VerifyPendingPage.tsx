import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, isApiError } from '../../api/client';
import { errorMessage, parseApiErrorBody } from '../../api/errors';
import type { MessageResponse } from '../../api/types';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/toast-context';
import { useCountdown } from '../../hooks/useCountdown';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

/** The API's resend cooldown (5 min) when a 429 comes without Retry-After. */
const DEFAULT_WAIT = 300;

export default function VerifyPendingPage() {
  const t = useMessages(messages);
  const toast = useToast();
  const [params] = useSearchParams();
  const initialEmail = params.get('email') ?? '';
  const [email, setEmail] = useState(initialEmail);
  const [waitLeft, startWait] = useCountdown();
  const [error, setError] = useState<string | undefined>();

  const resend = useMutation({
    mutationFn: (address: string) =>
      api.post<MessageResponse>('/api/accounts/resend-verification/', { email: address }, { auth: false }),
    onSuccess: (data) => {
      setError(undefined);
      toast.show({ message: data?.message || t('pendingResent'), tone: 'success' });
      startWait(DEFAULT_WAIT);
    },
    onError: (err) => {
      if (isApiError(err) && err.status === 429) {
        startWait(err.retryAfter ?? DEFAULT_WAIT);
        setError(parseApiErrorBody(err.body).general[0] ?? errorMessage(err));
      } else {
        setError(errorMessage(err));
      }
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (email.trim()) resend.mutate(email.trim());
  };

  return (
    <div className="auth-page">
      <PageHeader
        title={t('pendingTitle')}
        description={initialEmail ? t('pendingDescription', { email: initialEmail }) : t('pendingDescriptionNoEmail')}
      />
      <p className="muted">{t('pendingSpam')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={error} />
        {!initialEmail && (
          <TextField
            label={t('email')}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
        <Button type="submit" variant="secondary" block loading={resend.isPending} disabled={waitLeft > 0 || !email.trim()}>
          {t('pendingResend')}
        </Button>
        <p className="muted" aria-live="polite">
          {waitLeft > 0 ? t('pendingWait', { count: waitLeft }) : ''}
        </p>
      </form>
      <div className="auth-page__footer">
        <Link to="/login">{t('pendingBackToLogin')}</Link>
      </div>
    </div>
  );
}
