import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { VerifyEmailResponse } from '../../api/types';
import { useAuth } from '../../auth/context';
import { LinkButton } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { Spinner } from '../../components/Spinner';
import { ErrorState } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

export default function VerifyEmailPage() {
  const t = useMessages(messages);
  const { status, refreshUser } = useAuth();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const email = params.get('email') ?? '';
  const valid = token !== '' && email !== '';

  // A query (not a mutation) so the single-use token is POSTed exactly once, even under
  // StrictMode's double effects or a re-render: the result is cached under the token.
  const verify = useQuery({
    queryKey: ['verify-email', token, email],
    queryFn: () => api.post<VerifyEmailResponse>('/api/accounts/verify-email/', { token, email }, { auth: false }),
    enabled: valid,
    retry: false,
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });

  const signedIn = status === 'signed-in';
  useEffect(() => {
    if (verify.isSuccess && signedIn) void refreshUser().catch(() => undefined);
  }, [verify.isSuccess, signedIn, refreshUser]);

  const resendLink = `/verify-pending${email ? `?email=${encodeURIComponent(email)}` : ''}`;

  return (
    <div className="auth-page">
      <PageHeader title={t('verifyTitle')} />
      {!valid ? (
        <ErrorState
          title={t('verifyFailed')}
          message={t('linkInvalid')}
          action={<LinkButton to={resendLink}>{t('verifyResend')}</LinkButton>}
        />
      ) : verify.isPending ? (
        <div className="row" role="status">
          <Spinner decorative />
          <span>{t('verifyWorking')}</span>
        </div>
      ) : verify.isError ? (
        <ErrorState
          title={t('verifyFailed')}
          error={verify.error}
          action={<LinkButton to={resendLink}>{t('verifyResend')}</LinkButton>}
        />
      ) : (
        <div className="stack">
          <p className="notice notice--success" role="status">
            {verify.data?.message || t('verifyDone')}
          </p>
          {signedIn ? (
            <LinkButton to="/dashboard">{t('verifyToDashboard')}</LinkButton>
          ) : (
            <LinkButton to={`/login?verified=1`}>{t('verifyToLogin')}</LinkButton>
          )}
        </div>
      )}
    </div>
  );
}
