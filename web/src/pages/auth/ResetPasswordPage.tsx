import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { useAuth } from '../../auth/context';
import { Button, LinkButton } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState } from '../../components/States';
import * as z from 'zod/mini';
import { rules, sameAs, useSchemaForm, type V } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

const makeSchema = (v: V) =>
  z
    .object({ new_password: rules.password(v), new_password_confirm: rules.present(v) })
    .check(sameAs('new_password_confirm', 'new_password', v('vPasswordMismatch')));

export default function ResetPasswordPage() {
  const t = useMessages(messages);
  const { status, logout } = useAuth();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const email = params.get('email') ?? '';
  const [done, setDone] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeSchema, { defaultValues: { new_password: '', new_password_confirm: '' } });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await api.post('/api/accounts/password-reset/confirm/', { email, token, ...values }, { auth: false });
    } catch (error) {
      applyApiErrors(error, setError, { fields: ['new_password', 'new_password_confirm'] });
      return;
    }
    // Every session was invalidated by the reset, this tab's included.
    if (status === 'signed-in') await logout();
    setDone(true);
  });

  if (!token || !email) {
    return (
      <div className="auth-page">
        <PageHeader title={t('resetTitle')} />
        <ErrorState message={t('linkInvalid')} action={<LinkButton to="/forgot-password">{t('resetRequestNew')}</LinkButton>} />
      </div>
    );
  }

  return (
    <div className="auth-page">
      <PageHeader title={t('resetTitle')} description={done ? undefined : t('resetDescription')} />
      {done ? (
        <div className="stack">
          <p className="notice notice--success" role="status">
            {t('resetDone')}
          </p>
          <LinkButton to="/login?reset=1">{t('verifyToLogin')}</LinkButton>
        </div>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate>
          <FormError message={errors.root?.server?.message} />
          <input type="email" name="email" value={email} autoComplete="username" readOnly hidden />
          <TextField
            label={t('newPassword')}
            type="password"
            autoComplete="new-password"
            required
            hint={t('passwordHint')}
            error={errors.new_password?.message}
            {...register('new_password')}
          />
          <TextField
            label={t('newPasswordConfirm')}
            type="password"
            autoComplete="new-password"
            required
            error={errors.new_password_confirm?.message}
            {...register('new_password_confirm')}
          />
          <Button type="submit" block loading={isSubmitting}>
            {t('resetSubmit')}
          </Button>
        </form>
      )}
    </div>
  );
}
